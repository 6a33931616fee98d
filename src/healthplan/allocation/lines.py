"""The rows of a 配置规划表: every per-population resource standard of a plan, with its figures per area.

Why one engine call: a plan's resource targets (表2: 床位 7 张/千人, 医师 3 人/千人 …) and the standards in the
rules file (公立中医医院床位 0.55 张/千人 …) are all "ratio × projected population − what exists", which is exactly
the gap :func:`healthplan.plans.evaluation.evaluate_plan` computes. Restating each standard as a target for the
region and for each county lets the plan evaluator do the counting, projecting and rounding once, the same way
the monitoring report does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from healthplan.allocation.ruleset import Clause, LineRule
from healthplan.domain.indicators import Indicator
from healthplan.domain.plans import Plan, Target, TargetOp
from healthplan.domain.registry import OrgUnit
from healthplan.engine.analytics import Analytics
from healthplan.engine.catalog import Catalog
from healthplan.plans.evaluation import evaluate_plan, is_resource_ratio
from healthplan.plans.progress import goal


@dataclass(frozen=True)
class Line:
    """One resource standard: ``target`` is the ratio in the indicator's unit (per ``indicator.factor``)."""

    code: str
    name: str
    indicator: Indicator
    target: float
    origin: Literal["plan", "rule"]
    source: str
    clause: Clause | None = None
    nature: str = ""

    @property
    def per(self) -> str:
        return {1000: "千人口", 10000: "万人口", 100000: "十万人口"}.get(int(self.indicator.factor), "人口")

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "indicator": self.indicator.code, "unit": self.indicator.unit,
                "factor": self.indicator.factor, "per": self.per, "target": self.target, "origin": self.origin,
                "source": self.source, "nature": self.nature,
                "clause": self.clause.to_json() if self.clause else None}


@dataclass(frozen=True)
class Figures:
    """A line at one area: what exists now and what the standard asks for in the allocation year."""

    org_unit: str
    name: str
    current: float | None  # the numerator now (beds, staff …)
    ratio: float | None  # the ratio now
    population: float | None  # now
    needed: float | None  # at the standard ratio in the allocation year (whole units, rounded up)
    population_target: float | None  # the denominator in the allocation year
    population_source: str | None  # "entered" (a recorded projection) or "projected" (OLS of the series)

    @property
    def complete(self) -> bool:
        return None not in (self.current, self.needed, self.population_target)


def plan_lines(plan: Plan, catalog: Catalog) -> list[Line]:
    """The plan's per-population resource targets with a point goal (one line per indicator)."""
    lines: dict[str, Line] = {}
    for target in plan.targets:
        indicator = catalog.get(target.indicator)
        aim = goal(target, target.baseline, indicator.polarity)
        if not is_resource_ratio(indicator) or aim is None or aim.point is None or indicator.code in lines:
            continue
        lines[indicator.code] = Line(indicator.code, target.label or indicator.name, indicator, aim.point, "plan",
                                     target.source, None, target.nature.label)
    return list(lines.values())


def rule_lines(rules: Sequence[LineRule]) -> list[Line]:
    return [Line(r.code, r.name, r.indicator, r.value, "rule", r.clause.document, r.clause) for r in rules]


def line_figures(analytics: Analytics, catalog: Catalog, plan: Plan, lines: Sequence[Line],
                 areas: Sequence[OrgUnit], year: int, current_year: int) -> dict[tuple[str, str], Figures]:
    """Figures of every line at every area, keyed by (line code, org unit code)."""
    extended = Catalog([*catalog.indicators.values(), *(ln.indicator for ln in lines)], catalog.data_elements)
    targets: list[Target] = []
    keys: dict[int, tuple[Line, OrgUnit]] = {}
    for line in lines:
        for area in areas:
            seq = len(targets) + 1
            keys[seq] = (line, area)
            targets.append(Target(line.indicator.code, TargetOp.GE, org_unit=area.code, value=line.target, seq=seq,
                                  label=line.name))
    staged = replace(plan, target_year=year, targets=tuple(targets))
    evaluation = evaluate_plan(analytics, extended, staged, current_year)
    figures: dict[tuple[str, str], Figures] = {}
    for result in evaluation.targets:
        line, area = keys[result.target.seq]
        gap = result.gap
        figures[(line.code, area.code)] = Figures(
            area.code, area.name, result.numerator, result.value, result.denominator,
            gap.needed if gap else None, gap.denominator if gap else None, gap.denominator_source if gap else None)
    return figures
