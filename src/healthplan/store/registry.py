"""Org units and the effective-dated facility registry: reads, idempotent upserts, new versions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.domain.registry import (
    Category,
    FacilityVersion,
    Grade,
    Host,
    Level,
    OrgUnit,
    Ownership,
    Specialty,
    UrbanRural,
)
from healthplan.store import audit
from healthplan.store.schema import FacilityVersionRow, OrgUnitRow


@dataclass
class Changes:
    """What a write did; re-running the same import gives ``inserted == updated == 0``."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: Changes) -> Changes:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self

    def to_json(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged}


def code_to_id(session: Session, codes: Iterable[str] | None = None) -> dict[str, int]:
    """Ids by code: of ``codes`` only (a small write), or of every org unit."""
    query = select(OrgUnitRow.code, OrgUnitRow.id)
    if codes is None:
        return {code: id_ for code, id_ in session.execute(query)}
    wanted = sorted(set(codes))
    result: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        result.update({code: id_ for code, id_ in session.execute(query.where(OrgUnitRow.code.in_(chunk)))})
    return result


def org_unit_codes(session: Session) -> dict[str, str]:
    """code → level for every org unit (areas and facilities)."""
    return {code: level for code, level in session.execute(select(OrgUnitRow.code, OrgUnitRow.level))}


def get_org_unit(session: Session, code: str) -> OrgUnit:
    row = session.scalar(select(OrgUnitRow).where(OrgUnitRow.code == code))
    if row is None:
        raise NotFound(f"找不到组织机构“{code}”", f"no org unit with code {code!r}")
    parent = session.get(OrgUnitRow, row.parent_id) if row.parent_id else None
    return _org_unit(row, parent.code if parent else None)


def list_areas(session: Session) -> list[OrgUnit]:
    rows = list(session.scalars(select(OrgUnitRow).where(OrgUnitRow.level != Level.FACILITY.value)))
    codes = {r.id: r.code for r in rows}
    return [_org_unit(r, codes.get(r.parent_id) if r.parent_id else None) for r in rows]


def _org_unit(row: OrgUnitRow, parent_code: str | None) -> OrgUnit:
    return OrgUnit(row.code, row.name, Level(row.level), parent_code, row.lat, row.lon,
                   UrbanRural(row.urban_rural) if row.urban_rural else None)


def upsert_org_units(session: Session, units: Sequence[OrgUnit], user: str) -> Changes:
    """Insert or update areas; parents may come later in the same batch (processed top-down)."""
    changes = Changes()
    ids = code_to_id(session)
    existing = {r.code: r for r in session.scalars(select(OrgUnitRow).where(
        OrgUnitRow.code.in_([u.code for u in units])))} if units else {}
    for unit in sorted(units, key=lambda u: u.level.depth):
        parent_id = ids[unit.parent_code] if unit.parent_code else None
        row = existing.get(unit.code)
        new_state = _area_state(unit)
        if row is None:
            row = OrgUnitRow(code=unit.code, name=unit.name, level=unit.level.value, parent_id=parent_id,
                             lat=unit.lat, lon=unit.lon,
                             urban_rural=unit.urban_rural.value if unit.urban_rural else None)
            session.add(row)
            session.flush()
            ids[unit.code] = row.id
            audit.record(session, user=user, action="insert", entity="org_unit", key=unit.code,
                         org_unit=unit.code, new=json.dumps(new_state, ensure_ascii=False))
            changes.inserted += 1
            continue
        old_parent = session.get(OrgUnitRow, row.parent_id).code if row.parent_id else None  # type: ignore[union-attr]
        old_state = _area_state(_org_unit(row, old_parent))
        if old_state == new_state:
            changes.unchanged += 1
            continue
        row.name, row.level, row.parent_id = unit.name, unit.level.value, parent_id
        row.lat, row.lon = unit.lat, unit.lon
        row.urban_rural = unit.urban_rural.value if unit.urban_rural else None
        audit.record(session, user=user, action="update", entity="org_unit", key=unit.code, org_unit=unit.code,
                     old=json.dumps(old_state, ensure_ascii=False), new=json.dumps(new_state, ensure_ascii=False))
        changes.updated += 1
    session.flush()
    return changes


