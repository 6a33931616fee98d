"""Parse single cells (numbers, dates, enum codes or Chinese labels), collecting located problems."""

from __future__ import annotations

import datetime as dt
import re
from typing import TypeVar

from healthplan.domain.labels import LabelledEnum
from healthplan.domain.problems import Problem
from healthplan.tabular.tables import Row, Table

E = TypeVar("E", bound=LabelledEnum)


class CellReader:
    """Reads typed cells of one table; every failure becomes a :class:`Problem` and the value None."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.problems: list[Problem] = []

    def fail(self, row: Row | None, name: str | None, zh: str, en: str) -> None:
        self.problems.append(self.table.problem(row, name, zh, en))

    def required(self, row: Row, name: str) -> str | None:
        text = row.get(name)
        if not text:
            self.fail(row, name, f"“{name}”不能为空", f"{name} is required")
            return None
        return text

    def number(self, row: Row, name: str, *, required: bool = False) -> float | None:
        text = row.get(name).replace(",", "").replace("，", "")
        if not text:
            if required:
                self.fail(row, name, f"“{name}”不能为空", f"{name} is required")
            return None
        try:
            value = float(text.rstrip("%"))
        except ValueError:
            self.fail(row, name, f"“{text}”不是数字", f"{text!r} is not a number")
            return None
        if value != value or value in (float("inf"), float("-inf")):
            self.fail(row, name, f"“{text}”不是有效数字", f"{text!r} is not a finite number")
            return None
        return value

    def enum(self, row: Row, name: str, enum: type[E], *, required: bool = False,
             synonyms: dict[str, str] | None = None) -> E | None:
        text = row.get(name)
        text = (synonyms or {}).get(text, text)
        if not text:
            if required:
                self.fail(row, name, f"“{name}”不能为空", f"{name} is required")
            return None
        try:
            return enum.from_text(text)
        except ValueError:
            self.fail(row, name, f"“{text}”不是有效的{name}，可选：{enum.choices()}",
                      f"{text!r} is not a valid {name}; choose one of {enum.choices()}")
            return None

    def date(self, row: Row, name: str, *, required: bool = False) -> dt.date | None:
        text = row.get(name)
        if not text:
            if required:
                self.fail(row, name, f"“{name}”不能为空", f"{name} is required")
            return None
        parsed = parse_date(text)
        if parsed is None:
            self.fail(row, name, f"“{text}”不是日期（应为 2020-01-01）", f"{text!r} is not a date (use 2020-01-01)")
        return parsed


def parse_date(text: str) -> dt.date | None:
    t = text.strip()
    match = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T ].*)?$", t)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
