"""The indicator explorer: one indicator for an area and its sub-areas in a year, its trend, plan targets.

Every number comes from the engine (``Analytics`` via :class:`AppState`); this module only arranges it and
withholds what the user may not see.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from healthplan.domain.indicators import Indicator
from healthplan.domain.plans import Plan, Target
from healthplan.domain.registry import Level
from healthplan.plans.progress import goal
from healthplan.store.plans import list_plans
from healthplan.web.errors import Forbidden
from healthplan.web.state import AppState
from healthplan.web.visibility import WITHHELD_EN, WITHHELD_ZH, Visibility


@dataclass(frozen=True)
class AreaNumber:
    code: str
    name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    withheld: bool

    def to_json(self, indicator: Indicator) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "value": self.value, "numerator": self.numerator,
                "denominator": self.denominator, "withheld": self.withheld,
                "text": "未公开" if self.withheld else indicator.format(self.value)}


def indicator_json(ind: Indicator) -> dict[str, object]:
    return {"code": ind.code, "name": ind.name, "name_en": ind.name_en, "unit": ind.unit, "decimals": ind.decimals,
            "polarity": ind.polarity.value, "numerator": ind.numerator, "denominator": ind.denominator,
            "factor": ind.factor, "display": ind.display.value, "definition": ind.definition, "plan": ind.plan_code}


def sub_areas(state: AppState, area: str) -> list[str]:
    """The areas one level down (a city's counties, a county's townships)."""
    tree = state.tree
    return [c for c in tree.children.get(area, []) if tree.level[c] is not Level.FACILITY]


def _all_withheld(numbers: list[AreaNumber]) -> None:
    if numbers and all(n.withheld for n in numbers):
        raise Forbidden(WITHHELD_ZH, WITHHELD_EN)


def area_values(state: AppState, vis: Visibility, ind: Indicator, area: str, year: int
                ) -> tuple[AreaNumber, list[AreaNumber]]:
    """The area's own number and its sub-areas'; 403 when every one of them is withheld."""
    codes = [area, *sub_areas(state, area)]
    results = state.evaluate([ind], [str(year)], codes)
    elements = state.elements_of(ind)
    numbers = []
    for r in results:
        hidden = vis.hidden(r.org_unit, str(year), elements)
        numbers.append(AreaNumber(r.org_unit, state.tree.label(r.org_unit), None if hidden else r.value,
                                  None if hidden else r.numerator, None if hidden else r.denominator, hidden))
    _all_withheld(numbers)
    return numbers[0], numbers[1:]


def trend(state: AppState, vis: Visibility, ind: Indicator, org_unit: str, years: list[int]) -> list[AreaNumber]:
    results = state.evaluate([ind], [str(y) for y in years], [org_unit])
    elements = state.elements_of(ind)
    numbers = []
    for r in results:
        hidden = vis.hidden(org_unit, r.period, elements)
        numbers.append(AreaNumber(r.period, r.period, None if hidden else r.value, None if hidden else r.numerator,
                                  None if hidden else r.denominator, hidden))
    _all_withheld(numbers)
    return numbers


def plans(state: AppState) -> list[Plan]:
    def read() -> list[Plan]:
        with state.database.sessions() as session:
            return list_plans(session)

    return state.memo(("plans",), read)


def targets_for(state: AppState, vis: Visibility, ind: Indicator, org_unit: str) -> list[dict[str, object]]:
    """The plan targets set on this indicator for this org unit, with the straight trajectory to each."""
    found = []
    for plan in plans(state):
        for t in plan.targets:
            if t.indicator == ind.code and (t.org_unit or plan.org_unit) == org_unit:
                found.append(_target_line(state, vis, ind, plan, t, org_unit))
    return found


def _target_line(state: AppState, vis: Visibility, ind: Indicator, plan: Plan, t: Target,
                 org_unit: str) -> dict[str, object]:
    baseline = t.baseline
    if baseline is None:
        base = trend_value(state, vis, ind, org_unit, plan.base_year)
        baseline = None if base is None else round(base, ind.decimals)
    g = goal(t, baseline, ind.polarity)
    point = g.point if g is not None else None
    trajectory = ([[plan.base_year, baseline], [plan.target_year, point]]
                  if baseline is not None and point is not None else [])
    return {"plan": plan.code, "plan_name": plan.name, "seq": t.seq, "op": t.op.value, "op_label": t.op.label,
            "value": t.value, "value_high": t.value_high, "goal": point, "base_year": plan.base_year,
            "target_year": plan.target_year, "baseline": baseline, "nature": t.nature.value,
            "nature_label": t.nature.label, "trajectory": trajectory}


def trend_value(state: AppState, vis: Visibility, ind: Indicator, org_unit: str, year: int) -> float | None:
    if vis.hidden(org_unit, str(year), state.elements_of(ind)):
        return None
    (result,) = state.evaluate([ind], [str(year)], [org_unit])
    return result.value


TABLE_COLUMNS = ["代码", "区划", "值", "分子", "分母"]


def table_rows(numbers: list[AreaNumber]) -> list[list[object]]:
    return [[n.code, n.name, "未公开" if n.withheld else n.value, n.numerator, n.denominator] for n in numbers]


def csv_bytes(title: str, numbers: list[AreaNumber]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title])
    writer.writerow(TABLE_COLUMNS)
    writer.writerows(table_rows(numbers))
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(title: str, numbers: list[AreaNumber]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(TABLE_COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table_rows(numbers):
        sheet.append(row)
    for column, width in zip("ABCDE", (12, 16, 12, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
