"""The org-unit tree: province → city → counties (census, real boundaries) → townships (synthetic).

Townships are made up: their number per county follows the spec's layout, their seats are spread over the
county polygon (街道 near the county seat), and the county's census urban and rural populations are split
over them separately, so the split adds up exactly:

* urban residents go mostly to 街道 and to the county-seat town (weights ≈ 3 with gamma noise), a little to
  the other 镇 (≈ 0.35) and 乡 (≈ 0.12), the towns' own built-up areas;
* rural residents go to 镇 (≈ 1) and 乡 (≈ 0.8), hardly any to 街道 (0.03).

A township is ``urban`` when its urban residents outnumber its rural ones. Other years scale every
township with its county (largest-remainder rounding keeps the sums exact).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import geo
from .calibrate import apportion
from .census import CENSUS_YEAR, CountyCensus, read_census, resident_population, residual_unit
from .spec import CountySpec, RegionSpec
from .streams import stream

PROVINCE_CODE = "140000"
PROVINCE_NAME = "山西省"

_KIND_LABEL = {"street": "街道", "town": "镇", "xiang": "乡"}
_KIND_CODE_BASE = {"street": 0, "town": 100, "xiang": 200}


@dataclass(frozen=True)
class Township:
    code: str
    name: str
    county: str
    kind: str  # street | town | xiang
    seat: geo.Point
    urban: int  # census-year residents, split from the county's census urban count
    rural: int

    @property
    def population(self) -> int:
        return self.urban + self.rural

    @property
    def urban_rural(self) -> str:
        return "urban" if self.urban >= self.rural else "rural"


@dataclass(frozen=True)
class County:
    spec: CountySpec
    census: CountyCensus
    shape: geo.CountyShape
    townships: tuple[Township, ...]

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def name(self) -> str:
        return self.census.name

    @property
    def seat_township(self) -> Township:
        return self.townships[0]

    @property
    def urban_rural(self) -> str:
        return "urban" if self.census.urban >= self.census.rural else "rural"

    def population(self, year: int) -> int:
        return resident_population(self.census, self.spec.growth, year)

    def township_populations(self, year: int) -> dict[str, int]:
        weights = [float(t.population) for t in self.townships]
        counts = apportion(self.population(year), weights)
        return {t.code: n for t, n in zip(self.townships, counts, strict=True)}


@dataclass(frozen=True)
class Geography:
    """The region's areas, with populations by year (city = sum of its county-level units)."""

    region: RegionSpec
    counties: tuple[County, ...]

    @property
    def city_seat(self) -> geo.Point:
        return self.county(self.region.seat_county).shape.seat

    def county(self, code: str) -> County:
        return next(c for c in self.counties if c.code == code)

    def city_population(self, year: int) -> int:
        return sum(c.population(year) for c in self.counties)


def _township_kinds(spec: CountySpec) -> list[str]:
    layout = spec.layout
    return ["street"] * layout.streets + ["town"] * layout.towns + ["xiang"] * layout.xiang


def _split_population(kinds: list[str], census: CountyCensus, region: str) -> tuple[list[int], list[int]]:
    rng = stream(region, "township-population", census.code)
    urban_weights: list[float] = []
    rural_weights: list[float] = []
    for index, kind in enumerate(kinds):
        noise = float(rng.gamma(4.0, 0.25))
        is_seat = index == 0
        if kind == "street" or is_seat:
            urban_weights.append(3.0 * noise)
            rural_weights.append(0.03 * noise if kind == "street" else 0.8 * noise)
        elif kind == "town":
            urban_weights.append(0.35 * float(rng.gamma(2.0, 0.5)))
            rural_weights.append(1.0 * noise)
        else:
            urban_weights.append(0.12 * float(rng.gamma(2.0, 0.5)))
            rural_weights.append(0.8 * noise)
    return apportion(census.urban, urban_weights), apportion(census.rural, rural_weights)


