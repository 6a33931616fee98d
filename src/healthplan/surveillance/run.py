"""The daily early-warning run: every series through its disease's method, alarms into signals, then 多点触发.

Diseases sharing a method and parameters form one group, read and evaluated together: one statement
reads the group's counts on exactly the days the method looks at (``store.read_windows``), and the
series become the rows of matrices evaluated by the many-series detectors (``detectors.batch``), a chunk
at a time.  Where the method allows it (``methods.zero_is_quiet``), a series without a case in the
observed days is not evaluated at all: it cannot alarm.  A day before a series' first count is missing
(no threshold); a later day without a count is 0.  The alarms are then stored in bulk; re-running a date
is idempotent: an alarm is stored once per series and day, and alarms that touch an existing signal of
their series join it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from healthplan.domain.problems import HealthplanError
from healthplan.store import registry
from healthplan.store import surveillance as store
from healthplan.store.audit import now
from healthplan.store.database import Database
from healthplan.surveillance.catalog import Catalog, Disease, shipped_catalog
from healthplan.surveillance.lifecycle import Status
from healthplan.surveillance.methods import Params, history_days, run_many, window_days, zero_is_quiet
from healthplan.surveillance.triggers import SignalPoint, find_events

CHUNK = 20000  # series evaluated together: bounded memory for 10⁵ series
IssueTime = dt.datetime | Callable[[dt.date], dt.datetime] | None


@dataclass
class RunSummary:
    """What a run did, for the command line and the demo."""

    first: dt.date
    last: dt.date
    series: int = 0
    alarms: int = 0
    signals_created: list[int] = field(default_factory=list)
    alarms_merged: int = 0
    alarms_known: int = 0
    events_created: int = 0
    events_updated: int = 0

    def to_json(self) -> dict[str, object]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "series": self.series,
                "alarms": self.alarms, "signals_created": len(self.signals_created),
                "alarms_merged": self.alarms_merged, "alarms_already_recorded": self.alarms_known,
                "events_created": self.events_created, "events_updated": self.events_updated}


def _ranges(method: str, p: Params, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The days the method reads to evaluate ``first..last``: the recent past and, for CIDARS, the blocks
    around the same dates in each earlier year."""
    if method != "cidars":
        return [(first - dt.timedelta(days=history_days(method, p)), last)]
    window = int(p["window"])
    reach = dt.timedelta(days=window * (int(p["neighbours"]) + 1) + 1)
    ahead = dt.timedelta(days=window * int(p["neighbours"]) + 1)
    spans = [(first - dt.timedelta(days=window), last)]
    for years in range(1, int(p["years"]) + 1):
        spans.append((first - dt.timedelta(days=366 * years) - reach, last - dt.timedelta(days=365 * years) + ahead))
    return _disjoint(spans)


