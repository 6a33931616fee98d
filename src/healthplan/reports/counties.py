"""分区县比较: each county measured against the plan's targets — status counts, the key indicators county by
county (table and choropleth map)."""

from __future__ import annotations

from healthplan.domain.indicators import Polarity
from healthplan.domain.plans import Nature, Status, TargetOp
from healthplan.plans.evaluation import TargetResult, is_resource_ratio
from healthplan.reports.charts import MapPanel, choropleth
from healthplan.reports.inputs import ReportInputs
from healthplan.reports.model import Cell, Figure, Paragraph, ReportKind, Section, Table
from healthplan.reports.outlook import Outlook, final_outlook, midterm_outlook
from healthplan.reports.sentences import Pointers, Sentence, county_pointers, label, value
from healthplan.reports.tables import completion, number, status, verdict

KEY_LIMIT = 4  # indicators compared county by county (a 2 × 2 page of maps)
COUNTED = (Status.MET, Status.ON_TRACK, Status.BEHIND, Status.REGRESSING, Status.NO_DATA)


def key_targets(inputs: ReportInputs) -> list[TargetResult]:
    """The indicators a county comparison is about: per-population resources, binding ones first; else the
    first quantitative targets."""
    moved = {r.target.seq for e in inputs.county_evaluations.values() for r in e.targets}
    candidates = [r for r in inputs.evaluation.targets if r.target.seq in moved]
    resources = [r for r in candidates if is_resource_ratio(r.indicator)]
    chosen = resources or [r for r in candidates if r.target.op is not TargetOp.INCREASE] or candidates
    chosen = sorted(chosen, key=lambda r: (r.target.nature is not Nature.BINDING, r.target.seq))
    return chosen[:KEY_LIMIT]


def county_section(inputs: ReportInputs) -> Section | None:
    if not inputs.county_evaluations:
        return None
    title = "分区县比较" if inputs.kind is ReportKind.ANNUAL else "分县(市、区)评估"
    section = Section(title)
    section.add(_overview(inputs))
    keys = key_targets(inputs)
    if keys:
        detail = Section("重点指标分县(市、区)情况")
        for r in keys:
            detail.add(*_indicator(inputs, r))
        if not inputs.boundaries.empty:
            panels = [MapPanel(f"{r.label}（{inputs.year}年）", _county_values(inputs, r), r.indicator.decimals,
                               r.indicator.polarity is not Polarity.LOWER_BETTER) for r in keys]
            detail.add(Figure("county_map", f"重点指标分县(市、区)分布（{inputs.year}年）",
                              choropleth(panels, inputs.boundaries)))
        section.add(detail)
    return section


def _county_values(inputs: ReportInputs, r: TargetResult) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    for county in inputs.counties:
        found = inputs.county_result(county.code, r.target.seq)
        values[county.code] = None if found is None else found.value
    return values


def _overview(inputs: ReportInputs) -> Section:
    section = Section("各县(市、区)目标进展概况")
    rows: list[tuple[Cell, ...]] = []
    tallies: dict[str, dict[Status, int]] = {}
    for county in inputs.counties:
        evaluation = inputs.county_evaluations[county.code]
        tallies[county.code] = {s: sum(1 for r in evaluation.targets if r.status is s) for s in COUNTED}
        rows.append((Cell(county.name), *(Cell(str(n), n, 0) for n in tallies[county.code].values()),
                     Cell(str(len(evaluation.targets)), len(evaluation.targets), 0)))
    best = max(inputs.counties, key=lambda c: tallies[c.code][Status.MET])
    worst = max(inputs.counties, key=lambda c: (tallies[c.code][Status.REGRESSING] + tallies[c.code][Status.BEHIND],
                                                tallies[c.code][Status.REGRESSING]))
    bp = county_pointers(inputs.county_evaluations[best.code], best.code)
    s = Sentence().text(f"以{inputs.scope.name}目标衡量各县(市、区)，{best.name}已达标指标最多，为")
    s.count(tallies[best.code][Status.MET], bp.targets, status="met").text("项")
    lagging = tallies[worst.code][Status.BEHIND] + tallies[worst.code][Status.REGRESSING]
    if lagging:
        wp = county_pointers(inputs.county_evaluations[worst.code], worst.code)
        s.text(f"；{worst.name}滞后和倒退指标最多，滞后")
        s.count(tallies[worst.code][Status.BEHIND], wp.targets, status="behind").text("项、倒退")
        s.count(tallies[worst.code][Status.REGRESSING], wp.targets, status="regressing").text("项")
    section.add(Paragraph((s.text("。").claim(),)))
    section.add(Table("county_status", f"各县(市、区)目标进展状态（{inputs.year}年，按{inputs.scope.name}目标）",
                      ("县(市、区)", *(s.label for s in COUNTED), "合计"), tuple(rows), (2.4, *(1.3 for _ in COUNTED), 1.2),
                      note="注：各县(市、区)指标按规划确定的全市目标值判定，基期值按各县(市、区)数据计算。"))
    return section


