"""四、资源配置缺口 from the plan evaluation: the beds and staff still needed to reach each per-population target
in the target year, for the plan's region and for each county measured against the same target."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from healthplan.domain.data import DataElement
from healthplan.domain.indicators import Indicator
from healthplan.engine.expression import SumTerm, ValueTerm, parse
from healthplan.plans.evaluation import Gap, TargetResult
from healthplan.reports.inputs import ReportInputs
from healthplan.reports.model import Cell, Claim, Paragraph, Section, Table
from healthplan.reports.sentences import Pointers, Sentence, amount, county_pointers, label, value

DENOMINATOR_SOURCE = {"entered": "按填报的目标年数值", "projected": "按历年数据线性推算"}


@dataclass(frozen=True)
class Resource:
    name: str  # 注册护士
    unit: str  # 人


def resource_of(expression: str, elements: Mapping[str, DataElement], fallback: str) -> Resource:
    """What a ratio's numerator or denominator counts, named as its data element (``sum(staff.nurse)``)."""
    term = parse(expression)
    if isinstance(term, SumTerm | ValueTerm) and term.de in elements:
        element = elements[term.de]
        return Resource(element.name, element.unit)
    return Resource(fallback, "")


_PER_POPULATION = re.compile(r"^每(?:千|万|十万|百万)?(?:常住)?人口(?:拥有)?(?P<what>.+?)(?:数量|数)?$")


def numerator_resource(inputs: ReportInputs, indicator: Indicator) -> Resource:
    """The resource a per-population ratio counts, in the indicator's own words (每千人口注册护士数 → 注册护士,
    每千人口公共卫生人员数 → 公共卫生人员 rather than the broader data element 卫生人员)."""
    element = resource_of(indicator.numerator, inputs.elements, indicator.name)
    named = _PER_POPULATION.match(indicator.name)
    return Resource(named.group("what"), element.unit) if named else element


def resource_name(s: Sentence, indicator: Indicator, resource: Resource) -> Sentence:
    """The resource's name, sourced from the report data (names such as 3岁以下婴幼儿托位 contain digits)."""
    return s.number(resource.name, f"/resources/{indicator.code}/name")


def resources_data(inputs: ReportInputs) -> dict[str, dict[str, str]]:
    """``/resources`` of the report data: what each gap counts, by indicator code."""
    indicators = {r.indicator.code: r.indicator for e in (inputs.evaluation, *inputs.county_evaluations.values())
                  for r in e.targets if r.gap is not None}
    return {code: {"name": res.name, "unit": res.unit}
            for code, ind in indicators.items() for res in [numerator_resource(inputs, ind)]}


def gap_targets(inputs: ReportInputs) -> list[tuple[TargetResult, Gap]]:
    """The region's targets with a resource gap, in the plan's order."""
    return [(r, r.gap) for r in inputs.evaluation.targets if r.gap is not None]


def largest_gaps(inputs: ReportInputs) -> list[tuple[TargetResult, Gap]]:
    """Shortfalls only, the largest share of what is needed first."""
    short = [(r, g) for r, g in gap_targets(inputs) if g.gap > 0]
    return sorted(short, key=lambda rg: -rg[1].gap / max(rg[1].needed, 1.0))


def county_gap(inputs: ReportInputs, code: str, seq: int) -> tuple[Pointers, TargetResult, Gap] | None:
    r = inputs.county_result(code, seq)
    if r is None or r.gap is None:
        return None
    return county_pointers(inputs.county_evaluations[code], code), r, r.gap


def resource_gaps(inputs: ReportInputs) -> Section | None:
    rows = gap_targets(inputs)
    if not rows:
        return None
    p = Pointers(inputs.evaluation)
    section = Section("资源配置缺口")
    first_gap = rows[0][1]
    intro = Sentence().text("按规划目标值和").number(str(first_gap.target_year), p.year("target_year")) \
        .text("年人口测算各类资源的目标年需要量，与").number(str(inputs.year), p.year()) \
        .text("年现有量比较，正数为缺口、负数为富余。").claim()
    region = Section(f"{inputs.scope.name}资源配置缺口")
    region.add(Paragraph((intro,)), *(Paragraph((_region_claim(inputs, p, r, g),)) for r, g in rows))
    region.add(_region_table(inputs, rows))
    section.add(region)
    counties = _county_section(inputs, rows)
    if counties is not None:
        section.add(counties)
    return section


