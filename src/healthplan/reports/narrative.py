"""The text of 总体进展 and 存在问题与建议, written from the evaluation: counts, then the targets behind them.

Every sentence is a :class:`~healthplan.reports.model.Claim`; nothing is said that a result does not show.
"""

from __future__ import annotations

from collections.abc import Sequence

from healthplan.domain.plans import Nature, Status, TargetOp
from healthplan.plans.evaluation import Gap, TargetResult
from healthplan.reports.inputs import ReportInputs
from healthplan.reports.model import Claim, Paragraph, ReportKind
from healthplan.reports.outlook import METHOD_TEXT, Outlook, Verdict
from healthplan.reports.sections.gaps import county_gap, largest_gaps, numerator_resource, resource_name
from healthplan.reports.sentences import Pointers, Sentence, amount, label, percent, value

STATUS_ORDER = (Status.MET, Status.ON_TRACK, Status.BEHIND, Status.REGRESSING, Status.NO_DATA)
PROBLEM_LIMIT = 6  # a report names the worst few; the table shows all


def _status_counts(s: Sentence, p: Pointers, results: Sequence[TargetResult], **where: str) -> Sentence:
    """``已达标8项、进度正常5项…`` for the statuses that occur (counted from the results)."""
    parts = [(status, sum(1 for r in results if r.status is status)) for status in STATUS_ORDER]
    present = [(status, n) for status, n in parts if n]
    for index, (status, n) in enumerate(present):
        s.text(("" if index == 0 else "、") + status.label)
        s.count(n, p.targets, **where, status=status.value).text("项")
    return s


def _names(s: Sentence, p: Pointers, results: Sequence[TargetResult]) -> Sentence:
    for index, r in enumerate(results):
        label(s.text("" if index == 0 else "、"), p, r)
    return s


def overall(inputs: ReportInputs) -> list[Paragraph]:
    """总体进展: how many targets, how many in each status, binding targets first and one by one."""
    p = Pointers(inputs.evaluation)
    results = inputs.evaluation.targets
    binding = [r for r in results if r.target.nature is Nature.BINDING]
    expected = [r for r in results if r.target.nature is Nature.EXPECTED]
    s = Sentence().number(inputs.plan.name, p.year("name")).text("共设置主要指标").count(len(results), p.targets) \
        .text("项，其中约束性指标").count(len(binding), p.targets, nature="binding") \
        .text("项、预期性指标").count(len(expected), p.targets, nature="expected").text("项。")
    claims = [s.claim()]
    s = Sentence().text("按").number(str(inputs.year), p.year()).text("年数据监测，")
    claims.append(_status_counts(s, p, results).text("。").claim())
    paragraphs = [Paragraph(tuple(claims), "总体情况。")]
    if binding:
        s = Sentence().text("约束性指标").count(len(binding), p.targets, nature="binding").text("项中，")
        claims = [_status_counts(s, p, binding, nature="binding").text("。").claim()]
        claims += [_target_sentence(inputs, p, r) for r in binding]
        paragraphs.append(Paragraph(tuple(claims), "约束性指标。"))
    if expected:
        s = Sentence().text("预期性指标").count(len(expected), p.targets, nature="expected").text("项中，")
        claims = [_status_counts(s, p, expected, nature="expected").text("。").claim()]
        s = Sentence()
        for status, words in ((Status.REGRESSING, "较基期出现倒退"), (Status.BEHIND, "进展滞后于规划进度")):
            named = [r for r in expected if r.status is status]
            if named:
                _names(s.text("，" if s.claim().sentence else "其中"), p, named).text(words)
        if s.claim().sentence:
            claims.append(s.text("。").claim())
        paragraphs.append(Paragraph(tuple(claims), "预期性指标。"))
    return paragraphs


