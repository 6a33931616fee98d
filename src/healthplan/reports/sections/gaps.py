"""四、资源配置缺口 from the plan evaluation: the beds and staff still needed to reach each per-population target
in the target year, for the plan's region and for each county measured against the same target; then, from
``healthplan.allocation``, the 配置规划表 and the plan's allocation rules (床位冻结, 专科床位占比, 传染病床位下限 …)
applied to the same years — the freeze rule's effect on the county gaps above is said where it holds.

Both count the same way (the allocation restates each standard as a target and lets the plan evaluator count),
so the region's 缺口 in the two tables agree."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from healthplan.allocation import Allocation, allocate, load_rules, shipped_rules
from healthplan.allocation.table import rule_rows
from healthplan.domain.data import DataElement
from healthplan.domain.indicators import Indicator
from healthplan.engine.catalog import Catalog
from healthplan.engine.expression import SumTerm, ValueTerm, parse
from healthplan.plans.evaluation import Gap, TargetResult
from healthplan.reports.inputs import ReportInputs
from healthplan.reports.model import Cell, Claim, Paragraph, Section, Table
from healthplan.reports.sentences import Pointers, Sentence, amount, county_pointers, label, value
from healthplan.store.plans import user_indicators

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


# ---- the 配置规划表 and the plan's allocation rules (healthplan.allocation) ---------------------------------

ALLOCATION = "/sections/resource_gaps/allocation"


def plan_allocation(inputs: ReportInputs) -> Allocation | None:
    """The plan's allocation for its target year from the report year's figures, with the rules shipped for the
    plan (None after the target year, or when the plan sets no per-population standard)."""
    if inputs.year > inputs.plan.target_year:
        return None
    analytics = inputs.analytics
    with inputs.database.sessions() as session:
        catalog = Catalog(user_indicators(session), analytics.elements)
    rules = load_rules(shipped_rules(inputs.plan.code), catalog, analytics.compiler)
    found = allocate(analytics, catalog, inputs.plan, inputs.scope, list(inputs.counties), rules,
                     inputs.plan.target_year, inputs.year)
    return found if found.lines else None


def allocation_data(allocation: Allocation) -> dict[str, object]:
    data = allocation.to_json()
    data["short"] = [item.line.code for item in allocation.lines if (item.region.gap or 0) > 0]
    return data


def allocation_section(inputs: ReportInputs, allocation: Allocation) -> Section:
    """配置规划表 and 配置规则: what each standard needs, and where the plan's rules hold back or ask for more."""
    a = allocation
    s = Sentence().text("按资源配置规则，以").number(str(a.current_year), f"{ALLOCATION}/current_year")
    s.text("年现状为基础、按").number(str(a.year), f"{ALLOCATION}/year").text("年规划人口测算，")
    s.count(len(a.lines), f"{ALLOCATION}/lines").text("项配置标准")
    short = [(i, item) for i, item in enumerate(a.lines) if (item.region.gap or 0) > 0]
    if short:
        s.text("中").count(len(short), f"{ALLOCATION}/short").text("项尚有缺口")
    else:
        s.text("均已满足")
    for n, (i, item) in enumerate(short):
        s.text("：" if n == 0 else "，").number(item.line.name, f"{ALLOCATION}/lines/{i}/name").text("缺")
        amount(s, f"{ALLOCATION}/lines/{i}/region/gap", item.region.gap or 0).text(item.line.indicator.unit)
    lead = s.text("。").claim()
    section = Section("配置规划表与配置规则", [Paragraph((lead,))])
    section.add(*(Paragraph((c,)) for c in (*_freeze_claims(inputs, a), *_unmet_claims(a))))
    section.add(_allocation_table(a))
    unmet = [row for row in rule_rows(a) if row[7] not in ("是", "未触发")]
    if unmet:
        section.add(Table("allocation_rules", "配置规则未达到或已触发的地区",
                          ("规则", "核对", "地区", "实测", "要求", "结论", "缺口/余量"),
                          tuple(tuple(Cell(str(v)) for v in (r[0], r[3], r[4], r[5], r[6], r[7], r[8]))
                                for r in unmet), (4.0, 1.2, 1.6, 3.4, 2.2, 1.6, 1.6), merge=(0,),
                          note=f"注：规则文件 {Path(a.rules_source).name}；“待核对”的标准为二手来源，使用前应核对原文。"))
    return section


