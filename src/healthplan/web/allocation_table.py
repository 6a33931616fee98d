"""The 配置 page's results: a plan's 配置规划表 (``healthplan.allocation``), as ``healthplan allocate`` computes it.

Same inputs as the command — the plan's shipped rules file, the counties directly under the plan's area, the
current figures of the newest year with data up to the allocation year — except that the current year is the
newest one whose data the user may see (unapproved data of other areas are never folded into a table).
Memoised in the app state per (plan, year, current year, method) until the next data write.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from healthplan.allocation import Allocation, Method, allocate, load_rules, shipped_rules
from healthplan.allocation.allocate import ELDERLY_SHARE
from healthplan.allocation.export import write_xlsx
from healthplan.allocation.ruleset import FreezeRule, RuleSet
from healthplan.domain.indicators import Indicator
from healthplan.domain.plans import Plan
from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.store.registry import list_areas
from healthplan.web.errors import Forbidden
from healthplan.web.explorer import plans
from healthplan.web.state import AppState
from healthplan.web.visibility import WITHHELD_EN, WITHHELD_ZH, Visibility


def plan_of(state: AppState, code: str | None, scope: str) -> Plan:
    """The plan asked for, else the plan of the user's own area, of an area above it, of one below it, else the
    first."""
    found = plans(state)
    if not found:
        raise NotFound("还没有规划。请在“规划”页面导入规划文件。", "no plan yet; import a plan file first")
    if code is not None:
        for plan in found:
            if plan.code == code:
                return plan
        raise NotFound(f"找不到规划“{code}”", f"no plan {code!r}")
    tree = state.tree
    known = [p for p in found if p.org_unit in tree]
    for fits in (lambda p: p.org_unit == scope, lambda p: tree.within(scope, p.org_unit),
                 lambda p: tree.within(p.org_unit, scope)):
        for plan in known:
            if fits(plan):
                return plan
    return found[0]


def _rules(state: AppState, plan: Plan) -> RuleSet:
    with state.lock:
        return load_rules(shipped_rules(plan.code), state.catalog, state.analytics.compiler)


def _indicators(state: AppState, plan: Plan, rules: RuleSet) -> list[Indicator]:
    found = [state.catalog.get(t.indicator) for t in plan.targets if t.indicator in state.catalog]
    for rule in rules.rules:
        if isinstance(rule, FreezeRule):
            found += [c.indicator for c in rule.conditions]
        else:
            found.append(rule.indicator)
    return [*found, ELDERLY_SHARE]


def current_year(state: AppState, vis: Visibility, plan: Plan, year: int, wanted: int | None) -> int:
    """The year of the current figures: the one asked for (403 when withheld), else the newest visible one."""
    rules = _rules(state, plan)
    elements: set[str] = set()
    for indicator in _indicators(state, plan, rules):
        elements |= state.elements_of(indicator)
    if wanted is not None:
        if vis.hidden(plan.org_unit, str(wanted), elements):
            raise Forbidden(WITHHELD_ZH, WITHHELD_EN)
        return wanted
    years = [y for y in state.years() if y <= year]
    if not years:
        raise HealthplanError("没有可用的现状数据", "no data to take the current figures from")
    for candidate in reversed(years):
        if not vis.hidden(plan.org_unit, str(candidate), elements):
            return candidate
    raise Forbidden(WITHHELD_ZH, WITHHELD_EN)


def allocation(state: AppState, plan: Plan, year: int, now: int, method: Method) -> Allocation:
    def compute() -> Allocation:
        with state.database.sessions() as session:
            areas = list_areas(session)
        scope = next((a for a in areas if a.code == plan.org_unit), None)
        if scope is None:
            raise NotFound(f"找不到规划范围 {plan.org_unit}", f"the plan's area {plan.org_unit} is not in the registry")
        counties = sorted((a for a in areas if a.parent_code == scope.code), key=lambda a: a.code)
        return allocate(state.analytics, state.catalog, plan, scope, counties, _rules(state, plan), year, now,
                        method)

    with state.lock:
        return state.memo(("allocation", plan.code, year, now, method.value), compute)


def workbook(result: Allocation) -> bytes:
    """The allocation package's workbook (配置规划表, one sheet per method, rules, parameters) as bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "allocation.xlsx"
        write_xlsx(result, path)
        return path.read_bytes()


def comparison(result: Allocation) -> list[dict[str, object]]:
    """Each line's county increments under the three methods side by side (what the page compares)."""
    rows: list[dict[str, object]] = []
    for item in result.lines:
        methods: Sequence[Method] = [m for m in Method if m in item.counties]
        if not methods:
            continue
        counties = item.counties[methods[0]]
        for k, county in enumerate(counties):
            rows.append({"line": item.line.name, "first": k == 0, "span": len(counties), "name": county.name,
                         "gaps": {m.value: item.counties[m][k].gap for m in methods}})
    return rows
