"""Read CSV and Excel sheets into rows that remember where each cell came from (file:row:column).

CSV is read as UTF-8 (with or without BOM) and falls back to GB18030, which is what Chinese Excel writes.
Headers may be the English codes or the Chinese names users see; each importer gives its aliases.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthplan.domain.problems import Problem, ValidationFailed

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass(frozen=True)
class Cell:
    text: str
    column: int


@dataclass
class Row:
    number: int  # 1-based row in the file (the header is row 1)
    cells: dict[str, Cell]

    def get(self, name: str) -> str:
        cell = self.cells.get(name)
        return cell.text if cell is not None else ""

    def column(self, name: str) -> int | None:
        cell = self.cells.get(name)
        return cell.column if cell is not None else None


@dataclass
class Table:
    source: str
    header: list[str]
    rows: list[Row] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # canonical name → 1-based column

    def problem(self, row: Row | None, name: str | None, zh: str, en: str) -> Problem:
        column = None
        if name is not None:
            column = (row.column(name) if row is not None else None) or self.columns.get(name)
        return Problem(zh, en, self.source, row.number if row is not None else 1, column)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_raw(path: Path, sheet: str | None = None) -> list[list[str]]:
    """All rows of a CSV or the chosen (default: first) Excel sheet, as text."""
    if not path.exists():
        raise ValidationFailed([Problem(f"文件不存在：{path}", f"file not found: {path}", str(path))])
    if path.suffix.lower() in EXCEL_SUFFIXES:
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ValidationFailed([Problem(f"无法读取 Excel 文件：{exc}", f"cannot read Excel file: {exc}",
                                            str(path))]) from None
        if sheet is not None and sheet not in book.sheetnames:
            raise ValidationFailed([Problem(f"工作簿中没有工作表“{sheet}”", f"workbook has no sheet {sheet!r}",
                                            str(path))])
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        book.close()
        return rows
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed([Problem("文件编码无法识别（应为 UTF-8 或 GBK）",
                                        "unknown encoding (expected UTF-8 or GBK)", str(path))])
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def read_table(path: Path, aliases: Mapping[str, Sequence[str]], required: Sequence[str],
               sheet: str | None = None, keep_unknown: bool = False) -> Table:
    """Read a sheet whose first row is a header; map header names (or their aliases) to canonical names."""
    raw = read_raw(path, sheet)
    source = path.name
    if not raw or not any(raw[0]):
        raise ValidationFailed([Problem("文件为空或缺少表头", "file is empty or has no header row", source, 1)])
    header = raw[0]
    lookup: dict[str, str] = {}
    for key, names in aliases.items():
        for name in (key, *names):
            lookup[name.strip().lower()] = key
    columns: dict[str, int] = {}
    problems = []
    for index, name in enumerate(header, start=1):
        key = name.strip().lower()
        if not key:
            continue
        canonical = lookup.get(key, name.strip() if keep_unknown else None)
        if canonical is None:
            problems.append(Problem(f"无法识别的列“{name}”", f"unknown column {name!r}", source, 1, index))
            continue
        if canonical in columns:
            problems.append(Problem(f"列“{name}”重复", f"duplicate column {name!r}", source, 1, index))
            continue
        columns[canonical] = index
    for name in required:
        if name not in columns:
            problems.append(Problem(f"缺少必需的列“{name}”", f"missing required column {name!r}", source, 1))
    if problems:
        raise ValidationFailed(problems)
    table = Table(source, header, columns=columns)
    for number, values in enumerate(raw[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        cells = {name: Cell(values[col - 1].strip() if col - 1 < len(values) else "", col)
                 for name, col in columns.items()}
        table.rows.append(Row(number, cells))
    return table
