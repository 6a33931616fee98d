"""Score a plan's targets for each subject area: the county-level assessment built from a city plan.

Each target without an org unit of its own is applied to every subject (each county measured against the
city's goal; a target set for one county applies to that county only), evaluated with the plan's own rules
(:func:`healthplan.plans.evaluation.evaluate_plan`). A met target earns its whole weight; otherwise its
completion (value − baseline)/(goal − baseline), kept within 0–1; no completion (no data, no numeric goal) earns
nothing. The weight follows the target's nature (约束性/预期性); the dimensions are the targets' categories.
"""

from __future__ import annotations

from dataclasses import replace

from healthplan.assess.result import Assessment, ItemScore, SubjectResult, dimension_scores, lost, ranked
from healthplan.assess.scheme import TargetScheme
from healthplan.assess.subjects import Subject
from healthplan.domain.plans import Plan, Status
from healthplan.engine.analytics import Analytics
from healthplan.engine.catalog import Catalog
from healthplan.plans.evaluation import TargetResult, evaluate_plan

UNCATEGORISED = "其他指标"


def score_targets(analytics: Analytics, catalog: Catalog, plan: Plan, scheme: TargetScheme,
                  subjects: list[Subject], year: int) -> Assessment:
    results = []
    for subject in subjects:
        targets = tuple(replace(t, org_unit=None) for t in plan.targets
                        if t.indicator not in scheme.exclude and t.org_unit in (None, subject.code))
        if not targets:
            results.append(SubjectResult(subject.code, subject.name, (), ()))
            continue
        evaluation = evaluate_plan(analytics, catalog, replace(plan, org_unit=subject.code, targets=targets), year)
        items = tuple(_score(r, scheme.weights[r.target.nature.value]) for r in evaluation.targets)
        names = {i.dimension: i.dimension for i in items}
        results.append(SubjectResult(subject.code, subject.name, items, dimension_scores(items, names)))
    return Assessment(scheme.code, scheme.name, year, "plan_targets", ranked(results), scheme.document)


def _score(result: TargetResult, weight: float) -> ItemScore:
    completion = result.progress.completion
    if result.status is Status.MET:
        share = 1.0
    elif completion is not None:
        share = min(1.0, max(0.0, completion))
    else:
        share = 0.0
    missed = lost(weight, share)
    done = f"完成率 {completion:.0%}，" if completion is not None else ""
    reason = "" if missed <= 0 else (f"{result.label}：当年值 {result.indicator.format(result.value)}，"
                                     f"目标 {result.target_text}，{result.status.label}（{done}扣 {missed:g} 分）")
    t = result.target
    return ItemScore(str(t.seq), result.label, t.category or UNCATEGORISED, weight, result.value,
                     result.indicator.format(result.value), result.target_text, share, reason, t.nature.value)
