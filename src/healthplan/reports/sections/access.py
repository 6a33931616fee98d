"""五、服务可及性 from ``healthplan.access``: who is within each service standard (急救半径, 15分钟医疗圈, 村卫生室,
每乡镇一所卫生院) in each county, the townships beyond reach, and the best new emergency stations with the
population they add, on a map.

Computed when the report is made, for the plan's region at the end of the report year, as ``healthplan access
coverage`` and ``access sites --new 3`` compute it: township seats with their resident population, great-circle
distance × the circuity factor of the shipped standards (the text says so). Sentences are written from the
section's data (``/sections/access``), so each number points at the value it shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from healthplan.access import (
    Coverage,
    GreatCircle,
    Proposal,
    Region,
    Standard,
    assess,
    count_sites,
    load_region,
    load_standards,
    propose,
    select_sites,
    township_demand,
)
from healthplan.access import maps as access_maps
from healthplan.access.population import shipped_boundaries
from healthplan.access.region import site_places
from healthplan.domain.geo import MultiPolygon
from healthplan.domain.problems import HealthplanError
from healthplan.reports.inputs import ReportInputs
from healthplan.reports.model import Cell, Claim, Figure, Paragraph, Section, Table
from healthplan.reports.sentences import Sentence, amount

ROOT = "/sections/access"
NEW_SITES = 3  # as the demo's ``access sites --new 3``: a budget a city can build within a plan period
FARTHEST = 10  # townships listed by name in the table of those beyond reach
WAN = 1e-4  # populations are written in 万人


def access_data(inputs: ReportInputs) -> tuple[dict[str, Any], Coverage | None, Proposal | None,
                                                dict[str, MultiPolygon]] | None:
    """The section's data, the coverage and proposal to map (None when the region has no located population)."""
    analytics = inputs.analytics
    try:
        region = load_region(inputs.database, analytics, inputs.scope.code, inputs.year)
    except HealthplanError:
        return None  # no township or county with coordinates and a resident population
    standards = load_standards()
    travel = GreatCircle(standards.travel)
    demand = township_demand(region)
    assessed: list[dict[str, Any]] = []
    first: tuple[Standard, Coverage] | None = None
    for standard in standards.standards.values():
        sites = select_sites(analytics, region, standard.facilities)
        if standard.measure == "count":
            coverage = count_sites(standard, demand, sites, region)
        else:
            cost = travel.matrix(demand.places, site_places(sites), standard.measure)
            coverage = assess(standard, demand, sites, cost, region, travel)
            first = first or (standard, coverage)
        assessed.append(_standard_json(standard, coverage))
    data: dict[str, Any] = {"region": region.scope.code, "year": region.year, "distance_method": travel.method,
                            "travel": travel.describe(),
                            "travel_zh": travel.describe().split(" / ")[0], "demand": demand.describe(), "notes": list(region.notes),
                            "townships": len(demand), "standards": assessed, "sites": None}
    counties = sorted({s.county for s in region.seats})
    boundaries = {k: v for k, v in shipped_boundaries(counties).items() if k in counties}
    if first is None:
        return data, None, None, boundaries
    standard, coverage = first
    proposal = _proposal(inputs, region, standard, coverage, travel)
    if proposal is not None:
        data["sites"] = _sites_json(proposal, region, standard, travel)
    return data, coverage, proposal, boundaries


def _standard_json(standard: Standard, coverage: Coverage) -> dict[str, Any]:
    limits = "，".join(f"{k.label}≤{v.strict:g}" + (f"–{v.lenient:g}" if v.lenient != v.strict else "")
                      + standard.unit for k, v in standard.limits.items())
    return {"code": standard.code, "name": standard.name, "measure": standard.measure, "unit": standard.unit,
            "status": standard.status, "document": standard.document, "facilities_label": standard.facilities_label,
            "limits_text": limits if standard.measure != "count" else f"每个乡镇(街道)≥{standard.minimum}所",
            "ranged": any(v.strict != v.lenient for v in standard.limits.values()),
            "facilities": len(coverage.sites), "areas": [a.to_json() for a in coverage.areas],
            "beyond": [s.to_json() for s in coverage.beyond()],
            "beyond_strict": [s.to_json() for s in coverage.beyond(strict=True)]}


