"""The facility registry as the web shows and changes it: filtered lists, a facility's versions, and changes
that always add a version (``store.registry.add_version``) instead of overwriting one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Annotated

from pydantic import BaseModel, Field

from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.domain.registry import (
    CATEGORY_GROUPS,
    HOSPITAL_LEVEL_LABELS,
    Category,
    FacilityVersion,
    Grade,
    Host,
    Level,
    Ownership,
    Specialty,
    UrbanRural,
)
from healthplan.store import audit, registry
from healthplan.store.users import User
from healthplan.web.permissions import ENTRY, require_role, require_scope
from healthplan.web.state import AppState

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class FacilityFields(BaseModel):
    """A facility's attributes (DESIGN §3.1); codes in English, labels shown in Chinese."""

    name: str = Field(min_length=1, max_length=200)
    parent_code: str = Field(min_length=1, max_length=64)
    category: Category
    specialty: Specialty | None = None
    level: int = Field(default=0, ge=0, le=3)
    grade: Grade | None = None
    ownership: Ownership = Ownership.PUBLIC
    host: Host | None = None
    urban_rural: UrbanRural | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    central: bool = False


class NewFacility(FacilityFields):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    valid_from: dt.date


class FacilityChange(BaseModel):
    """A change from ``effective`` on: only the attributes given change."""

    effective: dt.date
    reason: str = Field(default="", max_length=500)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    parent_code: str | None = Field(default=None, min_length=1, max_length=64)
    category: Category | None = None
    specialty: Specialty | None = None
    level: int | None = Field(default=None, ge=0, le=3)
    grade: Grade | None = None
    ownership: Ownership | None = None
    host: Host | None = None
    urban_rural: UrbanRural | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    central: bool | None = None


class FacilityClosure(BaseModel):
    effective: dt.date
    reason: str = Field(min_length=1, max_length=500)


def version_json(state: AppState, v: FacilityVersion) -> dict[str, object]:
    return {"code": v.code, "name": v.name, "parent_code": v.parent_code, "parent_name": state.tree.label(v.parent_code),
            "county": state.tree.label(state.tree.approval_unit(v.parent_code)) if v.parent_code in state.tree else "",
            "category": v.category.value, "category_label": v.category.label,
            "specialty": v.specialty.value if v.specialty else None,
            "specialty_label": v.specialty.label if v.specialty else "", "level": v.level,
            "level_label": HOSPITAL_LEVEL_LABELS.get(v.level, str(v.level)),
            "grade": v.grade.value if v.grade else None, "grade_label": v.grade.label if v.grade else "",
            "ownership": v.ownership.value, "ownership_label": v.ownership.label,
            "host": v.host.value if v.host else None, "host_label": v.host.label if v.host else "",
            "urban_rural": v.urban_rural.value if v.urban_rural else None, "lat": v.lat, "lon": v.lon,
            "central": v.central, "groups": list(v.groups), "valid_from": v.valid_from.isoformat(),
            "valid_to": v.valid_to.isoformat() if v.valid_to else None}


@dataclass(frozen=True)
class Listing:
    total: int
    items: list[dict[str, object]]


def _histories(state: AppState) -> dict[str, list[FacilityVersion]]:
    def read() -> dict[str, list[FacilityVersion]]:
        with state.database.sessions() as session:
            versions = registry.all_facility_versions(session)
        result: dict[str, list[FacilityVersion]] = {}
        for v in versions:
            result.setdefault(v.code, []).append(v)
        return result

    return state.memo(("facility-histories",), read)