def _outlook(inputs: ReportInputs, r: TargetResult) -> Outlook:
    return final_outlook(r) if inputs.kind is ReportKind.FINAL else midterm_outlook(r)


def _indicator(inputs: ReportInputs, r: TargetResult) -> list[Paragraph | Table]:
    """One key indicator: a sentence on the highest and lowest county, and the county table."""
    p = Pointers(inputs.evaluation)
    found = [(c, inputs.county_result(c.code, r.target.seq)) for c in inputs.counties]
    known = [(c, cr) for c, cr in found if cr is not None and cr.value is not None]
    s = label(Sentence(), p, r).number(str(inputs.year), p.year()).text(f"年{inputs.scope.name}为")
    value(s, p, r)
    if len(known) >= 2:
        ranked = sorted(known, key=lambda cr: cr[1].value if cr[1].value is not None else 0.0)
        (low_c, low), (high_c, high) = ranked[0], ranked[-1]
        s.text(f"，各县(市、区)中最高的是{high_c.name}（")
        value(s, county_pointers(inputs.county_evaluations[high_c.code], high_c.code), high)
        s.text(f"），最低的是{low_c.name}（")
        value(s, county_pointers(inputs.county_evaluations[low_c.code], low_c.code), low).text("）")
        reached = [c for c, cr in known if cr.status is Status.MET]
        if reached:
            s.text("；").count(len(reached), "/county_targets", seq=str(r.target.seq), status="met")
            s.text("个县(市、区)已达到目标")
    claim = s.text("。").claim()
    rows = [_row(inputs, inputs.scope.name, r)]
    rows += [_row(inputs, c.name, cr) if cr else (Cell(c.name), *(Cell("—") for _ in rows[0][1:]))
             for c, cr in found]
    header = ["县(市、区)", "基期值", f"{inputs.year}年值", "目标值"]
    widths: list[float] = [2.4, 1.6, 1.6, 1.8]
    if inputs.kind is ReportKind.ANNUAL:
        header += ["进展状态"]
        widths += [1.6]
    elif inputs.kind is ReportKind.MIDTERM:
        header += ["完成率（%）", f"预计{inputs.plan.target_year}年值", "预计能否达标"]
        widths += [1.5, 1.6, 1.8]
    else:
        header += ["完成率（%）", "是否完成"]
        widths += [1.5, 1.5]
    table = Table(f"county_{r.indicator.code}", f"{r.label}分县(市、区)情况", tuple(header), tuple(rows),
                  tuple(widths))
    return [Paragraph((claim,)), table]


def _row(inputs: ReportInputs, name: str, r: TargetResult) -> tuple[Cell, ...]:
    lead = (Cell(name), number(r, r.baseline), number(r, r.value), Cell(r.target_text))
    if inputs.kind is ReportKind.ANNUAL:
        return (*lead, status(r))
    o = _outlook(inputs, r)
    if inputs.kind is ReportKind.MIDTERM:
        projected = Cell("—") if o.projected is None else number(r, o.projected)
        return (*lead, completion(r), projected, verdict(o))
    return (*lead, completion(r), verdict(o))