def _area_state(unit: OrgUnit) -> dict[str, object]:
    return {"name": unit.name, "level": unit.level.value, "parent": unit.parent_code, "lat": unit.lat,
            "lon": unit.lon, "urban_rural": unit.urban_rural.value if unit.urban_rural else None}


# ---- facilities ------------------------------------------------------------------------------------

def facility_history(session: Session, code: str) -> list[FacilityVersion]:
    facility = session.scalar(select(OrgUnitRow).where(OrgUnitRow.code == code,
                                                       OrgUnitRow.level == Level.FACILITY.value))
    if facility is None:
        raise NotFound(f"找不到机构“{code}”", f"no facility with code {code!r}")
    return _versions_of(session, [facility.id])[facility.id]


def all_facility_versions(session: Session) -> list[FacilityVersion]:
    ids = [i for i, in session.execute(select(OrgUnitRow.id).where(OrgUnitRow.level == Level.FACILITY.value))]
    return [v for versions in _versions_of(session, ids).values() for v in versions]


def _versions_of(session: Session, facility_ids: Iterable[int]) -> dict[int, list[FacilityVersion]]:
    wanted = list(facility_ids)
    codes = {id_: code for id_, code in session.execute(select(OrgUnitRow.id, OrgUnitRow.code))}
    result: dict[int, list[FacilityVersion]] = {i: [] for i in wanted}
    if not wanted:
        return result
    rows = session.scalars(select(FacilityVersionRow).order_by(FacilityVersionRow.facility_id,
                                                               FacilityVersionRow.valid_from))
    wanted_set = set(wanted)
    for row in rows:
        if row.facility_id in wanted_set:
            result[row.facility_id].append(_version(row, codes))
    return result


def _version(row: FacilityVersionRow, codes: dict[int, str]) -> FacilityVersion:
    return FacilityVersion(
        code=codes[row.facility_id], name=row.name, parent_code=codes[row.parent_id],
        category=Category(row.category), valid_from=row.valid_from, valid_to=row.valid_to,
        specialty=Specialty(row.specialty) if row.specialty else None, level=row.level,
        grade=Grade(row.grade) if row.grade else None, ownership=Ownership(row.ownership),
        host=Host(row.host) if row.host else None,
        urban_rural=UrbanRural(row.urban_rural) if row.urban_rural else None, lat=row.lat, lon=row.lon,
        central=row.central, groups=tuple(g for g in row.groups.split(";") if g),
    )


def upsert_facilities(session: Session, versions: Sequence[FacilityVersion], user: str) -> Changes:
    """For every facility code in ``versions``, make its stored history equal to the given one.

    The rows given for a code are its whole history. A history that differs from the stored one replaces it;
    the old versions go to the audit log as JSON, so nothing is lost.
    """
    changes = Changes()
    ids = code_to_id(session)
    by_code: dict[str, list[FacilityVersion]] = {}
    for version in versions:
        by_code.setdefault(version.code, []).append(version)
    existing_rows = session.scalars(select(OrgUnitRow).where(OrgUnitRow.level == Level.FACILITY.value,
                                                             OrgUnitRow.code.in_(list(by_code))))
    facilities = {row.code: row for row in existing_rows}
    stored = _versions_of(session, [row.id for row in facilities.values()])
    for code, history in by_code.items():
        history = sorted(history, key=lambda v: v.valid_from)
        latest = history[-1]
        row = facilities.get(code)
        if row is None:
            if code in ids:
                raise HealthplanError(f"代码“{code}”已被区域使用，不能作为机构代码",
                                      f"code {code!r} already belongs to an area")
            row = OrgUnitRow(code=code, name=latest.name, level=Level.FACILITY.value,
                             parent_id=ids[latest.parent_code], lat=latest.lat, lon=latest.lon,
                             urban_rural=latest.urban_rural.value if latest.urban_rural else None)
            session.add(row)
            session.flush()
            ids[code] = row.id
            _write_versions(session, row.id, history, ids)
            audit.record(session, user=user, action="insert", entity="facility", key=code, org_unit=code,
                         new=_history_json(history))
            changes.inserted += 1
            continue
        old = stored.get(row.id, [])
        if old == history:
            changes.unchanged += 1
            continue
        session.query(FacilityVersionRow).filter(FacilityVersionRow.facility_id == row.id).delete()
        session.flush()
        _write_versions(session, row.id, history, ids)
        row.name, row.parent_id, row.lat, row.lon = latest.name, ids[latest.parent_code], latest.lat, latest.lon
        audit.record(session, user=user, action="update", entity="facility", key=code, org_unit=code,
                     old=_history_json(old), new=_history_json(history))
        changes.updated += 1
    session.flush()
    return changes


