"""Who a scheme assesses in a year: facilities or areas, by code or by rule, named as they were at year end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from healthplan.assess.scheme import Subjects
from healthplan.domain.problems import NotFound
from healthplan.domain.registry import FacilityVersion, OrgUnit
from healthplan.store.database import Database
from healthplan.store.registry import all_facility_versions, list_areas


@dataclass(frozen=True)
class Subject:
    code: str
    name: str


def resolve(database: Database, subjects: Subjects, year: int) -> list[Subject]:
    """The subjects, in the order given (by code) or by code (by rule)."""
    end = dt.date(year, 12, 31)
    with database.sessions() as session:
        areas = {a.code: a for a in list_areas(session)}
        versions = all_facility_versions(session) if subjects.kind == "facilities" else []
    if subjects.under is not None and subjects.under not in areas:
        raise NotFound(f"找不到区划“{subjects.under}”", f"no area {subjects.under!r}")
    if subjects.kind == "areas":
        return _areas(subjects, areas)
    return _facilities(subjects, versions, areas, end)


def _areas(subjects: Subjects, areas: dict[str, OrgUnit]) -> list[Subject]:
    if subjects.codes:
        missing = [c for c in subjects.codes if c not in areas]
        if missing:
            raise NotFound(f"找不到区划：{'、'.join(missing)}", f"unknown area(s): {', '.join(missing)}")
        return [Subject(c, areas[c].name) for c in subjects.codes]
    chosen = [a for a in areas.values() if (subjects.level is None or a.level is subjects.level)
              and a.code != subjects.under and _inside(a.code, subjects.under, areas)]
    return [Subject(a.code, a.name) for a in sorted(chosen, key=lambda a: a.code)]


def _facilities(subjects: Subjects, versions: list[FacilityVersion], areas: dict[str, OrgUnit],
                end: dt.date) -> list[Subject]:
    latest: dict[str, FacilityVersion] = {}
    for version in sorted(versions, key=lambda v: v.valid_from):
        if version.valid_from <= end:
            latest[version.code] = version
    if subjects.codes:
        missing = [c for c in subjects.codes if c not in latest]
        if missing:
            raise NotFound(f"找不到机构：{'、'.join(missing)}", f"unknown facility(ies): {', '.join(missing)}")
        return [Subject(c, latest[c].name) for c in subjects.codes]
    chosen = [v for v in latest.values() if v.active_on(end) and v.level >= subjects.min_level
              and (not subjects.categories or v.category in subjects.categories)
              and _inside(v.parent_code, subjects.under, areas)]
    return [Subject(v.code, v.name) for v in sorted(chosen, key=lambda v: v.code)]


def _inside(code: str, ancestor: str | None, areas: dict[str, OrgUnit]) -> bool:
    current: str | None = code
    while current is not None:
        if current == ancestor or ancestor is None:
            return True
        unit = areas.get(current)
        current = unit.parent_code if unit is not None else None
    return False