def _seats(kinds: list[str], shape: geo.CountyShape, region: str) -> list[geo.Point]:
    rng = stream(region, "township-seats", shape.code)
    streets = kinds.count("street")
    seats = [shape.seat]
    street_radius = 2.0 + 0.35 * streets
    seats += [geo.point_near(shape.shape, shape.seat, street_radius, rng) for _ in range(max(streets - 1, 0))]
    seats += geo.spread_points(shape.shape, seats, len(kinds) - len(seats), rng)
    return seats


def build_county(spec: CountySpec, census: CountyCensus, shape: geo.CountyShape, region: str) -> County:
    kinds = _township_kinds(spec)
    urban, rural = _split_population(kinds, census, region)
    seats = _seats(kinds, shape, region)
    serial = {"street": 0, "town": 0, "xiang": 0}
    townships: list[Township] = []
    for kind, seat, u, r in zip(kinds, seats, urban, rural, strict=True):
        serial[kind] += 1
        townships.append(
            Township(
                code=f"{spec.code}{_KIND_CODE_BASE[kind] + serial[kind]:03d}",
                name=f"{census.name}·{_KIND_LABEL[kind]}{serial[kind]:02d}",
                county=spec.code,
                kind=kind,
                seat=seat,
                urban=u,
                rural=r,
            )
        )
    return County(spec=spec, census=census, shape=shape, townships=tuple(townships))


def orgunit_rows(geography: Geography) -> list[dict[str, str]]:
    """Rows of ``orgunits.csv`` (code,name,level,parent_code,lat,lon,urban_rural)."""
    region = geography.region

    def row(code: str, name: str, level: str, parent: str, point: geo.Point | None, urban_rural: str) -> dict[str, str]:
        lat = f"{point[1]:.{geo.COORD_DECIMALS}f}" if point else ""
        lon = f"{point[0]:.{geo.COORD_DECIMALS}f}" if point else ""
        return {
            "code": code,
            "name": name,
            "level": level,
            "parent_code": parent,
            "lat": lat,
            "lon": lon,
            "urban_rural": urban_rural,
        }

    rows = [
        row(PROVINCE_CODE, PROVINCE_NAME, "province", "", None, ""),
        row(region.code, region.name, "city", PROVINCE_CODE, geography.city_seat, ""),
    ]
    for county in geography.counties:
        rows.append(row(county.code, county.name, "county", region.code, county.shape.seat, county.urban_rural))
    for county in geography.counties:
        for township in county.townships:
            rows.append(
                row(township.code, township.name, "township", county.code, township.seat, township.urban_rural)
            )
    return rows


def census_year_check(geography: Geography) -> None:
    """The census-year populations must be the census counts, summed exactly."""
    for county in geography.counties:
        if county.population(CENSUS_YEAR) != county.census.population:
            raise AssertionError(f"{county.code}: census-year population drifted")
        if sum(t.population for t in county.townships) != county.census.population:
            raise AssertionError(f"{county.code}: townships do not add up to the census count")


def build_geography(region: RegionSpec, census_file: Path, boundary_file: Path) -> Geography:
    """Counties from the census and the boundary file; a residual unit gets a synthetic disc-shaped outline
    inside the county it was carved from."""
    census = read_census(census_file, region.census_codes)
    shapes = geo.read_gcj02_counties(boundary_file)
    residual = region.residual
    if residual is not None:
        census[residual.code] = residual_unit(residual.code, residual.name, residual.population,
                                              residual.age65plus_pct)
        host = shapes[residual.inside]
        d_lon, d_lat = geo.km_to_degrees(1.0, host.seat[1])
        centre = (round(host.seat[0] + residual.offset_km[0] * d_lon, geo.COORD_DECIMALS),
                  round(host.seat[1] + residual.offset_km[1] * d_lat, geo.COORD_DECIMALS))
        outline = geo.disc(centre, residual.radius_km)
        if not all(geo.contains(host.shape, p) for p in outline[0][0]):
            raise ValueError(f"the outline of {residual.name} leaves {host.name}")
        shapes[residual.code] = geo.CountyShape(residual.code, residual.name, outline, centre, synthetic=True)
    counties = tuple(build_county(spec, census[spec.code], shapes[spec.code], region.key) for spec in region.counties)
    geography = Geography(region=region, counties=counties)
    census_year_check(geography)
    return geography