def _target_sentence(inputs: ReportInputs, p: Pointers, r: TargetResult) -> Claim:
    """``每万人口全科医生数(人)2024年为3.60（基期1.60，目标3.5），已达标。``"""
    s = label(Sentence(), p, r)
    if r.value is None:
        return s.number(str(inputs.year), p.year()).text("年无数据。").claim()
    s.number(str(inputs.year), p.year()).text("年为")
    value(s, p, r).text("（基期")
    value(s, p, r, "baseline_text").text("，目标")
    value(s, p, r, "target_text").text("），").number(r.status.label, p.of(r, "status_label"))
    if r.progress.completion is not None and r.status is not Status.MET:
        percent(s.text("，完成率"), p.of(r, "completion"), r.progress.completion)
    return s.text("。").claim()


def outlook_paragraph(inputs: ReportInputs, outlooks: Sequence[Outlook]) -> Paragraph:
    """Mid-term: how many targets the trend carries to the goal; final: how many were reached."""
    p = Pointers(inputs.evaluation)
    total = len(outlooks)
    counts = {v: sum(1 for o in outlooks if o.verdict is v) for v in Verdict}
    if inputs.kind is ReportKind.FINAL:
        s = Sentence().text("对照").number(str(inputs.plan.target_year), p.year("target_year")).text("年目标，")
        order: tuple[Verdict, ...] = (Verdict.DONE, Verdict.NOT_DONE, Verdict.UNKNOWN)
    else:
        s = Sentence().text(f"对尚未达标的指标{METHOD_TEXT}，预计到") \
            .number(str(inputs.plan.target_year), p.year("target_year")).text("年，")
        order = (Verdict.MET, Verdict.LIKELY, Verdict.UNLIKELY, Verdict.UNKNOWN)
    s.count(total, "/outlook").text("项指标中")
    present = [v for v in order if counts[v]]
    for index, verdict in enumerate(present):
        s.text(("" if index == 0 else "、") + verdict.label).count(counts[verdict], "/outlook",
                                                                    verdict=verdict.value).text("项")
    claims = [s.text("。").claim()]
    misses = [r for r, o in zip(inputs.evaluation.targets, outlooks, strict=True)
              if o.verdict in (Verdict.UNLIKELY, Verdict.NOT_DONE)]
    if misses:
        words = "未完成目标" if inputs.kind is ReportKind.FINAL else "按当前趋势难以如期达标"
        claims.append(_names(Sentence().text("其中"), p, misses).text(f"{words}。").claim())
    return Paragraph(tuple(claims), "目标实现情况。")