def _proposal(inputs: ReportInputs, region: Region, standard: Standard, coverage: Coverage,
              travel: GreatCircle) -> Proposal | None:
    """The best ``NEW_SITES`` new sites (MCLP, lenient bound, existing kept) when anyone is beyond reach."""
    if not standard.candidates or not coverage.beyond():
        return None
    pool = select_sites(inputs.analytics, region, standard.candidates)
    if not [p for p in pool if p.code not in {s.code for s in coverage.sites}]:
        return None
    return propose(standard, coverage.demand, coverage.sites, pool, travel, region, new_sites=NEW_SITES)


def _sites_json(proposal: Proposal, region: Region, standard: Standard, travel: GreatCircle) -> dict[str, Any]:
    whole = proposal.to_json()
    before = proposal.before.areas[-1].covered
    demand = proposal.before.demand
    new = []
    for site in proposal.new:
        alone = [*proposal.before.sites, site]
        cost = travel.matrix(demand.places, site_places(alone), standard.measure)
        added = assess(standard, demand, alone, cost, region, travel).areas[-1].covered - before
        part = region.areas.get(site.part)
        new.append({**site.to_json(), "part_name": part.name if part else site.part, "gain_alone": round(added)})
    return {key: whole[key] for key in ("model", "bound", "standard", "population", "covered_before",
                                        "covered_after", "gain", "status", "optimal", "gap", "seconds")} | {
        "existing": len(proposal.before.sites), "new": new, "standard_name": standard.name,
        "beyond_after": len(proposal.after.beyond())}


def access_section(inputs: ReportInputs) -> tuple[Section, dict[str, Any]] | None:
    found = access_data(inputs)
    if found is None:
        return None
    data, coverage, proposal, boundaries = found
    section = Section("服务可及性")
    lead = Sentence().text("按").number(str(data["year"]), f"{ROOT}/year").text(
        "年末的机构和常住人口，以各乡镇(街道)驻地为需求点，按各项服务半径标准测算覆盖人口；距离按")
    lead.number(data["travel_zh"], f"{ROOT}/travel_zh").text("。")
    covered = Section("覆盖人口", [Paragraph((lead.claim(),))])
    distance = [(i, s) for i, s in enumerate(data["standards"]) if s["measure"] != "count" and _assessed(s)]
    for i, standard in enumerate(data["standards"]):
        if not _assessed(standard):
            continue  # no area of the type the standard applies to (村卫生室 in a city district)
        covered.add(Paragraph(tuple(_standard_claims(inputs, i, standard))))
    if distance:
        index, main = distance[0]
        covered.add(_county_table(inputs, index, main), _standards_table(inputs, distance))
    section.add(covered)
    beyond = _beyond_section(distance)
    if beyond is not None:
        section.add(beyond)
    if data["sites"] is not None and proposal is not None:
        section.add(_sites_section(data["sites"], proposal, boundaries, inputs))
    elif coverage is not None:
        title = f"{inputs.scope.name}{coverage.standard.name}覆盖（{data['year']}年）"
        section.add(Figure("access_map", title, access_maps.png(coverage, boundaries, title)))
    return section, data


def _assessed(standard: Mapping[str, Any]) -> bool:
    return bool(standard["measure"] == "count" or standard["areas"][-1]["population"] > 0)


def _p(index: int, field: str) -> str:
    return f"{ROOT}/standards/{index}/{field}"


def _region_area(standard: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]]:
    areas = standard["areas"]
    return len(areas) - 1, areas[-1]


def _standard_claims(inputs: ReportInputs, i: int, standard: Mapping[str, Any]) -> list[Claim]:
    k, area = _region_area(standard)
    at = f"{_p(i, 'areas')}/{k}"
    if standard["measure"] == "count":
        return [_count_claim(i, standard)]
    s = Sentence().number(standard["name"], _p(i, "name")).text("（").number(standard["limits_text"],
                                                                           _p(i, "limits_text"))
    s.text(f"，{standard['status']}）：{inputs.scope.name}评估人口")
    amount(s, f"{at}/population", area["population"], 2, WAN).text("万人，其中")
    amount(s, f"{at}/covered", area["covered"], 2, WAN).text("万人在服务范围内，覆盖率")
    s.number(_one(area["share"]), f"{at}/share").text("%")
    if standard["ranged"]:
        amount(s.text("（按较严标准为"), f"{at}/covered_strict", area["covered_strict"], 2, WAN).text("万人、")
        s.number(_one(area["share_strict"]), f"{at}/share_strict").text("%）")
    if area["not_covered"] > 0:
        amount(s.text("；"), f"{at}/not_covered", area["not_covered"], 2, WAN).text("万人未覆盖")
    claims = [s.text("。").claim()]
    low = sorted(((j, a) for j, a in enumerate(standard["areas"][:-1]) if a["share"] is not None
                  and area["share"] is not None and a["share"] < area["share"]), key=lambda ja: ja[1]["share"])
    if low:
        s = Sentence().text("覆盖率低于全域水平的有")
        for n, (j, a) in enumerate(low):
            s.text("" if n == 0 else "、").number(a["name"], f"{_p(i, 'areas')}/{j}/name").text("（")
            s.number(_one(a["share"]), f"{_p(i, 'areas')}/{j}/share").text("%）")
        claims.append(s.text("。").claim())
    return claims