def facilities(state: AppState, *, area: str | None = None, category: str | None = None,
               q: str | None = None, as_of: dt.date | None = None, include_closed: bool = False,
               limit: int = 100, offset: int = 0) -> Listing:
    """Facilities as of a date (today by default) under an area, by category group or category, by name/code."""
    day = as_of or dt.date.today()
    tree = state.tree
    categories = ({c.value for c in CATEGORY_GROUPS[category]} if category in CATEGORY_GROUPS
                  else {category} if category else None)
    needle = (q or "").strip().lower()
    found = []
    for code, history in sorted(_histories(state).items()):
        current = next((v for v in history if v.active_on(day)), None)
        if current is None:
            started = [v for v in history if v.valid_from <= day]
            if not include_closed or not started:
                continue
            current = started[-1]
        if area and not (current.parent_code in tree and tree.within(current.parent_code, area)):
            continue
        if categories is not None and current.category.value not in categories:
            continue
        if needle and needle not in current.name.lower() and needle not in code.lower():
            continue
        item = version_json(state, current)
        item["active"] = current.active_on(day)
        found.append(item)
    return Listing(len(found), found[offset:offset + limit])


def detail(state: AppState, code: str) -> dict[str, object]:
    history = _histories(state).get(code)
    if history is None:
        raise NotFound(f"找不到机构“{code}”", f"no facility with code {code!r}")
    with state.database.sessions() as session:
        changes = audit.history(session, entity="facility_change", key=code, limit=100)
    today = dt.date.today()
    return {"code": code, "name": history[-1].name, "active": any(v.active_on(today) for v in history),
            "versions": [version_json(state, v) for v in reversed(history)],
            "changes": [{"at": e.at.isoformat(), "user": e.user, "action": e.action, "effective": e.new_value,
                         "reason": e.reason} for e in changes]}


def _check_parent(state: AppState, user: User, parent: str) -> None:
    tree = state.tree
    if parent not in tree or tree.level[parent] is Level.FACILITY:
        raise HealthplanError(f"所在区划“{parent}”不存在或不是区域", f"area {parent!r} does not exist or is a facility")
    require_scope(tree, user, parent)


def create(state: AppState, user: User, new: NewFacility) -> dict[str, object]:
    require_role(user, ENTRY)
    _check_parent(state, user, new.parent_code)
    if new.code in state.tree:
        raise HealthplanError(f"代码“{new.code}”已存在", f"code {new.code!r} already exists")
    fields = new.model_dump(exclude={"code", "valid_from"})
    version = FacilityVersion(code=new.code, valid_from=new.valid_from, **fields)
    with state.database.transaction() as session:
        registry.upsert_facilities(session, [version], user.username)
    state.sync()
    return detail(state, new.code)


def _current(state: AppState, code: str, day: dt.date) -> FacilityVersion:
    history = _histories(state).get(code)
    if history is None:
        raise NotFound(f"找不到机构“{code}”", f"no facility with code {code!r}")
    current = next((v for v in history if v.active_on(day)), None)
    if current is None:
        raise HealthplanError(f"机构“{code}”在 {day} 不在册", f"facility {code!r} is not active on {day}")
    return current


def change(state: AppState, user: User, code: str, change: FacilityChange) -> dict[str, object]:
    """A new version from ``change.effective`` with the given attributes (the old one ends that day)."""
    require_role(user, ENTRY)
    current = _current(state, code, change.effective)
    require_scope(state.tree, user, current.parent_code)
    attributes = change.model_dump(exclude={"effective", "reason"}, exclude_unset=True)
    if "parent_code" in attributes and attributes["parent_code"] is not None:
        _check_parent(state, user, str(attributes["parent_code"]))
    attributes = {k: v for k, v in attributes.items()
                  if v is not None or k in ("specialty", "grade", "host", "urban_rural", "lat", "lon")}
    if replace(current, **attributes) == current:
        raise HealthplanError("没有任何变化", "nothing changed")
    with state.database.transaction() as session:
        registry.add_version(session, code, change.effective, user.username, change.reason, **attributes)
    state.sync()
    return detail(state, code)


def close(state: AppState, user: User, code: str, closure: FacilityClosure) -> dict[str, object]:
    require_role(user, ENTRY)
    current = _current(state, code, closure.effective)
    require_scope(state.tree, user, current.parent_code)
    with state.database.transaction() as session:
        registry.add_version(session, code, closure.effective, user.username, closure.reason, closed=True)
    state.sync()
    return detail(state, code)
