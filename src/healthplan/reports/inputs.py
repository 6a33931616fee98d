"""What a report is written from: the plan's evaluation for the year and the same targets in each county.

The counties are measured against the plan's own targets (a county planner's first question is "how far is my
county from the city's 3.5 全科医生/万人"); their evaluation runs as one engine call over a plan whose targets are
the scope targets moved to each county.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from healthplan.domain.data import DataElement
from healthplan.domain.plans import Plan, TargetOp
from healthplan.domain.problems import HealthplanError
from healthplan.domain.registry import OrgUnit
from healthplan.engine.analytics import Analytics
from healthplan.engine.catalog import Catalog
from healthplan.plans.evaluation import PlanEvaluation, TargetResult, evaluate_plan
from healthplan.reports.boundaries import Boundaries, find_boundaries, read_boundaries
from healthplan.reports.model import ReportKind
from healthplan.store.database import Database
from healthplan.store.plans import get_plan, user_indicators
from healthplan.store.registry import list_areas


@dataclass(frozen=True)
class ReportInputs:
    kind: ReportKind
    plan: Plan
    year: int
    latest_year: int  # the latest year with any data (the mid-term evaluation projects from it)
    evaluation: PlanEvaluation
    scope: OrgUnit
    counties: tuple[OrgUnit, ...]  # the areas directly under the plan's scope, by code
    county_evaluations: Mapping[str, PlanEvaluation]
    elements: Mapping[str, DataElement]
    boundaries: Boundaries
    database: Database  # for section providers that read other capabilities' stored results
    analytics: Analytics  # the loaded engine, kept open for the sections that evaluate more (access, allocation)

    def __enter__(self) -> ReportInputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.analytics.close()

    def county_name(self, code: str) -> str:
        return next((c.name for c in self.counties if c.code == code), code)

    def county_result(self, code: str, seq: int) -> TargetResult | None:
        """The county's result for the plan target numbered ``seq`` (None for targets not moved to counties)."""
        evaluation = self.county_evaluations.get(code)
        return None if evaluation is None else next((r for r in evaluation.targets if r.target.seq == seq), None)


def load_inputs(database: Database, plan_code: str, kind: ReportKind, year: int | None = None,
                boundaries_file: Path | None = None) -> ReportInputs:
    """Evaluate ``plan_code`` for the report's year: the latest year with data (annual, mid-term) or the
    plan's target year (final), unless ``year`` is given. The engine stays loaded for the capability sections:
    use the result in a ``with`` block (or ``close()`` it)."""
    with database.sessions() as session:
        plan = get_plan(session, plan_code)
        areas = list_areas(session)
        defined = user_indicators(session)
    analytics = Analytics(database)
    try:
        analytics.load()
        catalog = Catalog(defined, analytics.elements)
        latest = max([plan.base_year, *(p.start.year for p in analytics.periods.values())])
        chosen = year if year is not None else (plan.target_year if kind is ReportKind.FINAL else latest)
        _check_year(plan, kind, chosen, latest)
        scope = next((a for a in areas if a.code == plan.org_unit), None)
        if scope is None:
            raise HealthplanError(f"找不到规划范围“{plan.org_unit}”", f"no org unit {plan.org_unit!r} for the plan")
        counties = tuple(sorted((a for a in areas if a.parent_code == plan.org_unit), key=lambda a: a.code))
        evaluation = evaluate_plan(analytics, catalog, plan, chosen)
        county_evaluations = evaluate_counties(analytics, catalog, plan, chosen, [c.code for c in counties])
    except BaseException:
        analytics.close()
        raise
    codes = [c.code for c in counties]
    if boundaries_file is not None:  # a user's file may hold more areas than the plan's counties
        drawn = read_boundaries(boundaries_file)
        boundaries = Boundaries({c: drawn.polygons[c] for c in codes if c in drawn.polygons}, {},
                                {c: drawn.names[c] for c in codes if c in drawn.polygons})
    else:
        boundaries = find_boundaries(codes)
    if not boundaries.polygons:
        boundaries = Boundaries.from_points(counties)
    return ReportInputs(kind, plan, chosen, latest, evaluation, scope, counties, county_evaluations,
                        dict(analytics.elements), boundaries, database, analytics)


def _check_year(plan: Plan, kind: ReportKind, year: int, latest: int) -> None:
    if year < plan.base_year:
        raise HealthplanError(f"报告年份 {year} 早于规划基期 {plan.base_year} 年",
                              f"year {year} is before the plan's base year {plan.base_year}")
    if kind is ReportKind.FINAL and year > latest:
        raise HealthplanError(
            f"{year} 年尚无数据，末期评估需要目标年数据；可先用 --year {latest} 按最新数据评估",
            f"no data for {year} yet: a final evaluation needs the target year's data; use --year {latest}")


def evaluate_counties(analytics: Analytics, catalog: Catalog, plan: Plan, year: int,
                      counties: list[str]) -> dict[str, PlanEvaluation]:
    """The plan's scope-wide, quantitative targets evaluated in each county (baselines computed per county)."""
    scoped = [t for t in plan.targets if t.org_unit is None and t.op is not TargetOp.QUALITATIVE]
    if not counties or not scoped:
        return {}
    moved = tuple(replace(t, org_unit=code, baseline=None) for code in counties for t in scoped)
    combined = evaluate_plan(analytics, catalog, replace(plan, targets=moved), year)
    return {code: PlanEvaluation(plan, year, [r for r in combined.targets if r.org_unit == code])
            for code in counties}
