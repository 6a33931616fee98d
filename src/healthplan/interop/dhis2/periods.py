"""DHIS2 period codes and ADX periods (ISO 8601 ``start/duration``), to and from healthplan periods.

healthplan's period codes are DHIS2's for the types both have (``2024``, ``2024Q1``, ``202401``, ``2024W5``,
``20240105``); DHIS2's other types (bi-weekly, bi-monthly, six-monthly, financial years, weeks starting on
another day) are refused with their name, since a value for them cannot be placed on our calendar exactly.
ADX writes the same periods as ``2024-01-01/P1Y``, ``2024-04-01/P3M``, ``2024-01-01/P1M``, ``2024-01-29/P7D``
(ISO weeks start on Monday) and ``2024-07-05/P1D``.
"""

from __future__ import annotations

import datetime as dt
import re

from healthplan.domain.periods import Period, PeriodError, PeriodType
from healthplan.domain.problems import HealthplanError

_DHIS2_ONLY = [
    (re.compile(r"^\d{4}BiW\d{1,2}$"), "双周", "bi-weekly"),
    (re.compile(r"^\d{4}(Wed|Thu|Sat|Sun)W\d{1,2}$"), "非周一起始的周", "weeks not starting on Monday"),
    (re.compile(r"^\d{6}B$"), "双月", "bi-monthly"),
    (re.compile(r"^\d{4}(April|Nov)?S[12]$"), "半年", "six-monthly"),
    (re.compile(r"^\d{4}(April|July|Oct|Nov)$"), "财政年度", "financial year"),
]
_DURATIONS = {PeriodType.YEAR: "P1Y", PeriodType.QUARTER: "P3M", PeriodType.MONTH: "P1M", PeriodType.WEEK: "P7D",
              PeriodType.DAY: "P1D"}
_ADX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?/P(\d+)([YMWD])$")


class PeriodNotSupported(HealthplanError):
    """A DHIS2 or ADX period that has no exact healthplan equivalent."""


def from_dhis2(code: str) -> Period:
    text = code.strip()
    for pattern, zh, en in _DHIS2_ONLY:
        if pattern.match(text):
            raise PeriodNotSupported(f"期间“{text}”是 DHIS2 的{zh}期间，healthplan 不支持",
                                     f"period {text!r} is a DHIS2 {en} period, which healthplan does not support")
    try:
        return Period.parse(text)
    except PeriodError:
        raise PeriodNotSupported(f"无效的期间“{text}”（应为 2024、2024Q1、202401、2024W5 或 20240105）",
                                 f"invalid period {text!r} (expected 2024, 2024Q1, 202401, 2024W5 or 20240105)"
                                 ) from None


def to_adx(period: Period) -> str:
    return f"{period.start.isoformat()}/{_DURATIONS[period.type]}"


def from_adx(text: str) -> Period:
    match = _ADX.match(text.strip())
    if match is None:
        raise PeriodNotSupported(f"ADX 期间“{text}”应为“起始日期/时长”，如 2024-01-01/P1Y",
                                 f"ADX period {text!r} must be start/duration, e.g. 2024-01-01/P1Y")
    try:
        start = dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise PeriodNotSupported(f"ADX 期间“{text}”的日期无效", f"ADX period {text!r} has an invalid date") from None
    amount, unit = int(match.group(2)), match.group(3)
    period = _period_from(start, amount, unit)
    if period is None:
        raise PeriodNotSupported(
            f"ADX 期间“{text}”不是自然年、季、月、ISO 周（周一起）或日，healthplan 不支持",
            f"ADX period {text!r} is not a calendar year, quarter, month, ISO week (from Monday) or day")
    return period


def _period_from(start: dt.date, amount: int, unit: str) -> Period | None:
    if (amount, unit) == (1, "Y") and (start.month, start.day) == (1, 1):
        return Period.year(start.year)
    if (amount, unit) == (3, "M") and start.day == 1 and start.month in (1, 4, 7, 10):
        return Period.parse(f"{start.year}Q{(start.month + 2) // 3}")
    if (amount, unit) == (1, "M") and start.day == 1:
        return Period.parse(f"{start.year}{start.month:02d}")
    if (amount, unit) in ((7, "D"), (1, "W")) and start.isoweekday() == 1:
        iso = start.isocalendar()
        return Period.parse(f"{iso.year}W{iso.week}")
    if (amount, unit) == (1, "D"):
        return Period.day(start)
    return None
