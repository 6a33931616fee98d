"""Where people are: demand points at township seats, or a population surface on a square grid.

The grid (default 1 km cells) is built from what a commission has — county boundaries and township populations
(themselves the census county totals split by the urban/rural census counts): every cell whose centre lies in a
county polygon belongs to the nearest township seat of that county, and a township's population is spread over
its cells with weights ``exp(−d / λ)`` of the distance ``d`` to its seat, ``λ`` = 1.5 km for urban townships
(街道 and county towns: people live close to the seat) and 4 km for rural ones (villages spread over the
township). Township totals are kept exactly; a township with no cell of its own keeps its population at its seat.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from healthplan.access.region import Region, Seat
from healthplan.access.travel import EARTH_RADIUS_KM, Places, haversine_matrix
from healthplan.domain.geo import MultiPolygon
from healthplan.domain.problems import HealthplanError, Problem, ValidationFailed
from healthplan.domain.registry import UrbanRural

DECAY_KM = {UrbanRural.URBAN: 1.5, UrbanRural.RURAL: 4.0}


@dataclass(frozen=True, eq=False)
class Demand:
    """Demand points: ``seat[i]`` is the township (or county) seat point ``i`` belongs to."""

    level: Literal["township", "grid"]
    ids: tuple[str, ...]
    seat: tuple[Seat, ...]
    places: Places
    population: NDArray[np.float64]
    cell_km: float | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def describe(self) -> str:
        if self.level == "township":
            return "乡镇(街道)驻地，人口为常住人口 / township seats with their resident population"
        return (f"{self.cell_km:g} 公里网格：乡镇人口按到驻地距离衰减分布（城市 λ={DECAY_KM[UrbanRural.URBAN]:g} km，"
                f"农村 λ={DECAY_KM[UrbanRural.RURAL]:g} km） / {self.cell_km:g} km grid from township populations")


def township_demand(region: Region) -> Demand:
    seats = region.seats
    return Demand("township", tuple(s.code for s in seats), seats, _places(seats),
                  np.array([s.population for s in seats], dtype=np.float64))


def _places(seats: Sequence[Seat]) -> Places:
    return Places(np.array([s.lon for s in seats]), np.array([s.lat for s in seats]),
                  tuple(s.area_type for s in seats))


def grid_demand(region: Region, boundaries: Mapping[str, MultiPolygon], cell_km: float = 1.0) -> Demand:
    """The population surface described in the module docstring, over the counties in ``boundaries``."""
    if cell_km <= 0:
        raise HealthplanError("网格边长须为正数", "the cell size must be positive")
    missing = sorted({s.county for s in region.seats} - boundaries.keys())
    if missing:
        raise HealthplanError(f"缺少县(市、区)边界：{'、'.join(missing)}", f"no boundary for {', '.join(missing)}")
    lat0 = float(np.radians(np.mean([s.lat for s in region.seats])))
    ids: list[str] = []
    seats: list[Seat] = []
    lons: list[NDArray[np.float64]] = []
    lats: list[NDArray[np.float64]] = []
    people: list[NDArray[np.float64]] = []
    for county in sorted({s.county for s in region.seats}):
        own = [s for s in region.seats if s.county == county]
        lon, lat, keys = _cells(boundaries[county], cell_km, lat0)
        if lon.size:
            distance = haversine_matrix(lon, lat, [s.lon for s in own], [s.lat for s in own])
            nearest = np.argmin(distance, axis=1)
        for k, seat in enumerate(own):
            mine = np.flatnonzero(nearest == k) if lon.size else np.zeros(0, dtype=np.intp)
            if mine.size == 0:
                ids.append(seat.code)
                seats.append(seat)
                lons.append(np.array([seat.lon]))
                lats.append(np.array([seat.lat]))
                people.append(np.array([seat.population]))
                continue
            weight = np.exp(-distance[mine, k] / DECAY_KM.get(seat.area_type, DECAY_KM[UrbanRural.RURAL]))
            ids += [f"{county}:{keys[i]}" for i in mine]
            seats += [seat] * mine.size
            lons.append(lon[mine])
            lats.append(lat[mine])
            people.append(seat.population * weight / weight.sum())
    places = Places(np.concatenate(lons), np.concatenate(lats), tuple(s.area_type for s in seats))
    return Demand("grid", tuple(ids), tuple(seats), places, np.concatenate(people), cell_km)


def _cells(shape: MultiPolygon, cell_km: float, lat0: float) -> tuple[NDArray[np.float64], NDArray[np.float64],
                                                                       list[str]]:
    """Centres of the grid cells inside ``shape`` (a grid anchored at 0°E/0°N, so neighbouring counties share it)."""
    from matplotlib.path import Path as MplPath

    scale_x = np.radians(1.0) * EARTH_RADIUS_KM * np.cos(lat0)  # km per degree of longitude at lat0
    scale_y = np.radians(1.0) * EARTH_RADIUS_KM
    outer = np.concatenate([np.array(polygon[0]) for polygon in shape])
    x0, x1 = np.floor(outer[:, 0].min() * scale_x / cell_km), np.ceil(outer[:, 0].max() * scale_x / cell_km)
    y0, y1 = np.floor(outer[:, 1].min() * scale_y / cell_km), np.ceil(outer[:, 1].max() * scale_y / cell_km)
    ix, iy = np.meshgrid(np.arange(x0, x1), np.arange(y0, y1))
    lon = ((ix.ravel() + 0.5) * cell_km) / scale_x
    lat = ((iy.ravel() + 0.5) * cell_km) / scale_y
    points = np.column_stack([lon, lat])
    inside = np.zeros(lon.size, dtype=np.bool_)
    for polygon in shape:
        here = MplPath(np.array(polygon[0])).contains_points(points)
        for hole in polygon[1:]:
            here &= ~MplPath(np.array(hole)).contains_points(points)
        inside |= here
    keys = [f"{int(a)}_{int(b)}" for a, b in zip(ix.ravel()[inside], iy.ravel()[inside], strict=True)]
    return lon[inside], lat[inside], keys


def cell_polygon(lon: float, lat: float, cell_km: float, lat0: float) -> list[list[float]]:
    """The square of a grid cell around its centre, as a closed GeoJSON ring."""
    half_x = cell_km / 2 / (np.radians(1.0) * EARTH_RADIUS_KM * np.cos(lat0))
    half_y = cell_km / 2 / (np.radians(1.0) * EARTH_RADIUS_KM)
    corners = [(lon - half_x, lat - half_y), (lon + half_x, lat - half_y), (lon + half_x, lat + half_y),
               (lon - half_x, lat + half_y), (lon - half_x, lat - half_y)]
    return [[round(float(x), 6), round(float(y), 6)] for x, y in corners]  # 6 decimals ≈ 0.1 m


def read_boundaries(path: Path) -> dict[str, MultiPolygon]:
    """County polygons from a GeoJSON FeatureCollection (WGS84; property ``code`` = the area code)."""
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValidationFailed([Problem("不是有效的边界 GeoJSON", f"not a boundary GeoJSON: {exc}", str(path))]) from None
    shapes: dict[str, MultiPolygon] = {}
    problems = []
    for number, feature in enumerate(features, start=1):
        code = str((feature.get("properties") or {}).get("code", "")).strip()
        geometry = feature.get("geometry") or {}
        kind, coordinates = geometry.get("type"), geometry.get("coordinates")
        polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else None
        if not code or not isinstance(polygons, list):
            problems.append(Problem(f"第 {number} 个要素缺少 code 或不是多边形", f"feature {number} lacks a code or "
                                    "is not a (Multi)Polygon", str(path), number))
            continue
        shapes[code] = [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in polygons]
    if problems:
        raise ValidationFailed(problems)
    return shapes


def shipped_boundaries(codes: Sequence[str]) -> dict[str, MultiPolygon]:
    """The demo regions' county boundaries holding all of ``codes`` (empty when none does)."""
    folder = resources.files("healthplan.demo").joinpath("data")
    for region in sorted(folder.iterdir(), key=lambda p: p.name):
        candidate = region.joinpath("boundaries.geojson")
        if candidate.is_file():
            shapes = read_boundaries(Path(str(candidate)))
            if set(codes) <= shapes.keys():
                return shapes
    return {}
