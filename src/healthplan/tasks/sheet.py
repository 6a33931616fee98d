"""A task-list sheet as a grid of texts plus its merged ranges (task lists merge group cells, CSV cannot).

The tabular reader reads sheets in read-only mode, which does not see merged cells; the task list needs them to
tell a group heading spanning the row from a cell that repeats over the tasks below it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.tabular.tables import EXCEL_SUFFIXES, read_raw


@dataclass(frozen=True)
class Merge:
    """A merged range, 1-based and inclusive."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass
class Sheet:
    source: str
    rows: list[list[str]]  # rows[0] is row 1 of the file
    merges: list[Merge] = field(default_factory=list)

    def cell(self, row: int, column: int) -> str:
        values = self.rows[row - 1] if 0 < row <= len(self.rows) else []
        return values[column - 1] if 0 < column <= len(values) else ""


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """CSV (UTF-8 or GB18030) or an Excel sheet (default: the first) with its merged ranges."""
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return Sheet(path.name, read_raw(path, sheet))
    if not path.exists():
        raise ValidationFailed([Problem(f"文件不存在：{path}", f"file not found: {path}", str(path))])
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ValidationFailed([Problem(f"无法读取 Excel 文件：{exc}", f"cannot read Excel file: {exc}",
                                        path.name)]) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise ValidationFailed([Problem(f"工作簿中没有工作表“{sheet}”", f"workbook has no sheet {sheet!r}",
                                        path.name)])
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    rows = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    merges = [Merge(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    book.close()
    return Sheet(path.name, rows, sorted(merges, key=lambda m: (m.first_row, m.first_column)))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
