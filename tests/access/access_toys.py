"""Small hand-made regions for the access tests (no database): a city with an urban and a rural county."""

from __future__ import annotations

from collections.abc import Sequence

from healthplan.access.population import township_demand
from healthplan.access.region import Region, Seat, Site
from healthplan.access.standards import Travel
from healthplan.access.travel import GreatCircle
from healthplan.domain.registry import Category, Level, OrgUnit, UrbanRural

URBAN, RURAL = UrbanRural.URBAN, UrbanRural.RURAL
AREAS = {
    "C": OrgUnit("C", "市", Level.CITY, None),
    "A": OrgUnit("A", "城区", Level.COUNTY, "C", urban_rural=URBAN),
    "B": OrgUnit("B", "山县", Level.COUNTY, "C", urban_rural=RURAL),
}
STRAIGHT = GreatCircle(Travel(1.0, {URBAN: 20.0, RURAL: 40.0}, 15.0))


def seat(code: str, part: str, lon: float, lat: float, population: float) -> Seat:
    kind = URBAN if part == "A" else RURAL
    return Seat(code, f"乡镇{code}", part, part, lon, lat, kind, population)


def region(seats: Sequence[Seat]) -> Region:
    areas = dict(AREAS)
    for s in seats:
        areas[s.code] = OrgUnit(s.code, s.name, Level.TOWNSHIP, s.part, s.lat, s.lon, s.area_type)
    return Region(AREAS["C"], (AREAS["A"], AREAS["B"]), tuple(seats), (), areas, 2024)


def site(code: str, lon: float, lat: float, township: str | None = None, part: str = "B",
         category: Category = Category.EMERGENCY_CENTER) -> Site:
    return Site(code, f"机构{code}", category, part, township, lon, lat, URBAN if part == "A" else RURAL)


def three_townships() -> Region:
    """A1 (urban, 1000 people) at 112.0°E; B1 (rural, 500) 0.1° east (≈9.1 km); B2 (rural, 200) 0.3° east."""
    return region([seat("A1", "A", 112.0, 35.0, 1000), seat("B1", "B", 112.1, 35.0, 500),
                   seat("B2", "B", 112.3, 35.0, 200)])


__all__ = ["STRAIGHT", "region", "seat", "site", "three_townships", "township_demand"]
