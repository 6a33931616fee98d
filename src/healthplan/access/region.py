"""A region as access analysis sees it: its areas, township seats with population, and located facilities.

Why through the engine: which facilities count for a standard (急救中心 or a 二级 hospital with ambulances …)
is a filter of the expression language, and a township's population is the rolled-up ``pop.resident`` — the
same definitions every other report uses, evaluated as of the end of the chosen year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from healthplan.access.travel import Places
from healthplan.domain.indicators import Indicator
from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.domain.registry import Category, FacilityVersion, Level, OrgUnit, UrbanRural
from healthplan.engine.analytics import Analytics
from healthplan.engine.expression import ExpressionError
from healthplan.store.database import Database
from healthplan.store.registry import all_facility_versions, list_areas

POPULATION = Indicator("access.population", "常住人口", "sum(pop.resident)")


@dataclass(frozen=True)
class Seat:
    """A place people live around: a township seat (or a county seat where there are no townships)."""

    code: str
    name: str
    part: str  # the sub-area of the region it belongs to (a county of a city, a township of a county)
    county: str
    lon: float
    lat: float
    area_type: UrbanRural
    population: float


@dataclass(frozen=True)
class Site:
    """A located facility; ``supply`` is its capacity for accessibility scores (beds, doctors …)."""

    code: str
    name: str
    category: Category
    part: str
    township: str | None
    lon: float
    lat: float
    area_type: UrbanRural
    supply: float | None = None

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "category": self.category.value,
                "category_label": self.category.label, "part": self.part, "township": self.township,
                "lon": self.lon, "lat": self.lat, "supply": self.supply}


@dataclass(frozen=True)
class Region:
    scope: OrgUnit
    parts: tuple[OrgUnit, ...]  # the areas results are given for
    seats: tuple[Seat, ...]
    facilities: tuple[FacilityVersion, ...]  # active at the year's end under the scope
    areas: Mapping[str, OrgUnit]
    year: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    def ancestor(self, code: str, level: Level) -> str | None:
        node = self.areas.get(code)
        while node is not None and node.level is not level:
            node = self.areas.get(node.parent_code or "")
        return node.code if node is not None else None

    def part_of(self, code: str) -> str | None:
        node = self.areas.get(code)
        while node is not None and node.parent_code != self.scope.code:
            node = self.areas.get(node.parent_code or "")
        return node.code if node is not None else (code if code == self.scope.code else None)

    def area_type(self, code: str) -> UrbanRural:
        node = self.areas.get(code)
        while node is not None:
            if node.urban_rural is not None:
                return node.urban_rural
            node = self.areas.get(node.parent_code or "")
        return UrbanRural.RURAL


def load_region(database: Database, analytics: Analytics, scope_code: str, year: int) -> Region:
    """The region ``scope_code`` as of 31 December of ``year``."""
    with database.sessions() as session:
        areas = {a.code: a for a in list_areas(session)}
        versions = all_facility_versions(session)
    if scope_code not in areas:
        raise NotFound(f"找不到区域 {scope_code}", f"unknown area {scope_code}")
    scope = areas[scope_code]
    end = dt.date(year, 12, 31)
    parts = tuple(sorted((a for a in areas.values() if a.parent_code == scope_code), key=lambda a: a.code))
    draft = Region(scope, parts, (), (), areas, year)
    inside = tuple(v for v in versions if v.active_on(end) and draft.part_of(v.parent_code) is not None)
    seats, notes = _seats(draft, analytics, year)
    return Region(scope, parts, seats, inside, areas, year, notes)


def _seats(region: Region, analytics: Analytics, year: int) -> tuple[tuple[Seat, ...], tuple[str, ...]]:
    """Township seats with their population; a county without townships is one seat; missing township
    population is the county's shared equally (and said so)."""
    townships = [a for a in region.areas.values() if a.level is Level.TOWNSHIP and region.part_of(a.code)]
    counties = [a for a in region.areas.values() if a.level is Level.COUNTY and region.part_of(a.code)]
    if region.scope.level is Level.COUNTY:
        counties = [region.scope]
    codes = [a.code for a in [*townships, *counties]]
    values = {v.org_unit: v.value for v in analytics.evaluate([POPULATION], [str(year)], codes)} if codes else {}
    notes: list[str] = []
    seats: list[Seat] = []
    for county in sorted(counties, key=lambda a: a.code):
        own = sorted((t for t in townships if region.ancestor(t.code, Level.COUNTY) == county.code),
                     key=lambda a: a.code)
        places = own or [county]
        located = [p for p in places if p.lat is not None and p.lon is not None]
        if len(located) < len(places):
            notes.append(f"{county.name}有 {len(places) - len(located)} 个乡镇(街道)缺少驻地坐标，未计入")
        known = [values.get(p.code) for p in located]
        if located and any(v is None for v in known):
            total = values.get(county.code)
            if total is None:
                notes.append(f"{county.name}缺少 {year} 年常住人口，未计入")
                continue
            notes.append(f"{county.name}的乡镇(街道)缺少常住人口，按县人口均分")
            known = [total / len(located)] * len(located)
        for place, population in zip(located, known, strict=True):
            seats.append(Seat(place.code, place.name, region.part_of(place.code) or county.code, county.code,
                              float(place.lon or 0.0), float(place.lat or 0.0), region.area_type(place.code),
                              float(population or 0.0)))
    if not seats:
        raise HealthplanError(f"{region.scope.name}没有带坐标和常住人口的乡镇或县", f"{region.scope.name} has no "
                              "located township or county with a resident population")
    return tuple(seats), tuple(notes)


def select_sites(analytics: Analytics, region: Region, condition: str, supply: str | None = None) -> list[Site]:
    """The facilities of ``region`` that satisfy the filter ``condition``, located (a facility without
    coordinates stands at its township seat); ``supply`` is a data element summed per facility."""
    if not region.facilities:
        return []
    try:
        chosen = Indicator("access.selected", "符合条件", f"count(facilities where {condition})")
        analytics.compile(chosen)
    except ExpressionError as exc:
        raise HealthplanError(f"机构筛选条件有误：{exc.zh}", f"bad facility filter: {exc.en}") from None
    codes = [v.code for v in region.facilities]
    period = str(region.year)
    hits = {v.org_unit for v in analytics.evaluate([chosen], [period], codes) if v.value}
    capacity: dict[str, float | None] = {}
    if supply is not None and hits:
        amount = Indicator("access.supply", supply, f"sum({supply})")
        capacity = {v.org_unit: v.value for v in analytics.evaluate([amount], [period], sorted(hits))}
    sites = []
    for version in region.facilities:
        if version.code not in hits:
            continue
        township = region.ancestor(version.parent_code, Level.TOWNSHIP)
        anchor = region.areas.get(township or version.parent_code)
        lon = version.lon if version.lon is not None else anchor.lon if anchor else None
        lat = version.lat if version.lat is not None else anchor.lat if anchor else None
        if lon is None or lat is None:
            continue
        sites.append(Site(version.code, version.name, version.category, region.part_of(version.parent_code) or "",
                          township, float(lon), float(lat),
                          version.urban_rural or region.area_type(version.parent_code), capacity.get(version.code)))
    return sorted(sites, key=lambda s: s.code)


def site_places(sites: Sequence[Site]) -> Places:
    return Places(np.array([s.lon for s in sites], dtype=np.float64),
                  np.array([s.lat for s in sites], dtype=np.float64), tuple(s.area_type for s in sites))