def _disjoint(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Overlapping or adjacent spans joined (a run over many days), so no count is read twice."""
    result: list[tuple[dt.date, dt.date]] = []
    for low, high in sorted(spans):
        if result and low <= result[-1][1] + dt.timedelta(days=1):
            result[-1] = (result[-1][0], max(result[-1][1], high))
        else:
            result.append((low, high))
    return result


def _issue_time(issued_at: IssueTime, day: dt.date, stamp: dt.datetime) -> dt.datetime:
    if issued_at is None:
        return stamp
    return issued_at(day) if callable(issued_at) else issued_at


def _groups(catalog: Catalog) -> list[list[Disease]]:
    """Diseases sharing method and parameters (so the same days and one batch serve them all)."""
    groups: dict[tuple[str, str], list[Disease]] = defaultdict(list)
    for disease in catalog.diseases.values():
        groups[(disease.method, repr(sorted(disease.params.items())))].append(disease)
    return [members for _, members in sorted(groups.items())]


def detect(database: Database, first: dt.date, last: dt.date, catalog: Catalog,
           issued_at: IssueTime = None) -> list[store.AlarmWrite]:
    """The alarms of every series on the days ``first..last`` (nothing is written)."""
    stamp = now()
    alarms: list[store.AlarmWrite] = []
    for group in _groups(catalog):
        method, params = group[0].method, group[0].params
        by_code = {d.code: d for d in group}
        ranges = _ranges(method, params, first, last)
        start = ranges[0][0]
        length = (last - start).days + 1
        at = np.arange((first - start).days, length)
        window = window_days(method, params)
        cases_from = first - dt.timedelta(days=window - 1) if zero_is_quiet(method, params) else None
        with database.sessions() as session:
            series, windows = store.read_windows(session, list(by_code), ranges, cases_from)
        rows = np.searchsorted(series.ids, windows.series_ids)
        cols = (windows.days - np.datetime64(start, "D")).astype(np.intp)
        # Days before a series' first count are missing: NaN up to that column.
        missing_until = np.clip((series.first_days - np.datetime64(start, "D")).astype(np.intp), 0, length)
        for low in range(0, series.ids.size, CHUNK):
            high = min(low + CHUNK, series.ids.size)
            matrix = np.zeros((high - low, length))
            matrix[np.arange(length) < missing_until[low:high, None]] = np.nan
            part = (rows >= low) & (rows < high)
            matrix[rows[part] - low, cols[part]] = windows.counts[part]
            result = run_many(method, matrix, params, at=at, start=start)
            for i, j in np.argwhere(np.ma.filled(result.alarm, False)):
                day = start + dt.timedelta(days=int(result.index[j]))
                threshold = float(result.upperbound[i, j])
                disease = by_code[str(series.diseases[low + i])]
                alarms.append(store.AlarmWrite(
                    int(series.ids[low + i]), day, window, method, float(result.observed[i, j]),
                    None if np.isnan(threshold) else threshold, disease.fixed_threshold, disease.response_hours,
                    _issue_time(issued_at, day, stamp)))
    return alarms


def run_detection(database: Database, first: dt.date, last: dt.date | None = None, user: str = "system", *,
                  catalog: Catalog | None = None, issued_at: IssueTime = None) -> RunSummary:
    """Detect on ``first..last`` (default: one day), store the signals and raise multi-point events."""
    end = last or first
    if end < first:
        raise HealthplanError("结束日期早于开始日期", "the last date precedes the first")
    cat = catalog or shipped_catalog()
    alarms = detect(database, first, end, cat, issued_at)
    summary = RunSummary(first, end, alarms=len(alarms))
    with database.sessions() as session:
        summary.series = store.count_series(session)
    with database.transaction() as session:
        changes = store.record_alarms(session, alarms, user, Status.NEW.value)
        summary.signals_created = changes.created
        summary.alarms_merged = changes.merged
        summary.alarms_known = changes.unchanged
        created, updated = raise_events(session, cat, first, end, user, issued_at)
        summary.events_created, summary.events_updated = created, updated
    return summary


def raise_events(session: Session, catalog: Catalog, first: dt.date, last: dt.date, user: str,
                 issued_at: IssueTime = None) -> tuple[int, int]:
    """Apply every multi-point rule to the signals that started in ``first..last`` (and the days before
    that a rule window reaches back to)."""
    if not catalog.rules:
        return 0, 0
    reach = max(rule.window_days for rule in catalog.rules.values())
    signals = store.find_signals(session, first=first - dt.timedelta(days=reach - 1), last=last)
    points = [SignalPoint(s.id, s.org_unit, s.source, s.disease, s.first_alarm) for s in signals]
    areas = registry.list_areas(session)
    parents = {a.code: a.parent_code for a in areas}
    levels = {a.code: a.level.value for a in areas}
    created = updated = 0
    stamp = now()
    for rule in catalog.rules.values():
        for candidate in find_events(rule, points, parents, levels):
            at = _issue_time(issued_at, candidate.window[1], stamp)
            outcome = store.record_event(session, rule.code, candidate.org_unit, candidate.window,
                                         candidate.signal_ids, user, at)
            created += outcome == "created"
            updated += outcome == "updated"
    return created, updated

