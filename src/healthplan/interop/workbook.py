"""Lay a template out as an .xlsx the values importer reads back (``healthplan import values FILE.xlsx``).

Row 1 holds the column codes and is hidden; row 2 is the Chinese header people see; data starts on row 3, so
an error at ``file.xlsx:7:5`` is the cell Excel shows as E7. Code and name columns are locked and the sheet is
protected **without a password** (审阅 → 撤销工作表保护 lifts it): the lock guards against slips, not people.
Each value column carries Excel data validation derived from the data element (integer ≥ 0, 0/1, ranges).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from healthplan.domain.data import DataElement, ValueType
from healthplan.interop.template import Layout, Template

DATA_SHEET = "填报"
FIRST_DATA_ROW = 3
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
_UNLOCKED = Protection(locked=False)
_BIG = 999_999_999_999


@dataclass(frozen=True)
class Rule:
    """How a data element's cells may be filled: Excel validation plus the same words for people."""

    kind: str  # openpyxl validation type: whole | decimal | list
    low: float | None
    high: float | None
    words: str

    def validation(self, title: str) -> DataValidation:
        if self.kind == "list":
            dv = DataValidation(type="list", formula1='"0,1"', allow_blank=True)
        elif self.low is not None and self.high is not None:
            dv = DataValidation(type=self.kind, operator="between", formula1=_num(self.low),
                                formula2=_num(self.high), allow_blank=True)
        elif self.low is not None:
            dv = DataValidation(type=self.kind, operator="greaterThanOrEqual", formula1=_num(self.low),
                                allow_blank=True)
        elif self.high is not None:
            dv = DataValidation(type=self.kind, operator="lessThanOrEqual", formula1=_num(self.high),
                                allow_blank=True)
        else:
            dv = DataValidation(type=self.kind, operator="between", formula1=str(-_BIG), formula2=str(_BIG),
                                allow_blank=True)
        dv.showErrorMessage = dv.showInputMessage = True
        dv.errorTitle, dv.error = "数值不符合要求", f"应为：{self.words}"
        dv.promptTitle, dv.prompt = title[:32], self.words[:255]
        return dv


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def rule_of(element: DataElement) -> Rule:
    low, high = element.minimum, element.maximum
    if element.value_type is ValueType.BOOLEAN:
        return Rule("list", 0, 1, "0 或 1（1=是，0=否）")
    if element.value_type is ValueType.PERCENT:
        low, high = (0 if low is None else low), (100 if high is None else high)
    kind = "whole" if element.value_type is ValueType.INTEGER else "decimal"
    noun = "整数" if kind == "whole" else "数值"
    if low is not None and high is not None:
        bounds = f"{_num(low)}–{_num(high)}"
    elif low is not None:
        bounds = f"≥ {_num(low)}"
    elif high is not None:
        bounds = f"≤ {_num(high)}"
    else:
        bounds = ""
    unit = f"，单位：{element.unit}" if element.unit else ""
    return Rule(kind, low, high, f"{noun}{'，' + bounds if bounds else ''}{unit}")


