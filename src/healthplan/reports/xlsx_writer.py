"""The report's tables as an Excel workbook: one sheet per table (表1, 表2 …) with values only — never a formula —
numbers as numbers at the printed precision, merged 类别 cells as in the plans, plus the sentences and the results
each number in them comes from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from healthplan.reports.model import Cell, Report, Table

HEADER_FILL = "DDEBF7"
STATUS_FILLS = {"met": "C6EFCE", "done": "C6EFCE", "likely": "C6EFCE", "on_track": "DDEBF7", "behind": "FFEB9C",
                "regressing": "FFC7CE", "unlikely": "FFC7CE", "not_done": "FFC7CE"}


def _put(sheet: Any, row: int, column: int, cell: Cell | str) -> Any:
    """Write a value, never a formula: text that starts with ``=`` stays text."""
    target = sheet.cell(row=row, column=column)
    if isinstance(cell, str):
        target.value = cell
        target.data_type = "s"
        return target
    if cell.value is not None:
        target.value = cell.value
        target.number_format = cell.number_format
    else:
        target.value = cell.text
        target.data_type = "s"
    return target


def _table_sheet(book: Any, name: str, table: Table) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(name)
    columns = len(table.header)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    _put(sheet, 1, 1, table.title).font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    for index, title in enumerate(table.header, start=1):
        cell = _put(sheet, 2, index, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for r, row in enumerate(table.rows, start=3):
        for c, value in enumerate(row, start=1):
            cell = _put(sheet, r, c, value)
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True,
                                       horizontal="left" if c == 1 + table.widths.index(max(table.widths))
                                       else "center")
            if value.status in STATUS_FILLS:
                cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[value.status])
    for column in table.merge:
        for first, last in table.spans(column):
            if last > first:
                sheet.merge_cells(start_row=first + 3, start_column=column + 1, end_row=last + 3,
                                  end_column=column + 1)
    if table.note:
        note_row = len(table.rows) + 4
        _put(sheet, note_row, 1, table.note)
        sheet.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=columns)
        sheet.cell(row=note_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[note_row].height = 45
    for index, width in enumerate(table.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8.0, width * 5)
    sheet.row_dimensions[2].height = 32
    sheet.freeze_panes = "A3"


def _contents(book: Any, report: Report, tables: list[Table]) -> None:
    from openpyxl.styles import Font

    sheet = book.active
    sheet.title = "目录"
    _put(sheet, 1, 1, report.title.replace("\n", "")).font = Font(bold=True, size=14)
    _put(sheet, 2, 1, report.subtitle)
    _put(sheet, 4, 1, "工作表").font = Font(bold=True)
    _put(sheet, 4, 2, "内容").font = Font(bold=True)
    for index, table in enumerate(tables, start=1):
        _put(sheet, 4 + index, 1, f"表{index}")
        _put(sheet, 4 + index, 2, table.title)
    _put(sheet, 6 + len(tables), 1, report.footer_note)
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 80


def _claims(book: Any, report: Report) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet("文字与数据来源")
    for index, title in enumerate(("序号", "文字", "数字", "来源（评估结果 JSON 指针）", "计数条件"), start=1):
        _put(sheet, 1, index, title).font = Font(bold=True)
    row = 2
    for number, claim in enumerate(report.claims(), start=1):
        for source in claim.sources or (None,):
            _put(sheet, row, 1, Cell(str(number), number, 0))
            _put(sheet, row, 2, claim.sentence).alignment = Alignment(wrap_text=True, vertical="top")
            if source is not None:
                _put(sheet, row, 3, source.text)
                _put(sheet, row, 4, source.pointer)
                _put(sheet, row, 5, "" if source.where is None else json.dumps(dict(source.where),
                                                                               ensure_ascii=False))
            row += 1
    for column, width in zip("ABCDE", (6, 70, 24, 44, 30), strict=True):
        sheet.column_dimensions[column].width = width


def write_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    tables = report.tables()
    _contents(book, report, tables)
    for index, table in enumerate(tables, start=1):
        _table_sheet(book, f"表{index}", table)
    _claims(book, report)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
