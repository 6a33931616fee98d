"""Data sets (报表): which data elements a form collects, where, how often, and the rules they must satisfy.

Data sets and validation rules are data (``datasets.yaml``), so a commission adds a report or a rule such as
负压病床 ≤ 传染病床位 without code. A data set is also the unit of approval: (data set, county, year).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from healthplan.domain.data import RecordedAt
from healthplan.domain.periods import Period, PeriodError, PeriodType
from healthplan.domain.problems import HealthplanError, NotFound

_OPS: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "le": (operator.le, "≤"), "lt": (operator.lt, "<"), "ge": (operator.ge, "≥"), "gt": (operator.gt, ">"),
    "eq": (lambda a, b: abs(a - b) < 1e-9, "="),
}


@dataclass(frozen=True)
class Violation:
    """A rule a form breaks, with both sides' values (shown next to the fields involved)."""

    rule: Rule
    left: float
    right: float

    @property
    def blocking(self) -> bool:
        return self.rule.severity == "error"

    def message(self, english: bool = False) -> str:
        """``负压病床 ≤ 传染病床位：99 ≤ 44 不成立`` — the rule, then the numbers that break it."""
        symbol = _OPS[self.rule.op][1]
        if english:
            return f"{self.rule.name_en or self.rule.name}: {self.left:g} {symbol} {self.right:g} does not hold"
        return f"{self.rule.name}：{self.left:g} {symbol} {self.right:g} 不成立"

    def to_json(self) -> dict[str, object]:
        return {"rule": self.rule.code, "name": self.rule.name, "name_en": self.rule.name_en,
                "severity": self.rule.severity, "left": self.left, "right": self.right,
                "elements": list(self.rule.elements), "message_zh": self.message(), "message_en": self.message(True)}


@dataclass(frozen=True)
class Rule:
    code: str
    left: tuple[str, ...]
    op: str
    right: tuple[str, ...]
    name: str
    name_en: str
    severity: str = "error"

    @property
    def elements(self) -> tuple[str, ...]:
        return self.left + self.right

    def check(self, values: Mapping[str, float | None]) -> Violation | None:
        """The violation, or None when satisfied or when an element on either side is not filled in."""
        sides = [[values.get(e) for e in side] for side in (self.left, self.right)]
        if any(v is None for side in sides for v in side):
            return None
        left, right = (sum(v for v in side if v is not None) for side in sides)
        return None if _OPS[self.op][0](left, right) else Violation(self, left, right)


@dataclass(frozen=True)
class Section:
    name: str
    name_en: str
    elements: tuple[str, ...]


@dataclass(frozen=True)
class DataSet:
    code: str
    name: str
    name_en: str
    recorded_at: RecordedAt
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...]

    @property
    def elements(self) -> tuple[str, ...]:
        return tuple(e for s in self.sections for e in s.elements)

    def check_period(self, code: str) -> str:
        """The period code normalised; a yearly report takes only years (``2024``)."""
        try:
            period = Period.parse(code)
        except PeriodError as exc:
            raise HealthplanError(*str(exc).split(" / ", 1)) from None
        if period.type is not PeriodType.YEAR:
            raise HealthplanError(f"“{self.name}”按年填报，期间应为年份（如 2024），得到 {code}",
                                  f"{self.code} is yearly: give a year such as 2024, got {code}")
        return period.code

    @staticmethod
    def approval_periods(period: str) -> list[str]:
        """The yearly approval periods a period of any length touches (its values depend on them)."""
        p = Period.parse(period)
        return [str(y) for y in range(p.start.year, p.end.year + 1)]

    def violations(self, values: Mapping[str, float | None]) -> list[Violation]:
        return [v for rule in self.rules if (v := rule.check(values)) is not None]

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "name_en": self.name_en,
                "recorded_at": self.recorded_at.value, "period_type": "yearly",
                "sections": [{"name": s.name, "name_en": s.name_en, "elements": list(s.elements)}
                             for s in self.sections],
                "rules": [{"code": r.code, "name": r.name, "name_en": r.name_en, "left": list(r.left), "op": r.op,
                           "right": list(r.right), "severity": r.severity} for r in self.rules]}


def _rule(item: Mapping[str, Any]) -> Rule:
    if item["op"] not in _OPS or item.get("severity", "error") not in ("error", "warning"):
        raise ValueError(f"bad rule {item.get('code')!r} in datasets.yaml")
    return Rule(str(item["code"]), tuple(item["left"]), str(item["op"]), tuple(item["right"]), str(item["name"]),
                str(item.get("name_en", "")), str(item.get("severity", "error")))


def parse_data_sets(items: Iterable[Mapping[str, Any]]) -> dict[str, DataSet]:
    result = {}
    for item in items:
        sections = tuple(Section(str(s["name"]), str(s.get("name_en", "")), tuple(s["elements"]))
                         for s in item["sections"])
        result[str(item["code"])] = DataSet(str(item["code"]), str(item["name"]), str(item.get("name_en", "")),
                                            RecordedAt(item.get("recorded_at", "facility")), sections,
                                            tuple(_rule(r) for r in item.get("rules") or ()))
    return result


@cache
def data_sets() -> dict[str, DataSet]:
    text = resources.files("healthplan.web").joinpath("datasets.yaml").read_text(encoding="utf-8")
    return parse_data_sets(yaml.safe_load(text))


def get_data_set(code: str) -> DataSet:
    found = data_sets().get(code)
    if found is None:
        raise NotFound(f"找不到报表“{code}”", f"no data set {code!r}")
    return found


def data_set_of(element: str) -> DataSet | None:
    """The data set that collects ``element`` (each element is collected by at most one)."""
    return next((ds for ds in data_sets().values() if element in ds.elements), None)
