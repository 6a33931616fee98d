"""六、分级诊疗 from ``healthplan.utilization``: 县域就诊率, 基层就诊率, 上下转诊, 平均住院日, 病床使用率 … of the
plan's region and its counties in the report year, as measured from encounter records.

Read from what the utilization package stores — the additive counts ``svc.enc_*`` it writes back for every
county and city — and divided as its metrics divide them (:class:`~healthplan.utilization.metrics.AreaMetrics`),
so the report shows what ``healthplan utilization`` and the ``enc_*`` indicators show. The section is left out
when nothing was written back for the region and year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from healthplan.reports.inputs import ReportInputs
from healthplan.reports.model import Cell, Claim, Paragraph, Section, Table
from healthplan.reports.sentences import Sentence
from healthplan.store.values import read_values
from healthplan.utilization.metrics import COUNTS, METRICS, AreaMetrics, Metric

ROOT = "/sections/utilization"
PREFIX = "svc.enc_"
#: the metrics of the two tables: where residents are treated, then referrals and hospital use
FLOWS = ("county_visit_rate", "county_inpatient_rate", "out_of_city_rate", "primary_care_visit_share")
CARE = ("referrals_up", "referrals_down", "referral_ratio", "average_length_of_stay", "bed_occupancy_rate",
        "day_surgery_share")
BY_CODE = {m.code: m for m in METRICS}


def stored_counts(inputs: ReportInputs) -> dict[str, dict[str, float]]:
    """The written-back counts of the region and its counties for the report year, by area code."""
    wanted = {inputs.scope.code, *(c.code for c in inputs.counties)}
    keys = {f"{PREFIX}{c.key}": c.key for c in COUNTS}
    counts: dict[str, dict[str, float]] = {}
    with inputs.database.sessions() as session:
        for element, key in keys.items():
            for _, area, _, _, number, _ in read_values(session, element, period=str(inputs.year)):
                if area in wanted:
                    counts.setdefault(area, {})[key] = number
    return counts


def utilization_data(inputs: ReportInputs) -> dict[str, Any] | None:
    counts = stored_counts(inputs)
    if inputs.scope.code not in counts:
        return None
    areas = []
    for unit in [inputs.scope, *inputs.counties]:
        if unit.code not in counts:
            continue
        measured = AreaMetrics(unit.code, unit.name, unit.level.value, counts[unit.code])
        areas.append({"org_unit": unit.code, "name": unit.name,
                      "values": {m.code: _rounded(measured.value(m), m) for m in METRICS},
                      "counts": counts[unit.code]})
    return {"year": inputs.year, "source": "就诊记录（svc.enc_*）",
            "metrics": [{"code": m.code, "name": m.name, "unit": m.unit, "decimals": m.decimals,
                         "definition": m.definition} for m in METRICS],
            "areas": areas}


def _rounded(value: float | None, metric: Metric) -> float | None:
    return None if value is None else round(value, metric.decimals)


def _text(value: float | None, metric: Metric) -> str:
    return "—" if value is None else f"{value:.{metric.decimals}f}"


def utilization_section(inputs: ReportInputs) -> tuple[Section, dict[str, Any]] | None:
    data = utilization_data(inputs)
    if data is None:
        return None
    region = data["areas"][0]
    claims = [_region_claim(inputs, data, region)]
    counties = data["areas"][1:]
    for code in ("county_visit_rate", "primary_care_visit_share"):
        claim = _spread_claim(BY_CODE[code], counties)
        if claim is not None:
            claims.append(claim)
    section = Section("分级诊疗", [Paragraph(tuple(claims))])
    section.add(_table("utilization_flows", f"{data['year']}年就诊流向", FLOWS, data["areas"]),
                _table("utilization_care", f"{data['year']}年转诊与住院服务", CARE, data["areas"],
                       note="注：由就诊记录汇总计算（healthplan utilization 写回的 svc.enc_* 数据）；"
                            "县域就诊率、市外就诊率按居住地统计，其余按机构所在地统计。"))
    return section, data


def _value(s: Sentence, area_index: int, area: Mapping[str, Any], code: str) -> Sentence:
    metric = BY_CODE[code]
    return s.number(_text(area["values"][code], metric), f"{ROOT}/areas/{area_index}/values/{code}")


def _region_claim(inputs: ReportInputs, data: Mapping[str, Any], region: Mapping[str, Any]) -> Claim:
    s = Sentence().number(str(data["year"]), f"{ROOT}/year").text(f"年，{inputs.scope.name}")
    parts = [code for code in ("county_visit_rate", "county_inpatient_rate", "primary_care_visit_share",
                               "average_length_of_stay", "bed_occupancy_rate", "referrals_up", "referrals_down",
                               "referral_ratio") if region["values"][code] is not None]
    for n, code in enumerate(parts):
        metric = BY_CODE[code]
        s.text(("" if n == 0 else "，") + metric.name + "为")
        _value(s, 0, region, code).text(metric.unit)
    return s.text("。").claim()


def _spread_claim(metric: Metric, counties: Sequence[Mapping[str, Any]]) -> Claim | None:
    """The counties at both ends of a metric."""
    known = [(i, a) for i, a in enumerate(counties, start=1) if a["values"][metric.code] is not None]
    if len(known) < 2:
        return None
    low = min(known, key=lambda ia: ia[1]["values"][metric.code])
    high = max(known, key=lambda ia: ia[1]["values"][metric.code])
    s = Sentence().text(f"分县(市、区)看，{metric.name}最低的是")
    s.number(low[1]["name"], f"{ROOT}/areas/{low[0]}/name").text("（")
    _value(s, low[0], low[1], metric.code).text(f"{metric.unit}），最高的是")
    s.number(high[1]["name"], f"{ROOT}/areas/{high[0]}/name").text("（")
    _value(s, high[0], high[1], metric.code).text(f"{metric.unit}）")
    return s.text("。").claim()


def _table(key: str, title: str, codes: Sequence[str], areas: Sequence[Mapping[str, Any]], note: str = "") -> Table:
    header = ("地区", *(f"{BY_CODE[c].name}({BY_CODE[c].unit})" if BY_CODE[c].unit else BY_CODE[c].name
                       for c in codes))
    rows = []
    for area in areas:
        cells = [Cell(area["name"])]
        for code in codes:
            metric = BY_CODE[code]
            number = area["values"][code]
            cells.append(Cell(_text(number, metric), number, metric.decimals))
        rows.append(tuple(cells))
    return Table(key, title, header, tuple(rows), (2.4, *(13.2 / len(codes) for _ in codes)), note=note)
