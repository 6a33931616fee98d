"""The allocation to a workbook (配置规划表, one sheet per splitting method, the rules) or a JSON file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from healthplan.allocation import table
from healthplan.allocation.allocate import Allocation
from healthplan.allocation.split import Method
from healthplan.domain.problems import HealthplanError

SHEET_NAMES = {Method.POPULATION: "分县-按人口", Method.NEED: "分县-按需要", Method.EQUALIZE: "分县-同一标准"}


def write(allocation: Allocation, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".json"):
        raise HealthplanError(f"不支持的输出格式“{suffix}”（可用 .xlsx .json）",
                              f"unsupported output format {suffix!r} (use .xlsx or .json)")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        path.write_text(json.dumps(allocation.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        write_xlsx(allocation, path)


def write_xlsx(allocation: Allocation, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    plan = allocation.plan
    heading = (f"{plan.name}资源配置规划表（{allocation.year}年）",
               f"现状 {allocation.current_year} 年；{allocation.scope.name}；{plan.document}")
    _sheet(first, "配置规划表", heading, table.REGION_COLUMNS, table.region_rows(allocation),
           (6, 36, 6, 12, 10, 10, 14, 12, 10, 10, 16, 40))
    for method in Method:
        if method not in {m for line in allocation.lines for m in line.counties}:
            continue
        chosen = "（选定方法）" if method is allocation.method else ""
        _sheet(book.create_sheet(), SHEET_NAMES[method],
               (f"分县(市、区)配置：{method.label}{chosen}", _method_note(allocation, method)),
               table.COUNTY_COLUMNS, table.county_rows(allocation, method),
               (36, 12, 12, 10, 14, 12, 12, 12, 10, 12, 10, 10, 24))
    _sheet(book.create_sheet(), "配置规则", ("配置规则及执行情况", f"规则文件：{Path(allocation.rules_source).name}"),
           table.RULE_COLUMNS, table.rule_rows(allocation), (30, 36, 60, 8, 10, 30, 14, 14, 30))
    parameters = [[p.name, p.value, p.clause.document, p.clause.text, p.clause.status, p.clause.note]
                  for p in allocation.parameters.values()]
    names = {r.org_unit: r.name for line in allocation.lines for rows in line.counties.values() for r in rows}
    parameters += [[f"65岁及以上人口占比(%)：{names.get(code, code)}", None if share is None else round(share * 100, 2),
                    "pop.age65plus ÷ pop.resident", f"{allocation.current_year}年", "数据", ""]
                   for code, share in allocation.elderly_share.items()]
    _sheet(book.create_sheet(), "参数", ("参数", ""), ("参数", "取值", "出处", "原文", "核对", "说明"), parameters,
           (40, 10, 40, 50, 8, 40))
    book.save(path)


def _method_note(allocation: Allocation, method: Method) -> str:
    if method is Method.NEED:
        weight = allocation.parameters["age65_weight"].value if "age65_weight" in allocation.parameters else None
        return f"65岁及以上人口按 {weight:g} 人计（待核对参数）" if weight is not None else ""
    if method is Method.EQUALIZE:
        return "各县(市、区)按同一标准计算需要量；已超出标准的不调减"
    return "全市新增量按规划常住人口比例分配（最大余数法取整）"


def _sheet(sheet: Any, title: str, heading: tuple[str, str], columns: Sequence[str],
           rows: Sequence[Sequence[object]], widths: Sequence[float]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.title = title
    sheet.append([heading[0]])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([heading[1]])
    sheet.append(list(columns))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(list(row))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
