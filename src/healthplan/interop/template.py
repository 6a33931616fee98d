"""What a statistical-report template holds: its rows (facilities or areas), columns (data elements), values.

The content is decided here, against the registry as of the period's end; ``workbook`` lays it out in Excel.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from healthplan.domain.data import DataElement
from healthplan.domain.datasets import DataSet
from healthplan.domain.periods import Period
from healthplan.domain.problems import HealthplanError
from healthplan.domain.registry import HOSPITAL_LEVEL_LABELS, Level, OrgUnit
from healthplan.interop.scope import RegistryTree
from healthplan.store.database import Database
from healthplan.store.values import data_elements, read_values


class Layout(StrEnum):
    WIDE = "wide"  # one row per facility/area, one column per data element
    LONG = "long"  # one row per facility/area × data element


@dataclass(frozen=True)
class RowUnit:
    """One facility or area a template asks about, with what the filler needs to recognise it."""

    code: str
    name: str
    area: str  # the area it stands in (facility) or its parent (area)
    kind: str  # 机构类别 / 区划层级, shown in the roster sheet
    rating: str = ""  # 医院等级 and 公立/非公立, facilities only


@dataclass(frozen=True)
class Template:
    data_set: DataSet
    org_unit: OrgUnit
    period: Period
    layout: Layout
    elements: tuple[DataElement, ...]
    rows: tuple[RowUnit, ...]
    values: dict[tuple[str, str], tuple[float, str]]  # (row code, data element) → (value, comment)

    @property
    def is_facility_report(self) -> bool:
        return self.data_set.rows is Level.FACILITY

    def to_json(self) -> dict[str, object]:
        return {"data_set": self.data_set.code, "org_unit": self.org_unit.code, "period": self.period.code,
                "layout": self.layout.value, "rows": len(self.rows), "data_elements": len(self.elements),
                "prefilled": len(self.values)}


def build_template(database: Database, data_set: DataSet, org_unit: str, period: Period, layout: Layout,
                   prefill: bool = True) -> Template:
    with database.sessions() as session:
        tree = RegistryTree.load(session)
        known = data_elements(session)
        missing = [code for code in data_set.elements if code not in known]
        if missing:
            raise HealthplanError(f"数据集“{data_set.code}”引用了不存在的数据元：{', '.join(missing)}",
                                  f"data set {data_set.code!r} names unknown data elements: {', '.join(missing)}")
        root = tree.area(org_unit)
        rows = _rows(tree, data_set, org_unit, period)
        if not rows:
            what = "在册机构" if data_set.rows is Level.FACILITY else data_set.rows.label
            raise HealthplanError(f"{root.name}（{org_unit}）下在 {period.end} 没有{what}",
                                  f"no {data_set.rows.value} rows under {org_unit} on {period.end}")
        values: dict[tuple[str, str], tuple[float, str]] = {}
        if prefill:
            wanted = {r.code for r in rows}
            for code in data_set.elements:
                for _de, ou, _p, disaggregation, value, comment in read_values(session, code, None, period.code):
                    if ou in wanted and disaggregation == "":
                        values[(ou, code)] = (value, comment)
    return Template(data_set, root, period, layout, tuple(known[c] for c in data_set.elements), tuple(rows), values)


def _rows(tree: RegistryTree, data_set: DataSet, org_unit: str, period: Period) -> list[RowUnit]:
    if data_set.rows is Level.FACILITY:
        return [RowUnit(v.code, v.name, v.parent_code, v.category.label,
                        f"{HOSPITAL_LEVEL_LABELS.get(v.level, str(v.level))}；{v.ownership.label}")
                for v in tree.facilities_on(period.end, org_unit)]
    return [RowUnit(a.code, a.name, a.parent_code or "", a.level.label) for a in tree.areas_at(data_set.rows, org_unit)]
