"""Export stored data values in the long layout the importer reads back (csv, xlsx, json)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO

from healthplan.domain.problems import HealthplanError
from healthplan.store.database import Database
from healthplan.store.values import read_values

HEADER = ["data_element", "org_unit", "period", "value", "disaggregation", "comment"]


def value_rows(database: Database, data_element: str | None = None, org_unit: str | None = None,
               period: str | None = None) -> list[list[object]]:
    with database.sessions() as session:
        return [[de, ou, p, _number(v), d, c] for de, ou, p, d, v, c in
                read_values(session, data_element, org_unit, period)]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def write_values(rows: list[list[object]], fmt: str, out: IO[str] | Path) -> None:
    if fmt == "json":
        text = json.dumps([dict(zip(HEADER, r, strict=True)) for r in rows], ensure_ascii=False, indent=2)
        _emit(out, text)
    elif fmt == "csv":
        if isinstance(out, Path):
            with out.open("w", encoding="utf-8-sig", newline="") as handle:
                _csv(handle, rows)
        else:
            _csv(out, rows)
    elif fmt == "xlsx":
        if not isinstance(out, Path):
            raise HealthplanError("xlsx 格式需要 --out 文件", "xlsx output needs --out FILE")
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "data_values"
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        book.save(out)
    else:
        raise HealthplanError(f"不支持的格式“{fmt}”", f"unsupported format {fmt!r}")


def _csv(handle: IO[str], rows: list[list[object]]) -> None:
    writer = csv.writer(handle)
    writer.writerow(HEADER)
    writer.writerows(rows)


def _emit(out: IO[str] | Path, text: str) -> None:
    if isinstance(out, Path):
        out.write_text(text, encoding="utf-8")
    else:
        out.write(text + "\n")