def _count_claim(i: int, standard: Mapping[str, Any]) -> Claim:
    s = Sentence().number(standard["name"], _p(i, "name")).text(f"（{standard['status']}）：")
    lacking = standard["beyond"]
    if not lacking:
        return s.text("各乡镇(街道)均已达到。").claim()
    s.count(len(lacking), _p(i, "beyond")).text(f"个乡镇(街道)尚无{standard['facilities_label']}，如")
    for n, seat in enumerate(lacking[:3]):
        s.text("" if n == 0 else "、").number(seat["name"], f"{_p(i, 'beyond')}/{n}/name")
    return s.text("。").claim()


def _one(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _wan(value: float) -> Cell:
    return Cell(f"{value * WAN:.2f}", round(value * WAN, 2), 2)


def _share(value: float | None) -> Cell:
    return Cell("—") if value is None else Cell(f"{value:.1f}", round(value, 1), 1)


def _county_table(inputs: ReportInputs, i: int, standard: Mapping[str, Any]) -> Table:
    unit = standard["unit"]
    rows = []
    for a in standard["areas"]:
        rows.append((Cell(a["name"]), _wan(a["population"]), _wan(a["covered"]), _wan(a["not_covered"]),
                     _share(a["share"]), _share(a["share_strict"]), _share(a["median"]), _share(a["max"])))
    return Table(f"access_{standard['code']}", f"{inputs.scope.name}{standard['name']}覆盖情况",
                 ("地区", "评估人口(万人)", "覆盖人口(万人)", "未覆盖(万人)", "覆盖率(%)", "较严标准覆盖率(%)",
                  f"中位距离({unit})", f"最远({unit})"), tuple(rows), (2.4, 1.8, 1.8, 1.8, 1.6, 1.9, 1.6, 1.6),
                 note=f"注：标准为{standard['limits_text']}；距离按人口加权，为各乡镇(街道)驻地到最近机构的距离。")


def _standards_table(inputs: ReportInputs, distance: Sequence[tuple[int, Mapping[str, Any]]]) -> Table:
    names = [a["name"] for a in distance[0][1]["areas"]]
    rows = []
    for name in names:
        cells = [Cell(name)]
        for _, standard in distance:
            found = next((a for a in standard["areas"] if a["name"] == name), None)
            cells.append(_share(found["share"]) if found else Cell("—"))
        rows.append(tuple(cells))
    header = ("地区", *(f"{s['name']}（{s['limits_text']}）" for _, s in distance))
    return Table("access_standards", "各项服务半径标准覆盖率(%)", header, tuple(rows),
                 (2.4, *(13.2 / len(distance) for _ in distance)),
                 note="注：覆盖率 = 在标准距离（时间）内的人口 ÷ 评估人口 × 100；区间标准按较宽一端计。")


def _beyond_section(distance: Sequence[tuple[int, Mapping[str, Any]]]) -> Section | None:
    with_beyond = [(i, s) for i, s in distance if s["beyond"]]
    if not with_beyond:
        return None
    section = Section("超出服务半径的乡镇(街道)")
    claims = []
    for i, standard in with_beyond:
        far = standard["beyond"][0]
        s = Sentence().text("超出").number(standard["name"], _p(i, "name")).text("的乡镇(街道)有")
        s.count(len(standard["beyond"]), _p(i, "beyond")).text("个")
        if standard["ranged"]:
            s.text("（超出较严标准的").count(len(standard["beyond_strict"]), _p(i, "beyond_strict")).text("个）")
        if far["distance"] is not None:
            s.text("，最远的是").number(far["name"], f"{_p(i, 'beyond')}/0/name").text("，距最近机构")
            s.number(_one(far["distance"]), f"{_p(i, 'beyond')}/0/distance").text(standard["unit"])
        claims.append(s.text("。").claim())
    section.add(Paragraph(tuple(claims)))
    i, main = with_beyond[0]
    unit = main["unit"]
    rows = tuple((Cell(b["name"]), _wan(b["population"]), Cell(b["nearest"] or "—"), _share(b["distance"]),
                  Cell(f"{b['limit']:g}", b["limit"], 0)) for b in main["beyond"][:FARTHEST])
    shown = min(len(main["beyond"]), FARTHEST)
    section.add(Table("access_beyond", f"距离最远的{shown}个超出{main['name']}的乡镇(街道)",
                      ("乡镇(街道)", "常住人口(万人)", "最近的机构", f"距离({unit})", f"标准({unit})"), rows,
                      (3.4, 2.0, 5.4, 2.2, 2.0)))
    return section


def _sites_section(sites: Mapping[str, Any], proposal: Proposal, boundaries: dict[str, MultiPolygon],
                   inputs: ReportInputs) -> Section:
    root = f"{ROOT}/sites"
    s = Sentence().text("按最大覆盖模型（MCLP），保留现有").number(str(sites["existing"]), f"{root}/existing")
    s.text("处站点不变，按").number(sites["standard_name"], f"{root}/standard_name").text("在乡镇卫生院中选址新增")
    s.count(len(sites["new"]), f"{root}/new").text("处站点，建议设在")
    for n, site in enumerate(sites["new"]):
        s.text("" if n == 0 else "、").number(site["name"], f"{root}/new/{n}/name")
    s.text("；覆盖人口由")
    amount(s, f"{root}/covered_before", sites["covered_before"], 2, WAN).text("万人增至")
    amount(s, f"{root}/covered_after", sites["covered_after"], 2, WAN).text("万人，增加")
    amount(s, f"{root}/gain", sites["gain"], 2, WAN).text("万人")
    s.text("（求解结果为最优解）。" if sites["optimal"] else f"（求解状态：{sites['status']}）。")
    claims = [s.claim()]
    if sites["beyond_after"]:
        claims.append(Sentence().text("新增后仍有").number(str(sites["beyond_after"]), f"{root}/beyond_after")
                      .text("个乡镇(街道)超出服务半径，需结合路网和急救分站建设进一步研究。").claim())
    rows = tuple((Cell(site["name"]), Cell(site["part_name"]), Cell(f"{site['lon']:.4f}", site["lon"], 4),
                  Cell(f"{site['lat']:.4f}", site["lat"], 4), _wan(site["gain_alone"])) for site in sites["new"])
    table = Table("access_sites", f"建议新增站点（{sites['standard_name']}）", ("建议新址", "县(市、区)", "经度",
                                                                          "纬度", "单独新增时增加覆盖(万人)"),
                  rows, (5.0, 2.4, 2.2, 2.2, 3.8), note="注：各址单独新增时增加的覆盖人口之和可能大于合计增加数"
                  "（覆盖范围有重叠）。")
    title = f"{inputs.scope.name}{sites['standard_name']}覆盖与建议新址（{inputs.year}年）"
    figure = Figure("access_map", title, access_maps.png(proposal.after, boundaries, title, proposal.new))
    return Section("新增站点建议", [Paragraph(tuple(claims)), table, figure])


def access_problems(data: Mapping[str, Any]) -> tuple[tuple[Claim, Claim], ...]:
    """存在问题: the population beyond the first distance standard (急救半径), and the proposed sites."""
    distance = [(i, s) for i, s in enumerate(data["standards"]) if s["measure"] != "count" and _assessed(s)]
    if not distance:
        return ()
    i, standard = distance[0]
    k, area = _region_area(standard)
    if area["not_covered"] <= 0:
        return ()
    at = f"{_p(i, 'areas')}/{k}"
    s = Sentence().text("仍有")
    amount(s, f"{at}/not_covered", area["not_covered"], 2, WAN).text("万常住人口在")
    s.number(standard["name"], _p(i, "name")).text("之外，")
    s.count(len(standard["beyond"]), _p(i, "beyond")).text("个乡镇(街道)超出服务半径。")
    sites = data["sites"]
    if sites is None:
        suggestion = Sentence().text("结合县域医共体建设完善院前急救网络，在超出服务半径的乡镇设置急救站点。").claim()
        return ((s.claim(), suggestion),)
    t = Sentence().text("完善院前急救网络，优先在")
    for n, site in enumerate(sites["new"]):
        t.text("" if n == 0 else "、").number(site["name"], f"{ROOT}/sites/new/{n}/name")
    amount(t.text("设置急救分站，可新增覆盖"), f"{ROOT}/sites/gain", sites["gain"], 2, WAN).text("万人。")
    return ((s.claim(), t.claim()),)
