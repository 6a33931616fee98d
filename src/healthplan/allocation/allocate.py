"""The 配置规划表: what the region needs in the allocation year, its gap today and the annual increment, split by
county with all three methods, and the plan's rules applied and reported.

Numbers are whole units (beds, staff, vehicles): the need at a ratio is rounded up, and a city increment is
shared out by the largest-remainder method so the county figures add up exactly to the city figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from healthplan.allocation import checks
from healthplan.allocation.lines import Figures, Line, line_figures, plan_lines, rule_lines
from healthplan.allocation.ruleset import FreezeRule, MinimumRule, Parameter, RuleSet, ShareRule
from healthplan.allocation.split import Method, increments, need_weights
from healthplan.domain.indicators import Indicator
from healthplan.domain.plans import Plan
from healthplan.domain.problems import HealthplanError
from healthplan.domain.registry import OrgUnit
from healthplan.engine.analytics import Analytics, IndicatorValue
from healthplan.engine.catalog import Catalog

ELDERLY_SHARE = Indicator("allocation.age65_share", "65岁及以上人口占比", "sum(pop.age65plus)", "sum(pop.resident)")


@dataclass(frozen=True)
class Row:
    """A line at one area under one method: ``needed`` is the planned total in the allocation year (never below
    today's), ``gap`` the increment still to add, ``withheld`` an increment a freeze rule holds back and
    ``surplus`` what exceeds the standard (kept, not moved)."""

    org_unit: str
    name: str
    current: float | None
    ratio: float | None
    population_target: float | None
    standard_needed: float | None
    needed: float | None
    gap: float | None
    annual: float | None
    planned_ratio: float | None
    withheld: float = 0.0
    surplus: float = 0.0
    rules: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"org_unit": self.org_unit, "name": self.name, "current": self.current, "ratio": self.ratio,
                "population_target": self.population_target, "standard_needed": self.standard_needed,
                "needed": self.needed, "gap": self.gap, "annual": self.annual, "planned_ratio": self.planned_ratio,
                "withheld": self.withheld, "surplus": self.surplus, "rules": list(self.rules)}


@dataclass(frozen=True)
class LineAllocation:
    line: Line
    region: Row
    population_source: str | None
    counties: Mapping[Method, tuple[Row, ...]]

    def to_json(self) -> dict[str, object]:
        return {**self.line.to_json(), "region": self.region.to_json(), "population_source": self.population_source,
                "counties": {m.value: [r.to_json() for r in rows] for m, rows in self.counties.items()},
                "county_increment": {m.value: sum(r.gap or 0 for r in rows) for m, rows in self.counties.items()}}


@dataclass(frozen=True)
class Allocation:
    plan: Plan
    scope: OrgUnit
    year: int
    current_year: int
    method: Method
    lines: tuple[LineAllocation, ...]
    rules: tuple[checks.RuleReport, ...]
    parameters: Mapping[str, Parameter]
    elderly_share: Mapping[str, float | None]
    rules_source: str

    @property
    def years_left(self) -> int:
        return max(self.year - self.current_year, 1)

    def to_json(self) -> dict[str, object]:
        return {
            "plan": self.plan.code, "name": self.plan.name, "scope": {"code": self.scope.code, "name": self.scope.name},
            "year": self.year, "current_year": self.current_year, "years_left": self.years_left,
            "method": self.method.value, "method_label": self.method.label,
            "methods": {m.value: m.label for m in Method},
            "parameters": {k: p.to_json() for k, p in self.parameters.items()},
            "elderly_share": dict(self.elderly_share), "rules_file": self.rules_source,
            "lines": [ln.to_json() for ln in self.lines], "rules": [r.to_json() for r in self.rules],
        }


def allocate(analytics: Analytics, catalog: Catalog, plan: Plan, scope: OrgUnit, counties: Sequence[OrgUnit],
             rules: RuleSet, year: int, current_year: int, method: Method = Method.POPULATION) -> Allocation:
    """Compute the allocation table for ``year`` from the data of ``current_year`` (both whole years)."""
    if current_year > year:
        raise HealthplanError(f"现状年份 {current_year} 晚于规划年份 {year}",
                              f"the current year {current_year} is after the allocation year {year}")
    lines = plan_lines(plan, catalog) + rule_lines(rules.lines)
    areas = [scope, *counties]
    figures = line_figures(analytics, catalog, plan, lines, areas, year, current_year)
    measured = checks.measure(analytics, rules, scope, counties, current_year)
    freeze_rules = [r for r in rules.rules if isinstance(r, FreezeRule)]
    freezes = [checks.freeze_report(r, checks.areas_of(r.areas, scope, counties), measured) for r in freeze_rules]
    withheld_at: dict[str, dict[str, str]] = {}  # line code → area → freeze rule code
    for freeze, report in zip(freeze_rules, freezes, strict=True):
        for area in checks.frozen_areas(report):
            for code in freeze.withhold:
                withheld_at.setdefault(code, {})[area] = freeze.code
    elderly = _elderly_shares(analytics, counties, current_year)
    weight = rules.parameter("age65_weight").value
    years = max(year - current_year, 1)
    allocations = tuple(
        _line(line, scope, counties, figures, withheld_at.get(line.code, {}), elderly, weight, years)
        for line in lines)
    reports = list(freezes)
    basis = _basis(allocations, figures, rules, measured)
    for rule in rules.rules:
        if isinstance(rule, ShareRule):
            reports.append(checks.share_report(rule, checks.areas_of(rule.areas, scope, counties), measured, basis))
        elif isinstance(rule, MinimumRule):
            reports.append(checks.minimum_report(rule, checks.areas_of(rule.areas, scope, counties), measured))
    return Allocation(plan, scope, year, current_year, method, allocations, tuple(reports), rules.parameters,
                      elderly, rules.source)


def _elderly_shares(analytics: Analytics, counties: Sequence[OrgUnit], year: int) -> dict[str, float | None]:
    """The 65+ share of each county (``pop.age65plus`` / ``pop.resident``) in ``year``."""
    if not counties:
        return {}
    values = analytics.evaluate([ELDERLY_SHARE], [str(year)], [c.code for c in counties])
    return {v.org_unit: v.value for v in values}


def _line(line: Line, scope: OrgUnit, counties: Sequence[OrgUnit], figures: Mapping[tuple[str, str], Figures],
          frozen: Mapping[str, str], elderly: Mapping[str, float | None], weight: float,
          years: int) -> LineAllocation:
    region = figures[(line.code, scope.code)]
    factor = line.indicator.factor
    region_gap = None if not region.complete else (region.needed or 0) - (region.current or 0)
    region_withheld = max(region_gap or 0.0, 0.0) if scope.code in frozen else 0.0
    region_row = Row(scope.code, scope.name, region.current, region.ratio, region.population_target,
                     region.needed, region.needed, region_gap,
                     None if region_gap is None else max(region_gap - region_withheld, 0.0) / years,
                     region.ratio if region.needed is None else _ratio(region.needed, region.population_target, factor),
                     region_withheld, max(-(region_gap or 0.0), 0.0), _tags(frozen, scope.code))
    rows = [figures[(line.code, c.code)] for c in counties]
    by_method: dict[Method, tuple[Row, ...]] = {}
    if region_gap is not None and all(f.complete for f in rows):
        city_increment = 0.0 if scope.code in frozen else region_gap
        population = [f.population_target or 0.0 for f in rows]
        shares = [elderly.get(c.code) for c in counties]
        for method in Method:
            if method is Method.NEED and any(s is None for s in shares):
                continue  # no 65+ data: the need method cannot be shown
            need = need_weights(population, [s or 0.0 for s in shares], weight) if method is Method.NEED else population
            planned = increments(method, city_increment, [f.needed or 0.0 for f in rows],
                                 [f.current or 0.0 for f in rows], population, need)
            by_method[method] = tuple(_county_row(f, add, frozen, factor, years) for f, add in zip(rows, planned,
                                                                                                  strict=True))
    return LineAllocation(line, region_row, region.population_source, by_method)


def _county_row(f: Figures, add: int, frozen: Mapping[str, str], factor: float, years: int) -> Row:
    current = f.current or 0.0
    withheld = float(add) if f.org_unit in frozen else 0.0
    gap = float(add) - withheld
    needed = current + gap
    return Row(f.org_unit, f.name, f.current, f.ratio, f.population_target, f.needed, needed, gap, gap / years,
               _ratio(needed, f.population_target, factor), withheld, max(current - (f.needed or 0.0), 0.0),
               _tags(frozen, f.org_unit))


def _tags(frozen: Mapping[str, str], code: str) -> tuple[str, ...]:
    return (frozen[code],) if code in frozen else ()


def _ratio(total: float, population: float | None, factor: float) -> float | None:
    return None if not population else total / population * factor


def _basis(allocations: Sequence[LineAllocation], figures: Mapping[tuple[str, str], Figures], rules: RuleSet,
           measured: Mapping[tuple[str, str], IndicatorValue]) -> checks.Basis:
    """The planned denominator of a share rule: a line's total at the standard (never below today's) or a minimum
    rule's floor (never below today's value)."""
    lines: dict[str, LineAllocation] = {}
    for a in allocations:  # a plan target's indicator code names its line unless a line has that code
        lines.setdefault(a.line.indicator.code, a)
    lines |= {a.line.code: a for a in allocations}
    minimums = {r.code: r for r in rules.rules if isinstance(r, MinimumRule)}

    def planned(code: str, area: str) -> float | None:
        if code in minimums:
            rule = minimums[code]
            floor = rule.floor(area)
            found = measured.get((rule.indicator.code, area))
            now = found.value if found is not None else None
            return None if floor is None else max(floor, now or 0.0)
        if code in lines:
            f = figures.get((lines[code].line.code, area))
            if f is None or f.needed is None:
                return None
            return float(max(f.needed, f.current or 0.0))
        return None

    return planned

