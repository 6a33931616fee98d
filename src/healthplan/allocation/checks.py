"""Applying the freeze, share and minimum rules to the region and its counties in the current year.

Why separate from the lines: these rules are not ratios to scale by population; each is measured once per
area (one engine call for all of them) and reported as met or not, with the shortfall in whole units a
planner can budget for (负压救护车还差 N 辆).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from healthplan.allocation.ruleset import Areas, Clause, FreezeRule, MinimumRule, RuleSet, ShareRule
from healthplan.domain.indicators import Indicator
from healthplan.domain.registry import OrgUnit
from healthplan.engine.analytics import Analytics, IndicatorValue

# the planned denominator of a share rule at an area, from the line or minimum rule it names (None: unknown)
Basis = Callable[[str, str], float | None]


@dataclass(frozen=True)
class Check:
    """One rule at one area. ``met`` is None when the data needed are missing."""

    org_unit: str
    name: str
    met: bool | None
    measured: Mapping[str, float | None]
    requirement: str
    detail: Mapping[str, float | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"org_unit": self.org_unit, "name": self.name, "met": self.met, "measured": dict(self.measured),
                "requirement": self.requirement, **dict(self.detail)}


@dataclass(frozen=True)
class RuleReport:
    code: str
    name: str
    kind: str
    clause: Clause
    checks: tuple[Check, ...]
    effect: str = ""

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "kind": self.kind, **self.clause.to_json(),
                "effect": self.effect, "checks": [c.to_json() for c in self.checks]}


def areas_of(which: Areas, scope: OrgUnit, counties: Sequence[OrgUnit]) -> list[OrgUnit]:
    return {"scope": [scope], "counties": list(counties), "both": [scope, *counties]}[which]


def measure(analytics: Analytics, rules: RuleSet, scope: OrgUnit, counties: Sequence[OrgUnit],
            year: int) -> dict[tuple[str, str], IndicatorValue]:
    """Every indicator the freeze/share/minimum rules use, at every area, in ``year`` (one engine call)."""
    indicators: dict[str, Indicator] = {}
    for rule in rules.rules:
        if isinstance(rule, FreezeRule):
            indicators.update({c.indicator.code: c.indicator for c in rule.conditions})
        elif isinstance(rule, ShareRule | MinimumRule):
            indicators[rule.indicator.code] = rule.indicator
    if not indicators:
        return {}
    codes = [scope.code, *(c.code for c in counties)]
    values = analytics.evaluate(list(indicators.values()), [str(year)], codes)
    return {(v.indicator, v.org_unit): v for v in values}


def freeze_report(rule: FreezeRule, areas: Sequence[OrgUnit],
                  measured: Mapping[tuple[str, str], IndicatorValue]) -> RuleReport:
    """Where every condition holds, the rule's lines get no increase (``met`` False = frozen)."""
    checks = []
    for area in areas:
        values = {c.indicator.name: _value(measured, c.indicator, area.code) for c in rule.conditions}
        known = [(c, values[c.indicator.name]) for c in rule.conditions]
        frozen = None if any(v is None for _, v in known) else all(c.holds(v) for c, v in known if v is not None)
        checks.append(Check(area.code, area.name, None if frozen is None else not frozen, values,
                            " 且 ".join(c.text for c in rule.conditions) + " 时不再增加"))
    return RuleReport(rule.code, rule.name, "freeze", rule.clause, tuple(checks),
                      f"不再增加：{'、'.join(rule.withhold)}")


def frozen_areas(report: RuleReport) -> set[str]:
    return {c.org_unit for c in report.checks if c.met is False}


def minimum_report(rule: MinimumRule, areas: Sequence[OrgUnit],
                   measured: Mapping[tuple[str, str], IndicatorValue]) -> RuleReport:
    checks = []
    for area in areas:
        floor = rule.floor(area.code)
        if floor is None:
            continue
        value = _value(measured, rule.indicator, area.code)
        shortfall = None if value is None else max(0.0, floor - value)
        checks.append(Check(area.code, area.name, None if value is None else value >= floor,
                            {rule.indicator.name: value}, f"≥ {floor:g}{rule.indicator.unit}",
                            {"minimum": floor, "shortfall": shortfall}))
    return RuleReport(rule.code, rule.name, "minimum", rule.clause, tuple(checks))


def share_report(rule: ShareRule, areas: Sequence[OrgUnit], measured: Mapping[tuple[str, str], IndicatorValue],
                 basis: Basis) -> RuleReport:
    """The share now, the whole units missing (or over the cap) now, and — when the rule names a ``basis`` —
    the units needed for the planned denominator in the allocation year."""
    checks = []
    for area in areas:
        found = measured.get((rule.indicator.code, area.code))
        share = None if found is None else found.value
        numerator = None if found is None else found.numerator
        denominator = None if found is None else found.denominator
        detail: dict[str, float | None] = {"low": rule.low, "high": rule.high, "numerator": numerator,
                                           "denominator": denominator}
        met = None
        if share is not None and numerator is not None and denominator is not None:
            met = (rule.low is None or share >= rule.low) and (rule.high is None or share <= rule.high)
            detail.update(_units(rule, numerator, denominator, "now"))
        planned = basis(rule.basis, area.code) if rule.basis else None
        if planned is not None:
            detail["planned_denominator"] = planned
            detail.update(_units(rule, numerator or 0.0, planned, "planned"))
        checks.append(Check(area.code, area.name, met, {rule.indicator.name: share}, _range_text(rule), detail))
    return RuleReport(rule.code, rule.name, "share", rule.clause, tuple(checks))


def _units(rule: ShareRule, numerator: float, denominator: float, when: str) -> dict[str, float | None]:
    """Whole units short of the lower bound and room left under the upper bound (negative: over the cap)."""
    scale = rule.indicator.factor
    out: dict[str, float | None] = {}
    if rule.low is not None:
        out[f"shortfall_{when}"] = max(0.0, math.ceil(rule.low * denominator / scale - 1e-9) - numerator)
    if rule.high is not None:
        out[f"headroom_{when}"] = math.floor(rule.high * denominator / scale + 1e-9) - numerator
    return out


def _range_text(rule: ShareRule) -> str:
    unit = rule.indicator.unit
    if rule.low is not None and rule.high is not None:
        return f"{rule.low:g}–{rule.high:g}{unit}"
    return f"≥ {rule.low:g}{unit}" if rule.low is not None else f"≤ {rule.high:g}{unit}"


def _value(measured: Mapping[tuple[str, str], IndicatorValue], indicator: Indicator, code: str) -> float | None:
    found = measured.get((indicator.code, code))
    return None if found is None else found.value