def _region_claim(inputs: ReportInputs, p: Pointers, r: TargetResult, g: Gap) -> Claim:
    resource = numerator_resource(inputs, r.indicator)
    population = resource_of(r.indicator.denominator or "", inputs.elements, "人口")
    s = label(Sentence(), p, r).text("目标为")
    value(s, p, r, "target_text").text("，按").number(str(g.target_year), p.of(r, "gap/target_year")) \
        .text(f"年{population.name}")
    amount(s, p.of(r, "gap/denominator"), g.denominator, 1, 1e-4).text(f"万{population.unit}（")
    s.text(DENOMINATOR_SOURCE.get(g.denominator_source, g.denominator_source)).text("）计，需")
    resource_name(s, r.indicator, resource)
    amount(s, p.of(r, "gap/needed"), g.needed).text(f"{resource.unit}，现有")
    amount(s, p.of(r, "gap/current"), g.current).text(resource.unit)
    if g.gap > 0:
        amount(s.text("，尚缺"), p.of(r, "gap/gap"), g.gap).text(f"{resource.unit}。")
    else:
        amount(s.text("，已满足需要，富余"), p.of(r, "gap/gap"), g.gap, scale=-1).text(f"{resource.unit}。")
    return s.claim()


def _region_table(inputs: ReportInputs, rows: list[tuple[TargetResult, Gap]]) -> Table:
    target_year = rows[0][1].target_year
    body = []
    for r, g in rows:
        resource = numerator_resource(inputs, r.indicator)
        body.append((Cell(r.label), Cell(r.target_text), Cell(f"{resource.name}（{resource.unit}）"),
                     Cell(f"{g.denominator / 1e4:.1f}", round(g.denominator / 1e4, 1), 1),
                     _int(g.needed), _int(g.current), _signed(g.gap)))
    return Table("gaps", f"{inputs.scope.name}{target_year}年资源配置需要量与缺口",
                 ("指标", "目标值", "资源（单位）", f"{target_year}年人口（万人）", "目标年需要量",
                  f"{inputs.year}年现有量", "缺口"),
                 tuple(body), (5, 1.6, 3.2, 1.8, 1.6, 1.6, 1.4),
                 note="注：缺口 = 目标值 × 目标年人口 ÷ 指标系数 − 现有量，正数为缺口，负数为富余。")


def _county_section(inputs: ReportInputs, rows: list[tuple[TargetResult, Gap]]) -> Section | None:
    if not inputs.county_evaluations:
        return None
    section = Section("分县(市、区)资源配置缺口")
    claims = []
    header = ["县(市、区)"]
    table_rows: list[tuple[Cell, ...]] = []
    for r, _ in rows:
        resource = numerator_resource(inputs, r.indicator)
        header.append(f"{resource.name}（{resource.unit}）")
        found = [c for c in (county_gap(inputs, county.code, r.target.seq) for county in inputs.counties) if c]
        short = [c for c in found if c[2].gap > 0]
        if short:
            cp, cr, cg = max(short, key=lambda c: c[2].gap)
            code = cr.org_unit
            s = resource_name(Sentence(), r.indicator, resource)
            s.text(f"缺口最大的是{inputs.county_name(code)}，按{inputs.scope.name}目标值")
            value(s, cp, cr, "target_text").text("测算尚缺")
            claims.append(amount(s, cp.of(cr, "gap/gap"), cg.gap).text(f"{resource.unit}。").claim())
    for county in inputs.counties:
        cells = [Cell(county.name)]
        for r, _ in rows:
            found_gap = county_gap(inputs, county.code, r.target.seq)
            cells.append(_signed(found_gap[2].gap) if found_gap else Cell("—"))
        table_rows.append(tuple(cells))
    lead = Sentence().text(f"各县(市、区)按{inputs.scope.name}目标值和本县(市、区)目标年人口测算。").claim()
    section.add(Paragraph((lead, *claims)))
    section.add(Table("county_gaps", "各县(市、区)资源配置缺口", tuple(header), tuple(table_rows),
                      (2.2, *(1.6 for _ in rows)), note="注：正数为缺口，负数为富余。"))
    return section


def _int(number: float) -> Cell:
    return Cell(f"{number:.0f}", round(number), 0)


def _signed(number: float) -> Cell:
    return Cell(f"{number:+.0f}", round(number), 0)
