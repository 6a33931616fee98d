"""Score an indicator scheme: every item's indicator for every subject in one engine call, then the rules.

A subject with no value for an item (nothing recorded: missing is not zero) earns nothing for it, and the
reason says so. Grades: the first grade whose tiers have every applicable item at full marks.
"""

from __future__ import annotations

from healthplan.assess.result import Assessment, ItemScore, SubjectResult, dimension_scores, lost, ranked
from healthplan.assess.scheme import IndicatorScheme, Item
from healthplan.assess.subjects import Subject
from healthplan.engine.analytics import Analytics


def score_indicators(analytics: Analytics, scheme: IndicatorScheme, subjects: list[Subject],
                     year: int) -> Assessment:
    period = str(year)
    indicators = {i.indicator.code: i.indicator for i in scheme.items}
    values = analytics.evaluate(list(indicators.values()), [period], [s.code for s in subjects])
    table = {(v.indicator, v.org_unit): v.value for v in values}
    names = {d.code: d.name for d in scheme.dimensions}
    results = []
    for subject in subjects:
        items = tuple(_score(item, subject.code, table.get((item.indicator.code, subject.code)))
                      for item in scheme.items if item.applies(subject.code, year))
        results.append(SubjectResult(subject.code, subject.name, items, dimension_scores(items, names),
                                     _grade(scheme, items)))
    return Assessment(scheme.code, scheme.name, year, "indicators", ranked(results), scheme.document)


def _score(item: Item, subject: str, value: float | None) -> ItemScore:
    rule = item.rule_for(subject)
    shown = item.indicator.format(value)
    requirement = rule.requirement()
    if value is None:
        return ItemScore(item.code, item.name, item.dimension, item.weight, None, shown, requirement, 0.0,
                         f"{item.name}：无数据，扣 {item.weight:g} 分", item.tier)
    share = rule.share(round(value, item.indicator.decimals))
    missed = lost(item.weight, share)
    reason = "" if missed <= 0 else f"{item.name}：{shown}{item.indicator.unit}（要求 {requirement}），扣 {missed:g} 分"
    return ItemScore(item.code, item.name, item.dimension, item.weight, value, shown, requirement, share, reason,
                     item.tier)


def _grade(scheme: IndicatorScheme, items: tuple[ItemScore, ...]) -> str:
    for grade in scheme.grades:
        if all(i.share >= 1 for i in items if i.tier in grade.tiers):
            return grade.name
    return scheme.fallback_grade