def _pointer_key(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _freeze_claims(inputs: ReportInputs, a: Allocation) -> list[Claim]:
    """Each freeze rule where it holds, and what it means for the county gaps above."""
    claims = []
    for i, report in enumerate(a.rules):
        if report.kind != "freeze":
            continue
        frozen = [(j, c) for j, c in enumerate(report.checks) if c.met is False]
        if not frozen:
            continue
        root = f"{ALLOCATION}/rules/{i}"
        s = Sentence().text("按“").number(report.name, f"{root}/name").text(f"”规则（{report.clause.status}，")
        s.number(report.checks[0].requirement, f"{root}/checks/0/requirement").text("），")
        for n, (j, check) in enumerate(frozen):
            s.text("；" if n else "").number(check.name, f"{root}/checks/{j}/name")
            for m, (name, measured) in enumerate(check.measured.items()):
                s.text(("" if m == 0 else "、") + _plain(name) + "为")
                s.number(f"{measured:.1f}" if measured is not None else "—",
                         f"{root}/checks/{j}/measured/{_pointer_key(name)}").text(_unit_of(name))
        s.text("，触发规则，相关床位不再增加")
        held = _held_gaps(inputs, report.effect, [c.org_unit for _, c in frozen])
        if held:
            s.text("；上文按同一标准测算的")
            for n, (county, cp, cr, cg) in enumerate(held):
                s.text(("" if n == 0 else "、") + f"{inputs.county_name(county)}床位缺口")
                amount(s, cp.of(cr, "gap/gap"), cg.gap).text("张")
            s.text("暂缓新增")
        claims.append(s.text("。").claim())
    return claims


def _unit_of(name: str) -> str:
    """The unit an indicator's name ends with in brackets (公立综合医院平均住院日(天) → 天)."""
    found = re.search(r"[(（]([^()（）]*)[)）]$", name)
    return found.group(1) if found else ""


def _plain(name: str) -> str:
    """An indicator's name without its unit in brackets (公立综合医院病床使用率(%) → 公立综合医院病床使用率)."""
    return re.sub(r"[(（][^()（）]*[)）]$", "", name)


def _held_gaps(inputs: ReportInputs, effect: str, areas: list[str]) -> list[tuple[str, Pointers, TargetResult, Gap]]:
    """The county bed shortfalls of 四（二） in the areas a freeze rule holds (its ``effect`` names the lines)."""
    held = []
    for r, _ in gap_targets(inputs):
        if r.indicator.code not in effect:
            continue
        for county in areas:
            found = county_gap(inputs, county, r.target.seq)
            if found is not None and found[2].gap > 0:
                held.append((county, *found))
    return held


def _unmet_claims(a: Allocation) -> list[Claim]:
    claims = []
    for i, report in enumerate(a.rules):
        if report.kind == "freeze":
            continue
        unmet = [(j, c) for j, c in enumerate(report.checks) if c.met is False]
        if not unmet:
            continue
        root = f"{ALLOCATION}/rules/{i}"
        s = Sentence().text("“").number(report.name, f"{root}/name").text(f"”（{report.clause.status}）未达到的有")
        for n, (j, check) in enumerate(unmet):
            at = f"{root}/checks/{j}"
            s.text("、" if n else "").number(check.name, f"{at}/name").text("（要求")
            s.number(check.requirement, f"{at}/requirement").text("，实为")
            name, measured = next(iter(check.measured.items()))
            decimals = 0 if report.kind == "minimum" else 1
            s.number(f"{measured:.{decimals}f}" if measured is not None else "—",
                     f"{at}/measured/{_pointer_key(name)}").text("%" if report.kind == "share" else "")
            short = check.detail.get("shortfall" if report.kind == "minimum" else "shortfall_now")
            if short:
                amount(s.text("，还差"), f"{at}/{'shortfall' if report.kind == 'minimum' else 'shortfall_now'}",
                       short)
            s.text("）")
        claims.append(s.text("。").claim())
    return claims


def _allocation_table(a: Allocation) -> Table:
    rows = []
    for item in a.lines:
        line, r = item.line, item.region
        decimals = line.indicator.decimals
        rows.append((Cell(line.name), Cell(line.indicator.unit), _maybe(r.current, 0), _maybe(r.ratio, decimals),
                     Cell(f"{line.target:.3g}", round(line.target, 3), None),
                     _maybe(None if r.population_target is None else r.population_target / 1e4, 2),
                     _maybe(r.needed, 0), _maybe_signed(r.gap), _maybe(r.annual, 1)))
    return Table("allocation", f"资源配置规划表（{a.current_year}年现状，{a.year}年规划）",
                 ("项目", "单位", "现状总数", "现状配置", "目标配置", "规划人口(万人)", "需要总数", "缺口", "年均增量"),
                 tuple(rows), (4.6, 0.9, 1.5, 1.3, 1.3, 1.6, 1.5, 1.4, 1.5),
                 note="注：配置为每千（万、十万）人口数；需要总数 = 目标配置 × 规划人口 ÷ 系数（向上取整）；"
                      "缺口为负表示已超出标准。")


def _maybe(number: float | None, decimals: int) -> Cell:
    return Cell("—") if number is None else Cell(f"{number:.{decimals}f}", round(number, decimals), decimals)


def _maybe_signed(number: float | None) -> Cell:
    return Cell("—") if number is None else _signed(number)
