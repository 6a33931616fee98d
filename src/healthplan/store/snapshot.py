"""Column-wise reads of the store for the analytics engine (Arrow tables, no ORM objects)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from healthplan.store import audit
from healthplan.store.schema import DataElementRow, DataValueRow, FacilityVersionRow, OrgUnitRow


@dataclass(frozen=True)
class Snapshot:
    org_units: Any  # pa.Table: id, code, name, level, parent_id, urban_rural
    versions: Any  # pa.Table: fid, valid_from, valid_to, parent_id, category, …, groups
    values: Any  # pa.Table: de, ou_id, period, value (summed over disaggregations)
    data_elements: Any  # pa.Table: code, kind, aggregation
    audit_id: int


def _table(session: Session, query: Any, names: list[str], types: list[Any]) -> Any:
    rows = session.execute(query).all()
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    return pa.table({n: pa.array(list(c), type=t) for n, c, t in zip(names, columns, types, strict=True)})


def registry_tables(session: Session) -> tuple[Any, Any]:
    org_units = _table(session, select(OrgUnitRow.id, OrgUnitRow.code, OrgUnitRow.name, OrgUnitRow.level,
                                       OrgUnitRow.parent_id, OrgUnitRow.urban_rural),
                       ["id", "code", "name", "level", "parent_id", "urban_rural"],
                       [pa.int64(), pa.string(), pa.string(), pa.string(), pa.int64(), pa.string()])
    v = FacilityVersionRow
    versions = _table(session, select(v.facility_id, v.valid_from, v.valid_to, v.parent_id, v.category,
                                      v.specialty, v.level, v.grade, v.ownership, v.host, v.urban_rural,
                                      v.central, v.groups),
                      ["fid", "valid_from", "valid_to", "parent_id", "category", "specialty", "level", "grade",
                       "ownership", "host", "urban_rural", "central", "groups"],
                      [pa.int64(), pa.date32(), pa.date32(), pa.int64(), pa.string(), pa.string(), pa.int64(),
                       pa.string(), pa.string(), pa.string(), pa.string(), pa.bool_(), pa.string()])
    return org_units, versions


_VALUE_NAMES = ["de", "ou_id", "period", "value"]
_VALUE_TYPES = [pa.string(), pa.int64(), pa.string(), pa.float64()]


def _values_query() -> Any:
    d = DataValueRow
    return (select(d.data_element, d.org_unit_id, d.period, func.sum(d.value))
            .group_by(d.data_element, d.org_unit_id, d.period))


def read_snapshot(session: Session) -> Snapshot:
    audit_id = audit.latest_id(session)
    org_units, versions = registry_tables(session)
    values = _table(session, _values_query(), _VALUE_NAMES, _VALUE_TYPES)
    elements = _table(session, select(DataElementRow.code, DataElementRow.kind, DataElementRow.aggregation),
                      ["code", "kind", "aggregation"], [pa.string(), pa.string(), pa.string()])
    return Snapshot(org_units, versions, values, elements, audit_id)


def read_value_totals(session: Session, keys: Iterable[tuple[str, int, str]]) -> Any:
    """Current totals for (data element, org unit id, period) keys; absent keys are deleted values."""
    key_list = list(keys)
    tables = []
    for start in range(0, len(key_list), 500):
        chunk = key_list[start:start + 500]
        query = _values_query().where(tuple_(DataValueRow.data_element, DataValueRow.org_unit_id,
                                             DataValueRow.period).in_(chunk))
        tables.append(_table(session, query, _VALUE_NAMES, _VALUE_TYPES))
    if not tables:
        return _table(session, _values_query().where(DataValueRow.id < 0), _VALUE_NAMES, _VALUE_TYPES)
    return pa.concat_tables(tables)
