"""The allocation as the plans print it: rows of the 配置规划表, the county split and the rule checks.

Shared by the terminal table and the workbook so both say the same thing in the same words.
"""

from __future__ import annotations

from healthplan.allocation.allocate import Allocation, LineAllocation, Row
from healthplan.allocation.checks import Check, RuleReport
from healthplan.allocation.split import Method

REGION_COLUMNS = ("序号", "项目", "单位", "现状总数", "现状配置", "目标配置", "规划人口(万人)", "需要总数", "缺口",
                  "年均增量", "出处", "说明")
COUNTY_COLUMNS = ("项目", "县(市、区)", "现状总数", "现状配置", "规划人口(万人)", "按标准需要", "规划总数", "缺口(新增)",
                  "年均增量", "规划末配置", "暂缓新增", "超出标准", "说明")
RULE_COLUMNS = ("规则", "出处", "原文", "核对", "地区", "实测", "要求", "是否达到", "缺口/余量")


def number(value: float | None, decimals: int = 0) -> float | None:
    return None if value is None else round(value, decimals)


def region_rows(allocation: Allocation) -> list[list[object]]:
    rows: list[list[object]] = []
    for k, item in enumerate(allocation.lines, start=1):
        line, r = item.line, item.region
        decimals = line.indicator.decimals
        notes = []
        if item.population_source == "projected":
            notes.append("规划人口为现有人口序列的线性外推")
        if r.surplus:
            notes.append(f"已超出标准 {r.surplus:,.0f}")
        if r.withheld:
            notes.append(f"按规则{'、'.join(r.rules)}暂缓新增 {r.withheld:,.0f}")
        if line.clause is not None and not line.clause.verified:
            notes.append("标准待核对")
        rows.append([k, line.name, line.indicator.unit, number(r.current), number(r.ratio, decimals),
                     line.target, number(_ten_thousands(r.population_target), 2), number(r.needed), number(r.gap),
                     number(r.annual, 1), line.source, "；".join(notes)])
    return rows


def county_rows(allocation: Allocation, method: Method) -> list[list[object]]:
    rows: list[list[object]] = []
    for item in allocation.lines:
        for r in item.counties.get(method, ()):
            rows.append(_county_row(item, r))
    return rows


def _county_row(item: LineAllocation, r: Row) -> list[object]:
    decimals = item.line.indicator.decimals
    note = f"规则 {'、'.join(r.rules)}：暂缓新增" if r.withheld else ""
    return [item.line.name, r.name, number(r.current), number(r.ratio, decimals),
            number(_ten_thousands(r.population_target), 2), number(r.standard_needed), number(r.needed),
            number(r.gap), number(r.annual, 1), number(r.planned_ratio, decimals), number(r.withheld),
            number(r.surplus), note]


def rule_rows(allocation: Allocation) -> list[list[object]]:
    rows: list[list[object]] = []
    for report in allocation.rules:
        for check in report.checks:
            rows.append([report.name, report.clause.document, report.clause.text, report.clause.status, check.name,
                         _measured(check), check.requirement, _verdict(report, check), _units(report, check)])
    return rows


def _measured(check: Check) -> str:
    return "；".join(f"{k} {v:,.2f}".rstrip("0").rstrip(".") if v is not None else f"{k} —"
                    for k, v in check.measured.items())


def _verdict(report: RuleReport, check: Check) -> str:
    if check.met is None:
        return "无数据"
    if report.kind == "freeze":
        return "未触发" if check.met else "触发：不再增加床位"
    return "是" if check.met else "否"


def _units(report: RuleReport, check: Check) -> str:
    d = check.detail
    parts = []
    if report.kind == "minimum" and d.get("shortfall"):
        parts.append(f"还差 {d['shortfall']:,.0f}")
    if report.kind == "share":
        if d.get("shortfall_now"):
            parts.append(f"现状还差 {d['shortfall_now']:,.0f}")
        if d.get("headroom_now") is not None:
            headroom = d["headroom_now"] or 0
            parts.append(f"距上限余 {headroom:,.0f}" if headroom >= 0 else f"超出上限 {-headroom:,.0f}")
        if d.get("planned_denominator") is not None and d.get("shortfall_planned") is not None:
            parts.append(f"按规划基数 {d['planned_denominator']:,.0f} 还差 {d['shortfall_planned']:,.0f}")
    return "；".join(parts)


def _ten_thousands(population: float | None) -> float | None:
    return None if population is None else population / 10000
