"""Evaluate a plan for a monitoring year: baseline, value, status, completion, projection and resource gap."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from healthplan.domain.indicators import Indicator
from healthplan.domain.plans import Plan, Status, Target, TargetOp
from healthplan.domain.target_text import describe
from healthplan.engine.analytics import Analytics, IndicatorValue
from healthplan.engine.catalog import Catalog
from healthplan.plans.progress import Progress, assess, goal
from healthplan.plans.projection import Projection, project


@dataclass(frozen=True)
class Gap:
    """Resource still needed: the numerator at the target ratio in the target year minus today's numerator."""

    target_year: int
    needed: float
    current: float
    denominator: float
    denominator_source: str  # "entered": recorded for the target year; "projected": OLS of the series

    @property
    def gap(self) -> float:
        return self.needed - self.current

    def to_json(self) -> dict[str, object]:
        return {"needed": self.needed, "current": self.current, "gap": self.gap, "target_year": self.target_year,
                "denominator": self.denominator, "denominator_source": self.denominator_source}


@dataclass(frozen=True)
class TargetResult:
    target: Target
    indicator: Indicator
    org_unit: str
    baseline: float | None
    baseline_source: str | None  # "given" in the plan file, "computed" from data, None when missing
    value: float | None
    numerator: float | None
    denominator: float | None
    progress: Progress
    projection: Projection | None
    gap: Gap | None
    series: list[tuple[int, float | None]] = field(default_factory=list)

    @property
    def status(self) -> Status:
        return self.progress.status

    @property
    def target_text(self) -> str:
        t = self.target
        return t.text or describe(t.op, t.value, t.value_high, t.tolerance, t.tolerance_relative)

    @property
    def label(self) -> str:
        return self.target.label or self.indicator.name

    def to_json(self) -> dict[str, object]:
        t, ind = self.target, self.indicator
        return {
            "indicator": t.indicator, "org_unit": self.org_unit, "op": t.op.value, "target": t.value,
            "nature": t.nature.value, "baseline": self.baseline, "value": self.value, "status": self.status.value,
            "completion": self.progress.completion,
            "projection": self.projection.to_json() if self.projection else None,
            "gap": self.gap.to_json() if self.gap else None,
            "seq": t.seq, "category": t.category, "name": self.label, "unit": ind.unit, "decimals": ind.decimals,
            "target_high": t.value_high, "target_text": self.target_text, "source": t.source,
            "baseline_source": self.baseline_source, "numerator": self.numerator, "denominator": self.denominator,
            "trajectory": self.progress.trajectory, "annual_change_needed": self.progress.annual_change_needed,
            "status_label": self.status.label, "nature_label": t.nature.label,
            "value_text": ind.format(self.value), "baseline_text": ind.format(self.baseline),
            "series": [{"year": y, "value": v} for y, v in self.series],
            "judgement": t.judgement, "evidence": t.evidence or None,
        }


@dataclass(frozen=True)
class PlanEvaluation:
    plan: Plan
    year: int
    targets: list[TargetResult]

    def counts(self) -> dict[Status, int]:
        result = dict.fromkeys(Status, 0)
        for t in self.targets:
            result[t.status] += 1
        return result

    def to_json(self) -> dict[str, object]:
        return {"plan": self.plan.code, "year": self.year, "name": self.plan.name,
                "base_year": self.plan.base_year, "target_year": self.plan.target_year,
                "summary": {s.value: n for s, n in self.counts().items()},
                "targets": [t.to_json() for t in self.targets]}


def evaluate_plan(analytics: Analytics, catalog: Catalog, plan: Plan, year: int,
                  progress: Callable[[], None] | None = None) -> PlanEvaluation:
    """Evaluate every target of ``plan`` in ``year`` (one engine call for all targets)."""
    years = list(range(min(plan.base_year, year), year + 1))
    periods = sorted({str(y) for y in years} | {str(plan.target_year)})
    indicators = {t.indicator: catalog.get(t.indicator) for t in plan.targets}
    org_units = sorted({t.org_unit or plan.org_unit for t in plan.targets})
    values = analytics.evaluate(list(indicators.values()), periods, org_units, base_period=str(plan.base_year),
                                progress=progress)
    table: dict[tuple[str, str, str], IndicatorValue] = {(v.indicator, v.org_unit, v.period): v for v in values}
    results = []
    for target in plan.targets:
        ind = indicators[target.indicator]
        ou = target.org_unit or plan.org_unit

        def at(y: int, ind: Indicator = ind, ou: str = ou) -> IndicatorValue | None:
            return table.get((ind.code, ou, str(y)))

        series = [(y, _rounded(ind, _value(at(y)))) for y in range(plan.base_year, year + 1)]
        current = at(year)
        value = _rounded(ind, _value(current))
        baseline: float | None
        source: str | None
        if target.baseline is not None:
            baseline, source = target.baseline, "given"
        else:
            baseline = _rounded(ind, _value(at(plan.base_year)))
            source = "computed" if baseline is not None else None
        prog = assess(target, ind.polarity, baseline, value, plan.base_year, plan.target_year, year, series)
        proj = project(series, plan.target_year) if target.op is not TargetOp.QUALITATIVE else None
        if proj is not None and ind.unit == "%":  # a share cannot be projected past 0–100 %
            proj = proj.clamped(0.0, 100.0)
        denominators = [(y, v.denominator if v is not None else None) for y in years for v in [at(y)]]
        gap = _gap(target, ind, baseline, current, at(plan.target_year), denominators, plan.target_year)
        results.append(TargetResult(target, ind, ou, baseline, source, value,
                                    current.numerator if current else None,
                                    current.denominator if current else None, prog, proj, gap, series))
    results.sort(key=lambda r: r.target.seq)
    return PlanEvaluation(plan, year, results)


def _value(v: IndicatorValue | None) -> float | None:
    return v.value if v is not None else None


def _rounded(ind: Indicator, value: float | None) -> float | None:
    """Statuses are decided on the numbers as published, at the indicator's decimals."""
    return None if value is None else round(value, ind.decimals)


def is_resource_ratio(ind: Indicator) -> bool:
    """Per-population resource ratios (beds, staff, ambulances … per 1,000/10,000 residents)."""
    if not ind.denominator:
        return False
    return ind.denominator.replace(" ", "").startswith("sum(pop.") and ind.numerator.replace(" ", "").startswith("sum(")


def _gap(target: Target, ind: Indicator, baseline: float | None, current: IndicatorValue | None,
         at_target: IndicatorValue | None, denominators: list[tuple[int, float | None]],
         target_year: int) -> Gap | None:
    if not is_resource_ratio(ind) or current is None or current.numerator is None:
        return None
    g = goal(target, baseline, ind.polarity)
    if g is None or g.point is None:
        return None
    if at_target is not None and at_target.denominator is not None:
        denominator, source = at_target.denominator, "entered"
    else:
        fitted = project(denominators, target_year)
        if fitted is None:
            return None
        denominator, source = fitted.value, "projected"
    needed = math.ceil(g.point * denominator / ind.factor - 1e-9)
    return Gap(target_year, float(needed), current.numerator, denominator, source)