def _cell_value(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def write_template(template: Template, path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    if template.layout is Layout.WIDE:
        _wide(sheet, template)
    else:
        _long(sheet, template)
    sheet.row_dimensions[1].hidden = True
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may widen columns; the hidden code row stays put
    _instructions(book.create_sheet("填报说明"), template)
    _roster(book.create_sheet("机构名单" if template.is_facility_report else "区域名单"), template)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _header(sheet: Any, codes: list[str], labels: list[str]) -> None:
    sheet.append(codes)
    sheet.append(labels)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.row_dimensions[2].height = 36


def _key_labels(template: Template) -> tuple[str, str]:
    return ("机构代码", "机构名称") if template.is_facility_report else ("区划代码", "名称")


def _wide(sheet: Any, template: Template) -> None:
    code_label, name_label = _key_labels(template)
    elements = template.elements
    _header(sheet, ["org_unit", "name", "period", *(e.code for e in elements)],
            [code_label, name_label, "期间", *(e.name for e in elements)])
    for offset, element in enumerate(elements):
        rule = rule_of(element)
        sheet.cell(2, 4 + offset).comment = Comment(f"{element.code}\n{rule.words}", "healthplan")
    for row in template.rows:
        sheet.append([row.code, row.name, template.period.code,
                      *(_cell_value(template.values[(row.code, e.code)][0])
                        if (row.code, e.code) in template.values else None for e in elements)])
    last = FIRST_DATA_ROW + len(template.rows) - 1
    for r in range(FIRST_DATA_ROW, last + 1):
        for c in range(1, 4):
            sheet.cell(r, c).fill = _LOCKED_FILL
        for c in range(4, 4 + len(elements)):
            sheet.cell(r, c).protection = _UNLOCKED
    for offset, element in enumerate(elements):
        letter = get_column_letter(4 + offset)
        dv = rule_of(element).validation(element.name)
        dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
        sheet.add_data_validation(dv)
        sheet.column_dimensions[letter].width = max(10, min(18, len(element.name) * 2))
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 8
    sheet.freeze_panes = f"D{FIRST_DATA_ROW}"


def _long(sheet: Any, template: Template) -> None:
    code_label, name_label = _key_labels(template)
    _header(sheet, ["data_element", "data_element_name", "org_unit", "name", "period", "value", "unit", "comment"],
            ["数据元代码", "数据元名称", code_label, name_label, "期间", "值", "单位", "备注"])
    rules: dict[Rule, list[int]] = {}
    for row in template.rows:
        for element in template.elements:
            value, comment = template.values.get((row.code, element.code), (None, ""))
            sheet.append([element.code, element.name, row.code, row.name, template.period.code,
                          None if value is None else _cell_value(value), element.unit, comment or None])
            number = sheet.max_row
            rules.setdefault(rule_of(element), []).append(number)
            for c in range(1, 9):
                if c in (6, 8):
                    sheet.cell(number, c).protection = _UNLOCKED
                else:
                    sheet.cell(number, c).fill = _LOCKED_FILL
    for rule, numbers in rules.items():
        dv = rule.validation("值")
        for first, last in _runs(numbers):
            dv.add(f"F{first}:F{last}")
        sheet.add_data_validation(dv)
    for letter, width in zip("ABCDEFGH", (24, 22, 16, 26, 8, 12, 8, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"


def _runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) ranges, so one validation covers few ranges."""
    runs: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _instructions(sheet: Any, template: Template) -> None:
    ds, unit, period = template.data_set, template.org_unit, template.period
    row_words = (f"{period.end} 在册的机构" if template.is_facility_report else f"{ds.rows.label}")
    layout_words = ("每行一个单位，每列一个数据元" if template.layout is Layout.WIDE
                    else "每行一个单位的一个数据元，只填“值”和“备注”列")
    lines = [
        f"{ds.name}（{ds.code}）",
        f"填报单位范围：{unit.name}（{unit.code}）下{row_words}；期间：{period.code}（{period.start} 至 {period.end}）",
        "",
        "填报说明",
        f"1. {layout_words}；灰色单元格（代码、名称、期间）不可修改。",
        "2. 空白表示未填报，不等于 0；数值为 0 时请填 0。",
        "3. 是否类指标（科室、专病中心）填 1=是、0=否。",
        "4. 第 1 行为隐藏的代码行，导入时以代码为准，请勿删除。",
        "5. 工作表已保护，未设密码；确需调整可用“审阅 → 撤销工作表保护”。",
        "6. 填好后导入：healthplan import values 本文件.xlsx —— 全部校验通过才写入，"
        "错误按“文件:行:列”逐格列出（行列号即 Excel 中所见）。",
        "",
        "数据元",
    ]
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A4"].font = sheet["A12"].font = Font(bold=True)
    sheet.append(["代码", "名称", "英文名", "单位", "类型", "填报要求", "存量/流量"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for e in template.elements:
        sheet.append([e.code, e.name, e.name_en, e.unit, e.value_type.label, rule_of(e).words, e.kind.label])
    for letter, width in zip("ABCDEFG", (30, 28, 34, 8, 10, 26, 14), strict=True):
        sheet.column_dimensions[letter].width = width


def _roster(sheet: Any, template: Template) -> None:
    if template.is_facility_report:
        sheet.append(["机构代码", "机构名称", "所在区划", "机构类别", "等级；经济类型"])
    else:
        sheet.append(["区划代码", "名称", "上级区划", "层级", ""])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for row in template.rows:
        sheet.append([row.code, row.name, row.area, row.kind, row.rating])
    for letter, width in zip("ABCDE", (18, 30, 14, 18, 18), strict=True):
        sheet.column_dimensions[letter].width = width
