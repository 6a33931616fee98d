"""Data elements and data values: audited, idempotent writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from healthplan.domain.data import Aggregation, DataElement, Kind, RecordedAt, ValueType
from healthplan.store import audit
from healthplan.store.registry import Changes, code_to_id
from healthplan.store.schema import AuditRow, DataElementRow, DataValueRow, OrgUnitRow


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
    """Insert, update or delete values; every change is audited with its old and new value.

    Set-based (Core bulk statements), so a yearly statistical report of 10⁵ values imports in seconds.
    """
    changes = Changes()
    if not writes:
        return changes
    ids = code_to_id(session, None if len(writes) > 5000 else (w.org_unit for w in writes))
    stored = _stored_rows(session, {(w.data_element, ids[w.org_unit], w.period, w.disaggregation) for w in writes})
    stamp = audit.now()
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    deletes: list[int] = []
    trail: list[dict[str, object]] = []
    for w in writes:
        key = (w.data_element, ids[w.org_unit], w.period, w.disaggregation)
        found = stored.get(key)
        old = found[1] if found is not None else None
        if (w.value is None and found is None) or (
                found is not None and w.value is not None and found[1] == w.value and found[2] == w.comment):
            changes.unchanged += 1
            continue
        if found is None:
            inserts.append({"data_element": w.data_element, "org_unit_id": key[1], "period": w.period,
                            "disaggregation": w.disaggregation, "value": w.value, "comment": w.comment,
                            "state": "draft", "updated_by": user, "updated_at": stamp})
            changes.inserted += 1
            action = "insert"
        elif w.value is None:
            deletes.append(found[0])
            changes.updated += 1
            action = "delete"
        else:
            updates.append({"id": found[0], "value": w.value, "comment": w.comment, "updated_by": user,
                            "updated_at": stamp})
            changes.updated += 1
            action = "update"
        if w.value is None:
            stored.pop(key, None)
        else:
            stored[key] = (found[0] if found else -1, w.value, w.comment)
        trail.append({"at": stamp, "user": user, "action": action, "entity": "data_value",
                      "key": f"{w.data_element}|{w.org_unit}|{w.period}|{w.disaggregation}",
                      "data_element": w.data_element, "org_unit": w.org_unit, "period": w.period,
                      "old_value": None if old is None else repr(old),
                      "new_value": None if w.value is None else repr(w.value), "reason": reason})
    if inserts:
        session.execute(insert(DataValueRow), inserts)
    if updates:
        session.execute(update(DataValueRow), updates)
    for start in range(0, len(deletes), 500):
        session.execute(delete(DataValueRow).where(DataValueRow.id.in_(deletes[start:start + 500])))
    if trail:
        session.execute(insert(AuditRow), trail)
    return changes


def _stored_rows(session: Session, keys: set[tuple[str, int, str, str]]
                 ) -> dict[tuple[str, int, str, str], tuple[int, float, str]]:
    """(id, value, comment) of stored values for ``keys``: by key for small writes, by element×period for bulk."""
    d = DataValueRow
    columns = (d.data_element, d.org_unit_id, d.period, d.disaggregation, d.id, d.value, d.comment)
    queries = []
    if len(keys) > 2000:
        elements = sorted({k[0] for k in keys})
        periods = sorted({k[2] for k in keys})
        queries.append(select(*columns).where(d.data_element.in_(elements), d.period.in_(periods)))
    else:
        key_list = sorted(keys)
        for start in range(0, len(key_list), 500):
            chunk = key_list[start:start + 500]
            queries.append(select(*columns).where(tuple_(d.data_element, d.org_unit_id, d.period,
                                                         d.disaggregation).in_(chunk)))
    result = {}
    for query in queries:
        for de, ou, period, disagg, id_, value, comment in session.execute(query):
            if (de, ou, period, disagg) in keys:
                result[(de, ou, period, disagg)] = (id_, value, comment)
    return result


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
