"""The audit log: who changed what, when, from which value to which (nothing is ever silently lost)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from healthplan.store.schema import AuditRow


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    user: str
    action: str
    entity: str
    key: str
    data_element: str | None
    org_unit: str | None
    period: str | None
    old_value: str | None
    new_value: str | None
    reason: str


def record(session: Session, *, user: str, action: str, entity: str, key: str, old: str | None = None,
           new: str | None = None, data_element: str | None = None, org_unit: str | None = None,
           period: str | None = None, reason: str = "", at: dt.datetime | None = None) -> None:
    session.add(AuditRow(at=at or now(), user=user, action=action, entity=entity, key=key,
                         data_element=data_element, org_unit=org_unit, period=period, old_value=old,
                         new_value=new, reason=reason))


def entries_since(session: Session, after_id: int, entity: str | None = None) -> list[AuditEntry]:
    query = select(AuditRow).where(AuditRow.id > after_id).order_by(AuditRow.id)
    if entity is not None:
        query = query.where(AuditRow.entity == entity)
    return [_entry(row) for row in session.scalars(query)]


def latest_id(session: Session) -> int:
    value = session.scalar(select(AuditRow.id).order_by(AuditRow.id.desc()).limit(1))
    return int(value or 0)


def history(session: Session, *, entity: str | None = None, key: str | None = None,
            org_unit: str | None = None, limit: int = 500) -> list[AuditEntry]:
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditRow.entity == entity)
    if key is not None:
        query = query.where(AuditRow.key == key)
    if org_unit is not None:
        query = query.where(AuditRow.org_unit == org_unit)
    return [_entry(row) for row in session.scalars(query)]


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(row.id, row.at, row.user, row.action, row.entity, row.key, row.data_element,
                      row.org_unit, row.period, row.old_value, row.new_value, row.reason)