def problems_and_suggestions(inputs: ReportInputs, flagged: Sequence[tuple[Claim, Claim]] = ()
                             ) -> tuple[list[Paragraph], list[Paragraph]]:
    """存在问题 and 有关建议: the regressing, then the behind targets (worst completion first), the largest
    resource gaps, missing data, and what the capability sections flag (population beyond the 急救 radius,
    overdue tasks: ``flagged``, as (problem, suggestion) pairs); each problem with its suggestion."""
    p = Pointers(inputs.evaluation)
    results = inputs.evaluation.targets
    problems: list[Claim] = []
    suggestions: list[Claim] = []
    regressing = sorted((r for r in results if r.status is Status.REGRESSING), key=_completion)
    behind = sorted((r for r in results if r.status is Status.BEHIND), key=_completion)
    for r in [*regressing, *behind][:PROBLEM_LIMIT]:
        problems.append(_problem(inputs, p, r))
        suggestions.append(_suggestion(inputs, p, r))
    for r, g in largest_gaps(inputs)[:3]:
        resource = numerator_resource(inputs, r.indicator)
        s = Sentence().text("按").number(str(g.target_year), p.of(r, "gap/target_year")).text("年目标测算，")
        s.text(f"{inputs.scope.name}")
        resource_name(s, r.indicator, resource).text("尚缺")
        amount(s, p.of(r, "gap/gap"), g.gap).text(resource.unit)
        worst = _worst_county(inputs, r)
        if worst is not None:
            cp, cr, cg = worst
            s.text(f"；分县(市、区)测算，{inputs.county_name(cr.org_unit)}缺口最大，为")
            amount(s, cp.of(cr, "gap/gap"), cg.gap).text(resource.unit)
        problems.append(s.text("。").claim())
        s = Sentence().text("加快补充")
        resource_name(s, r.indicator, resource).text("，").number(str(g.target_year), p.of(r, "gap/target_year"))
        amount(s.text("年前新增"), p.of(r, "gap/gap"), g.gap).text(f"{resource.unit}以上")
        if worst is not None:
            s.text(f"，新增资源优先向{inputs.county_name(worst[1].org_unit)}等缺口较大的县(市、区)配置")
        suggestions.append(s.text("。").claim())
    missing = [r for r in results if r.status is Status.NO_DATA]
    if missing:
        s = _names(Sentence(), p, missing).text("等").count(len(missing), p.targets, status="no_data")
        problems.append(s.text("项指标缺少").number(str(inputs.year), p.year()).text("年数据。").claim())
        suggestions.append(Sentence().text("完善相关统计报送和数据质量核查，确保年度监测数据完整、口径一致。").claim())
    for problem, suggestion in flagged:
        problems.append(problem)
        suggestions.append(suggestion)
    if not problems:
        s = Sentence().text("按").number(str(inputs.year), p.year()).text("年数据，各项指标均已达标或进度正常，")
        problems.append(s.text("未发现滞后或倒退的指标。").claim())
        suggestions.append(Sentence().text("保持现有工作力度，巩固已达标指标，防止出现反弹。").claim())
    return ([Paragraph((c,), f"{i}.") for i, c in enumerate(problems, start=1)],
            [Paragraph((c,), f"{i}.") for i, c in enumerate(suggestions, start=1)])


def _completion(r: TargetResult) -> float:
    return r.progress.completion if r.progress.completion is not None else 0.0


def _problem(inputs: ReportInputs, p: Pointers, r: TargetResult) -> Claim:
    s = label(Sentence(), p, r)
    if r.status is Status.REGRESSING:
        s.text("由基期的")
        value(s, p, r, "baseline_text").text("变为").number(str(inputs.year), p.year()).text("年的")
        value(s, p, r).text("，较基期倒退，与目标")
        return value(s, p, r, "target_text").text("的差距扩大。").claim()
    s.number(str(inputs.year), p.year()).text("年为")
    value(s, p, r)
    if r.progress.trajectory is not None:
        s.text("，低于按规划进度应达到的")
        s.number(r.indicator.format(r.progress.trajectory), p.of(r, "trajectory"))
    elif r.target.op is TargetOp.INCREASE:
        s.text("，未实现逐年增长")
    else:
        value(s.text("，距目标"), p, r, "target_text").text("尚有差距")
    if r.progress.completion is not None:
        percent(s.text("，完成率仅"), p.of(r, "completion"), r.progress.completion)
    return s.text("。").claim()


def _suggestion(inputs: ReportInputs, p: Pointers, r: TargetResult) -> Claim:
    s = Sentence().text("将")
    label(s, p, r).text("列为重点督办指标")
    needed = r.progress.annual_change_needed
    if needed is not None and needed != 0:
        direction, scale = ("提高", 1.0) if needed > 0 else ("降低", -1.0)
        s.text("，").number(str(inputs.plan.target_year), p.year("target_year")).text(f"年前需年均{direction}")
        s.number(r.indicator.format(needed * scale).removeprefix("1:"), p.of(r, "annual_change_needed"), scale)
        s.text("方能达到目标")
        value(s, p, r, "target_text")
    elif r.status is Status.REGRESSING:
        s.text("，分析倒退原因，制定整改措施")
    return s.text("。").claim()


def _worst_county(inputs: ReportInputs, r: TargetResult) -> tuple[Pointers, TargetResult, Gap] | None:
    found = [c for c in (county_gap(inputs, county.code, r.target.seq) for county in inputs.counties) if c]
    short = [c for c in found if c[2].gap > 0]
    return max(short, key=lambda c: c[2].gap) if short else None
