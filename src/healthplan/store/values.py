"""Data elements and data values: audited, idempotent writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from healthplan.domain.data import Aggregation, DataElement, Kind, RecordedAt, ValueType
from healthplan.store import audit
from healthplan.store.registry import Changes, code_to_id
from healthplan.store.schema import DataElementRow, DataValueRow, OrgUnitRow


def core_data_elements() -> list[DataElement]:
    """The built-in data elements shipped with the package (store/data_elements.yaml)."""
    text = resources.files("healthplan.store").joinpath("data_elements.yaml").read_text(encoding="utf-8")
    return [data_element_from_dict(item) for item in yaml.safe_load(text)]


def data_element_from_dict(item: dict[str, Any]) -> DataElement:
    return DataElement(
        code=item["code"], name=item["name"], name_en=item.get("name_en", ""), kind=Kind(item["kind"]),
        value_type=ValueType(item.get("value_type", "number")),
        aggregation=Aggregation(item.get("aggregation", "sum")),
        recorded_at=RecordedAt(item.get("recorded_at", "facility")), unit=item.get("unit", ""),
        minimum=item.get("minimum"), maximum=item.get("maximum"))


def upsert_data_elements(session: Session, elements: Sequence[DataElement]) -> Changes:
    changes = Changes()
    for element in elements:
        row = session.get(DataElementRow, element.code)
        fields = {"name": element.name, "name_en": element.name_en, "kind": element.kind.value,
                  "value_type": element.value_type.value, "aggregation": element.aggregation.value,
                  "recorded_at": element.recorded_at.value, "unit": element.unit, "minimum": element.minimum,
                  "maximum": element.maximum}
        if row is None:
            session.add(DataElementRow(code=element.code, **fields))
            changes.inserted += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(row, key, value)
            changes.updated += 1
        else:
            changes.unchanged += 1
    session.flush()
    return changes


def data_elements(session: Session) -> dict[str, DataElement]:
    return {row.code: DataElement(
        code=row.code, name=row.name, name_en=row.name_en, kind=Kind(row.kind),
        value_type=ValueType(row.value_type), aggregation=Aggregation(row.aggregation),
        recorded_at=RecordedAt(row.recorded_at), unit=row.unit, minimum=row.minimum, maximum=row.maximum)
        for row in session.scalars(select(DataElementRow))}


@dataclass(frozen=True)
class ValueWrite:
    """One value to store, addressed by codes; ``value`` None deletes it."""

    data_element: str
    org_unit: str
    period: str
    value: float | None
    disaggregation: str = ""
    comment: str = ""


def write_values(session: Session, writes: Sequence[ValueWrite], user: str, reason: str = "") -> Changes:
    """Insert, update or delete values; every change is audited with its old and new value."""
    changes = Changes()
    if not writes:
        return changes
    ids = code_to_id(session)
    keys = {(w.data_element, ids[w.org_unit], w.period, w.disaggregation) for w in writes}
    stored: dict[tuple[str, int, str, str], DataValueRow] = {}
    key_list = list(keys)
    for start in range(0, len(key_list), 500):
        chunk = key_list[start:start + 500]
        query = select(DataValueRow).where(tuple_(DataValueRow.data_element, DataValueRow.org_unit_id,
                                                  DataValueRow.period, DataValueRow.disaggregation).in_(chunk))
        for row in session.scalars(query):
            stored[(row.data_element, row.org_unit_id, row.period, row.disaggregation)] = row
    stamp = audit.now()
    new_rows = []
    for w in writes:
        key = (w.data_element, ids[w.org_unit], w.period, w.disaggregation)
        row = stored.get(key)
        old = row.value if row is not None else None
        if w.value is None and row is None:
            changes.unchanged += 1
            continue
        if row is not None and w.value is not None and row.value == w.value and row.comment == w.comment:
            changes.unchanged += 1
            continue
        if row is None:
            assert w.value is not None
            row = DataValueRow(data_element=w.data_element, org_unit_id=key[1], period=w.period,
                               disaggregation=w.disaggregation, value=w.value, comment=w.comment,
                               updated_by=user, updated_at=stamp)
            new_rows.append(row)
            stored[key] = row
            changes.inserted += 1
            action = "insert"
        elif w.value is None:
            session.delete(row)
            del stored[key]
            changes.updated += 1
            action = "delete"
        else:
            row.value, row.comment, row.updated_by, row.updated_at = w.value, w.comment, user, stamp
            changes.updated += 1
            action = "update"
        audit.record(session, user=user, action=action, entity="data_value",
                     key=f"{w.data_element}|{w.org_unit}|{w.period}|{w.disaggregation}",
                     data_element=w.data_element, org_unit=w.org_unit, period=w.period,
                     old=None if old is None else repr(old), new=None if w.value is None else repr(w.value),
                     reason=reason, at=stamp)
    session.add_all(new_rows)
    session.flush()
    return changes


def read_values(session: Session, data_element: str | None = None, org_unit: str | None = None,
                period: str | None = None) -> list[tuple[str, str, str, str, float, str]]:
    """(data_element, org_unit code, period, disaggregation, value, comment) rows, filtered."""
    query = select(DataValueRow.data_element, OrgUnitRow.code, DataValueRow.period, DataValueRow.disaggregation,
                   DataValueRow.value, DataValueRow.comment).join(OrgUnitRow,
                                                                  OrgUnitRow.id == DataValueRow.org_unit_id)
    if data_element is not None:
        query = query.where(DataValueRow.data_element == data_element)
    if org_unit is not None:
        query = query.where(OrgUnitRow.code == org_unit)
    if period is not None:
        query = query.where(DataValueRow.period == period)
    query = query.order_by(DataValueRow.data_element, OrgUnitRow.code, DataValueRow.period)
    return [(de, ou, p, d, v, c) for de, ou, p, d, v, c in session.execute(query)]
