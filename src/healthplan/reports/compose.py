"""Assemble the annual monitoring report (年度监测报告) or the mid-term/final evaluation (中期/末期评估报告).

Annual: 一、总体进展 二、主要指标完成情况 三、分区县比较, the capabilities' sections (资源配置缺口 …), then
存在问题与建议. Mid-term and final: 评估概况 (with whether each target is or will be met), 主要指标完成情况,
指标变化趋势 (charts from the base year), 分县(市、区)评估, the capabilities' sections, 存在问题与建议.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from healthplan.domain.plans import TargetOp
from healthplan.plans.evaluation import TargetResult
from healthplan.plans.progress import goal, satisfied
from healthplan.reports.charts import TrendPanel, trends
from healthplan.reports.counties import county_section
from healthplan.reports.inputs import ReportInputs
from healthplan.reports.model import Claim, Figure, Paragraph, Report, ReportKind, Section
from healthplan.reports.narrative import outlook_paragraph, overall, problems_and_suggestions
from healthplan.reports.outlook import Outlook, final_outlook, midterm_outlook
from healthplan.reports.sections import PROVIDERS
from healthplan.reports.sections.gaps import resources_data
from healthplan.reports.sentences import Pointers, Sentence
from healthplan.reports.tables import targets_table

TRENDS_PER_FIGURE = 6
TYPE_AREA_CM = 15.6


def build_report(inputs: ReportInputs, today: dt.date | None = None) -> Report:
    plan, year, kind = inputs.plan, inputs.year, inputs.kind
    outlooks = [final_outlook(r) if kind is ReportKind.FINAL else midterm_outlook(r)
                for r in inputs.evaluation.targets]
    data: dict[str, object] = {
        "evaluation": inputs.evaluation.to_json(),
        "counties": {code: {"name": inputs.county_name(code), "evaluation": e.to_json()}
                     for code, e in inputs.county_evaluations.items()},
        "county_targets": [{"county": code, "seq": r.target.seq, "status": r.status.value}
                           for code, e in inputs.county_evaluations.items() for r in e.targets],
        "resources": resources_data(inputs),
    }
    sections: list[Section] = []
    if kind is ReportKind.ANNUAL:
        sections.append(Section("总体进展", list(overall(inputs))))
    else:
        data["outlook"] = [{"seq": r.target.seq, **o.to_json()}
                           for r, o in zip(inputs.evaluation.targets, outlooks, strict=True)]
        sections.append(_summary(inputs, outlooks))
    sections.append(_targets(inputs, outlooks))
    if kind is not ReportKind.ANNUAL:
        trend = _trends(inputs, outlooks)
        if trend is not None:
            sections.append(trend)
    counties = county_section(inputs)
    if counties is not None:
        sections.append(counties)
    provided: dict[str, object] = {}
    flagged: list[tuple[Claim, Claim]] = []
    for provider in PROVIDERS:
        contribution = provider(inputs)
        if contribution is not None:
            sections.append(contribution.section)
            provided[contribution.key] = dict(contribution.data)
            flagged.extend(contribution.problems)
    data["sections"] = provided
    problems, suggestions = problems_and_suggestions(inputs, flagged)
    sections.append(Section("存在问题与建议", [Section("存在问题", list(problems)),
                                               Section("有关建议", list(suggestions))]))
    title = f"{plan.name}\n{year}年度监测报告" if kind is ReportKind.ANNUAL else f"{plan.name}\n{kind.label}"
    subtitle = f"（{inputs.scope.name} · {year}年度）" if kind is ReportKind.ANNUAL else \
        f"（{inputs.scope.name} · 基期{plan.base_year}年 · 评估数据截至{year}年）"
    made = (today or dt.date.today()).isoformat()
    note = f"本报告由 healthplan 依据{year}年统计数据自动生成（{made}），文中数字均取自同一评估结果。"
    return Report(kind, title, subtitle, sections, data, note)


def _summary(inputs: ReportInputs, outlooks: Sequence[Outlook]) -> Section:
    """评估概况 of a mid-term or final evaluation: scope, method, where the targets stand and will end."""
    plan, p = inputs.plan, Pointers(inputs.evaluation)
    s = Sentence().text("本次评估以").number(str(plan.base_year), p.year("base_year")).text("年为基期、") \
        .number(str(inputs.year), p.year()).text("年为评估年，对照").number(str(plan.target_year), p.year("target_year"))
    s.text("年目标，逐项评估").number(plan.name, p.year("name")).text("主要指标的完成情况，并分县(市、区)比较。")
    paragraphs = [Paragraph((s.claim(),), "评估范围和方法。"), *overall(inputs), outlook_paragraph(inputs, outlooks)]
    return Section("评估概况", list(paragraphs))


def _targets(inputs: ReportInputs, outlooks: Sequence[Outlook]) -> Section:
    p = Pointers(inputs.evaluation)
    s = Sentence().number(str(inputs.year), p.year()).text("年各项主要指标的基期值、当年值、目标值及进展状态见下表，")
    s.text("类别和序号与规划文本一致。")
    table = targets_table(inputs.evaluation, inputs.kind, outlooks)
    return Section("主要指标完成情况", [Paragraph((s.claim(),)), table])


def _trend_panel(inputs: ReportInputs, r: TargetResult, o: Outlook) -> TrendPanel:
    plan = inputs.plan
    g = goal(r.target, r.baseline, r.indicator.polarity)
    point = None if g is None else g.point
    started_met = g is not None and r.baseline is not None and satisfied(g, r.baseline)
    baseline = None if r.baseline is None or started_met else (plan.base_year, r.baseline)
    projection = None
    if inputs.kind is ReportKind.MIDTERM and o.projected is not None and inputs.year < plan.target_year:
        projection = (plan.target_year, o.projected)
    return TrendPanel(r.label, r.series, r.indicator.decimals, plan.target_year, point, baseline, projection)


def _trends(inputs: ReportInputs, outlooks: Sequence[Outlook]) -> Section | None:
    drawn = [(r, o) for r, o in zip(inputs.evaluation.targets, outlooks, strict=True)
             if r.target.op is not TargetOp.QUALITATIVE and any(v is not None for _, v in r.series)]
    if not drawn:
        return None
    p = Pointers(inputs.evaluation)
    s = Sentence().text("下图中实线为").number(str(inputs.plan.base_year), p.year("base_year")).text("—") \
        .number(str(inputs.year), p.year()).text("年实际值，点线为由基期值到目标值的规划进度线，星号为")
    s.number(str(inputs.plan.target_year), p.year("target_year")).text("年目标值")
    if inputs.kind is ReportKind.MIDTERM:
        s.text("，虚线为按趋势外推的预计值")
    section = Section("指标变化趋势", [Paragraph((s.text("。").claim(),))])
    figures = -(-len(drawn) // TRENDS_PER_FIGURE)
    size = -(-len(drawn) // figures)  # balanced, so that no figure is left with a lone chart
    for start in range(0, len(drawn), size):
        chunk = drawn[start:start + size]
        panels = [_trend_panel(inputs, r, o) for r, o in chunk]
        first, last = chunk[0][0].target.seq, chunk[-1][0].target.seq
        title = f"主要指标变化趋势（序号{first}—{last}）" if last != first else f"主要指标变化趋势（序号{first}）"
        width = TYPE_AREA_CM if len(chunk) > 1 else TYPE_AREA_CM / 2
        section.add(Figure(f"trends_{first}", title, trends(panels), width))
    return section
