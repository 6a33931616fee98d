"""The one analytics engine of a web process, and what it keeps current from the audit log.

The engine (DuckDB) is not thread-safe, so every use goes through ``lock``. Before answering, a request calls
:meth:`AppState.sync`: one query for the newest audit id; when something was written (by the web, the CLI or
another process) the engine replays the log and the tree, approval states, catalog and memo follow.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TypeVar

from healthplan.domain.data import ApprovalState
from healthplan.domain.indicators import Indicator
from healthplan.domain.periods import Period
from healthplan.engine.analytics import Analytics, IndicatorValue
from healthplan.engine.catalog import Catalog
from healthplan.plans.evaluation import PlanEvaluation, evaluate_plan
from healthplan.store import approval, audit
from healthplan.store.database import Database
from healthplan.store.datasets import approval_data_sets
from healthplan.store.plans import get_plan, user_indicators
from healthplan.store.snapshot import registry_tables
from healthplan.store.users import User
from healthplan.store.values import data_elements
from healthplan.web.tree import OrgTree
from healthplan.web.visibility import Visibility

T = TypeVar("T")

_REGISTRY = {"org_unit", "facility", "facility_change"}
_CATALOG = {"indicator", "data_element"}
_APPROVAL = {"data_approval"}
_ACCOUNTS = {"web_user", "web_api_token", "web_login"}
#: Entities that change no number (results stay memoised when only these were written).
_NOT_DATA = {"web_user", "web_api_token", "web_login", "data_approval",
             "task_list", "task", "task_milestone", "task_progress"}  # the ledger pages read the store directly
#: Beyond this many new audit entries, reload everything instead of looking at each.
_SCAN_LIMIT = 5000
MEMO_SIZE = 512
#: A request trusts a check of the audit log this recent (writes made by this process sync at once; those of
#: another process, such as the CLI, are seen within this time).
FRESH_FOR = 0.1


class AppState:
    def __init__(self, database: Database, secret: bytes) -> None:
        self.database = database
        self.secret = secret
        self.lock = threading.RLock()
        self.analytics = Analytics(database)
        self.tree = OrgTree({}, {}, {})
        self.states: dict[tuple[str, str, str], ApprovalState] = {}
        self.catalog = Catalog()
        self._seen = -1
        self.approvals_version = 0  # part of every memo key of a result that depends on approval states
        self._years: set[int] = set()
        self._memo: OrderedDict[tuple[object, ...], object] = OrderedDict()
        self._checked = 0.0
        #: credential digest → (user, session id or None for a token, session expiry); cleared by account writes
        self.principals: dict[str, tuple[User, str | None, dt.datetime | None]] = {}

    def sync(self) -> None:
        """Catch up with everything written since the last call (cheap when nothing was)."""
        with self.lock:
            self._sync()
            self._checked = time.monotonic()

    def is_fresh(self) -> bool:
        return time.monotonic() - self._checked < FRESH_FOR

    def _sync(self) -> None:
        with self.database.sessions() as session:
            latest = audit.latest_id(session)
            if latest == self._seen:
                return
            entries = (audit.entries_since(session, self._seen)
                       if self._seen >= 0 and latest - self._seen <= _SCAN_LIMIT else None)
            kinds = {e.entity for e in entries} if entries is not None else None
            if kinds is None or kinds & _REGISTRY:
                self.tree = OrgTree.from_table(registry_tables(session)[0])
            if kinds is None or kinds & _APPROVAL:
                self.states = approval.all_states(session)
                self.approvals_version += 1
            if kinds is None or kinds & _CATALOG:
                self.catalog = Catalog(user_indicators(session), data_elements(session))
            if kinds is None or kinds - _NOT_DATA:
                self._memo.clear()
            if kinds is None or kinds & _ACCOUNTS:
                self.principals.clear()
            self._seen = latest
        if entries is None:
            self.analytics.load()
            self._years = {Period.parse(code).start.year for code in self.analytics.periods}
        else:
            self.analytics.refresh()
            self._years |= {Period.parse(e.period).start.year for e in entries
                            if e.entity == "data_value" and e.period}

    def memo(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once per key until the next data write (results are the same for every user)."""
        with self.lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]  # type: ignore[return-value]
            value = compute()
            self._memo[key] = value
            if len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
            return value

    def peek(self, key: tuple[object, ...]) -> object | None:
        """A memoised result without waiting for the lock (for answers served straight from the event loop)."""
        return self._memo.get(key)

    def visibility(self, user: User) -> Visibility:
        return Visibility(user, self.tree, self.states, approval_data_sets())

    def evaluate(self, indicators: Sequence[Indicator], periods: Sequence[str], org_units: Sequence[str],
                 base_period: str | None = None) -> list[IndicatorValue]:
        key = ("evaluate", tuple((i.code, i.numerator, i.denominator, i.factor) for i in indicators),
               tuple(periods), tuple(org_units), base_period)
        with self.lock:
            return self.memo(key, lambda: self.analytics.evaluate(indicators, periods, org_units,
                                                                  base_period=base_period))

    def elements_of(self, indicator: Indicator) -> frozenset[str]:
        """The data elements an indicator reads (what decides whether a number of it is withheld)."""
        with self.lock:
            return self.analytics.compile(indicator).data_elements

    def evaluation(self, plan_code: str, year: int) -> PlanEvaluation:
        def compute() -> PlanEvaluation:
            with self.database.sessions() as session:
                plan = get_plan(session, plan_code)
            return evaluate_plan(self.analytics, self.catalog, plan, year)

        with self.lock:
            return self.memo(("evaluation", plan_code, year), compute)

    def years(self) -> list[int]:
        """The years for which any value is recorded, ascending."""
        return sorted(self._years)
