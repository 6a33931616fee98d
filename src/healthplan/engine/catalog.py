"""The built-in indicator catalog (catalog.yaml) and the lookup that adds plan-defined indicators."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from healthplan.domain.data import Aggregation, DataElement, ValueType
from healthplan.domain.indicators import Display, Indicator, Polarity
from healthplan.domain.problems import NotFound


def indicator_from_dict(item: Mapping[str, Any], plan_code: str | None = None) -> Indicator:
    return Indicator(
        code=str(item["code"]), name=str(item["name"]), numerator=str(item["numerator"]),
        denominator=str(item["denominator"]) if item.get("denominator") else None,
        factor=float(item.get("factor", 1)), name_en=str(item.get("name_en", "")), unit=str(item.get("unit", "")),
        decimals=int(item.get("decimals", 2)), polarity=Polarity(item.get("polarity", "higher_better")),
        display=Display(item.get("display", "number")), definition=str(item.get("definition", "")),
        plan_code=plan_code)


@cache
def builtin_indicators() -> tuple[Indicator, ...]:
    text = resources.files("healthplan.engine").joinpath("catalog.yaml").read_text(encoding="utf-8")
    return tuple(indicator_from_dict(item) for item in yaml.safe_load(text))


def element_indicator(element: DataElement) -> Indicator:
    """A data element used as a target: its rolled-up value (e.g. 传染病床位 of 城区 ≥ 80)."""
    term = "value" if element.aggregation is Aggregation.NONE else "sum"
    integral = element.value_type in (ValueType.INTEGER, ValueType.BOOLEAN)
    return Indicator(code=element.code, name=element.name, numerator=f"{term}({element.code})",
                     name_en=element.name_en, unit=element.unit, decimals=0 if integral else 2,
                     definition=f"数据元 {element.code} 的汇总值 / rolled-up value of {element.code}")


class Catalog:
    """Indicators by code: built-ins, user-defined ones, and data elements standing for themselves."""

    def __init__(self, user_defined: Iterable[Indicator] = (),
                 data_elements: Mapping[str, DataElement] | None = None) -> None:
        self.indicators: dict[str, Indicator] = {i.code: i for i in builtin_indicators()}
        for indicator in user_defined:
            self.indicators[indicator.code] = indicator
        self.data_elements = dict(data_elements or {})

    def get(self, code: str) -> Indicator:
        if code in self.indicators:
            return self.indicators[code]
        if code in self.data_elements:
            return element_indicator(self.data_elements[code])
        raise NotFound(f"未知的指标或数据元“{code}”", f"unknown indicator or data element {code!r}")

    def __contains__(self, code: object) -> bool:
        return code in self.indicators or code in self.data_elements

    def builtin(self) -> list[Indicator]:
        return [self.indicators[i.code] for i in builtin_indicators()]
