"""Periods as DHIS2-style ISO codes: ``2024``, ``2024Q3``, ``202407``, ``2024W27``, ``20240705``.

A period is a closed date range with a type; a longer period is made of the shorter ones that lie inside it.
Weeks are ISO weeks and belong to a month/quarter/year only when they lie wholly inside it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import IntEnum


class PeriodType(IntEnum):
    """Ordered from the finest to the coarsest."""

    DAY = 1
    WEEK = 2
    MONTH = 3
    QUARTER = 4
    YEAR = 5

    @property
    def label(self) -> str:
        return {1: "日", 2: "周", 3: "月", 4: "季", 5: "年"}[self.value]


_PATTERNS: list[tuple[PeriodType, re.Pattern[str]]] = [
    (PeriodType.YEAR, re.compile(r"^(\d{4})$")),
    (PeriodType.QUARTER, re.compile(r"^(\d{4})Q([1-4])$")),
    (PeriodType.MONTH, re.compile(r"^(\d{4})(\d{2})$")),
    (PeriodType.WEEK, re.compile(r"^(\d{4})W(\d{1,2})$")),
    (PeriodType.DAY, re.compile(r"^(\d{4})(\d{2})(\d{2})$")),
]


class PeriodError(ValueError):
    """A period code that is not one of the DHIS2 ISO forms."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"无效的期间代码“{code}”，应为 2024、2024Q3、202407、2024W27 或 20240705 "
            f"/ invalid period code {code!r}: expected 2024, 2024Q3, 202407, 2024W27 or 20240705"
        )
        self.code = code


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: ``start``..``end`` inclusive, identified by its ISO ``code``."""

    start: dt.date
    end: dt.date
    type: PeriodType
    code: str

    @classmethod
    def parse(cls, code: str) -> Period:
        text = str(code).strip().upper()
        for ptype, pattern in _PATTERNS:
            match = pattern.match(text)
            if match is None:
                continue
            parts = [int(g) for g in match.groups()]
            try:
                return _build(ptype, parts)
            except ValueError:
                raise PeriodError(code) from None
        raise PeriodError(code)

    @classmethod
    def year(cls, year: int) -> Period:
        return _build(PeriodType.YEAR, [year])

    @classmethod
    def day(cls, date: dt.date) -> Period:
        return _build(PeriodType.DAY, [date.year, date.month, date.day])

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def shift(self, steps: int) -> Period:
        """The period of the same type ``steps`` later (negative: earlier)."""
        if self.type is PeriodType.YEAR:
            return Period.year(self.start.year + steps)
        if self.type is PeriodType.QUARTER:
            index = self.start.year * 4 + (self.start.month - 1) // 3 + steps
            return _build(PeriodType.QUARTER, [index // 4, index % 4 + 1])
        if self.type is PeriodType.MONTH:
            index = self.start.year * 12 + self.start.month - 1 + steps
            return _build(PeriodType.MONTH, [index // 12, index % 12 + 1])
        if self.type is PeriodType.WEEK:
            return _week_of(self.start + dt.timedelta(weeks=steps))
        return Period.day(self.start + dt.timedelta(days=steps))

    def previous(self) -> Period:
        return self.shift(-1)

    def __str__(self) -> str:
        return self.code


def _week_of(date: dt.date) -> Period:
    iso = date.isocalendar()
    return _build(PeriodType.WEEK, [iso.year, iso.week])


def _build(ptype: PeriodType, parts: list[int]) -> Period:
    if ptype is PeriodType.YEAR:
        (year,) = parts
        if not 1900 <= year <= 2200:
            raise ValueError(year)
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), ptype, f"{year:04d}")
    if ptype is PeriodType.QUARTER:
        year, quarter = parts
        start = dt.date(year, 3 * quarter - 2, 1)
        end = _month_end(year, 3 * quarter)
        return Period(start, end, ptype, f"{year:04d}Q{quarter}")
    if ptype is PeriodType.MONTH:
        year, month = parts
        return Period(dt.date(year, month, 1), _month_end(year, month), ptype, f"{year:04d}{month:02d}")
    if ptype is PeriodType.WEEK:
        year, week = parts
        start = dt.date.fromisocalendar(year, week, 1)
        return Period(start, start + dt.timedelta(days=6), ptype, f"{year:04d}W{week}")
    year, month, day = parts
    date = dt.date(year, month, day)
    return Period(date, date, ptype, f"{year:04d}{month:02d}{day:02d}")


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def years(first: int, last: int) -> list[Period]:
    return [Period.year(y) for y in range(first, last + 1)]
