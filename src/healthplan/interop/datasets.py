"""Report data sets (报表): which data elements a statistical-report template asks for, per what kind of row.

Kept as data (``datasets.yaml``) so a commission adds its own report by editing YAML, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from healthplan.domain.periods import Period, PeriodError, PeriodType
from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.domain.registry import Level

_PERIOD_TYPES = {"year": PeriodType.YEAR, "quarter": PeriodType.QUARTER, "month": PeriodType.MONTH}


@dataclass(frozen=True)
class DataSet:
    code: str
    name: str
    name_en: str
    period_type: PeriodType
    rows: Level  # Level.FACILITY: facilities active at the period's end; otherwise areas of that level
    elements: tuple[str, ...]

    def period(self, year: int | None, period: str | None) -> Period:
        """The reporting period from ``--year`` or ``--period``, checked against the data set's period type."""
        if (year is None) == (period is None):
            raise HealthplanError("请给出 --year 或 --period 之一", "give exactly one of --year or --period")
        try:
            chosen = Period.year(year) if year is not None else Period.parse(str(period))
        except (PeriodError, ValueError) as exc:
            raise HealthplanError(f"期间无效：{year or period}", f"invalid period: {year or period} ({exc})") from None
        if chosen.type is not self.period_type:
            raise HealthplanError(
                f"数据集“{self.code}”按{self.period_type.label}填报，{chosen.code} 是{chosen.type.label}",
                f"data set {self.code!r} is reported by {self.period_type.name.lower()}, "
                f"{chosen.code} is a {chosen.type.name.lower()}")
        return chosen


def _data_set(item: dict[str, Any]) -> DataSet:
    return DataSet(code=item["code"], name=item["name"], name_en=item.get("name_en", ""),
                   period_type=_PERIOD_TYPES[item.get("period_type", "year")], rows=Level(item["rows"]),
                   elements=tuple(item["elements"]))


def data_sets() -> dict[str, DataSet]:
    text = resources.files("healthplan.interop").joinpath("datasets.yaml").read_text(encoding="utf-8")
    return {d.code: d for d in (_data_set(item) for item in yaml.safe_load(text))}


def get_data_set(code: str) -> DataSet:
    known = data_sets()
    if code not in known:
        raise NotFound(f"没有数据集“{code}”，可选：{', '.join(known)}",
                       f"no data set {code!r}; choose one of {', '.join(known)}")
    return known[code]