def add_version(session: Session, code: str, effective: dt.date, user: str, reason: str = "",
                **attributes: object) -> FacilityVersion:
    """Change a facility from ``effective`` on: the current version ends, a new one starts (never an overwrite).

    ``attributes`` are FacilityVersion fields to change; ``closed=True`` ends the facility instead.
    """
    history = facility_history(session, code)
    current = next((v for v in history if v.active_on(effective)), None)
    if current is None:
        raise HealthplanError(f"机构“{code}”在 {effective} 不在册，无法变更",
                              f"facility {code!r} is not active on {effective}")
    later = [v for v in history if v.valid_from > effective]
    if later:
        raise HealthplanError(f"机构“{code}”在 {effective} 之后已有版本，请先处理后续版本",
                              f"facility {code!r} already has versions after {effective}")
    closing = bool(attributes.pop("closed", False))
    kept = [v for v in history if v is not current]
    if current.valid_from == effective:
        ended: list[FacilityVersion] = []
    else:
        ended = [replace(current, valid_to=effective)]
    new_history = kept + ended
    new_version = replace(current, valid_from=effective, valid_to=None, **attributes)  # type: ignore[arg-type]
    if not closing:
        new_history.append(new_version)
    elif not ended:
        raise HealthplanError(f"机构“{code}”不能在开业当天撤销", f"facility {code!r} cannot close on its first day")
    upsert_facilities(session, new_history, user)
    audit.record(session, user=user, action="close" if closing else "new_version", entity="facility_change",
                 key=code, org_unit=code, reason=reason, new=str(effective))
    return new_history[-1]


def _write_versions(session: Session, facility_id: int, history: list[FacilityVersion],
                    ids: dict[str, int]) -> None:
    for v in history:
        session.add(FacilityVersionRow(
            facility_id=facility_id, valid_from=v.valid_from, valid_to=v.valid_to, name=v.name,
            parent_id=ids[v.parent_code], category=v.category.value,
            specialty=v.specialty.value if v.specialty else None, level=v.level,
            grade=v.grade.value if v.grade else None, ownership=v.ownership.value,
            host=v.host.value if v.host else None,
            urban_rural=v.urban_rural.value if v.urban_rural else None, lat=v.lat, lon=v.lon,
            central=v.central, groups=";".join(v.groups)))


def _history_json(history: Sequence[FacilityVersion]) -> str:
    return json.dumps([{
        "name": v.name, "parent": v.parent_code, "category": v.category.value,
        "specialty": v.specialty.value if v.specialty else None, "level": v.level,
        "grade": v.grade.value if v.grade else None, "ownership": v.ownership.value,
        "host": v.host.value if v.host else None, "valid_from": v.valid_from.isoformat(),
        "valid_to": v.valid_to.isoformat() if v.valid_to else None, "lat": v.lat, "lon": v.lon,
        "central": v.central, "groups": list(v.groups),
    } for v in history], ensure_ascii=False)
