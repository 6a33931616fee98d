"""Coordinates and shapes: GCJ-02 → WGS84, point-in-polygon, sampling points inside a county.

The boundaries in ``reference/data/boundaries`` are in GCJ-02 (the obfuscated datum Chinese web maps use);
healthplan stores WGS84. GCJ-02 is defined only by its forward transform (WGS84 → GCJ-02), so the inverse is
found by fixed-point iteration until the forward image of the estimate is within 1e-9 degrees (≈0.1 mm) of the
input, well inside the 1 m the demo needs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from healthplan.domain.geo import MultiPolygon, Point, Ring, bounds, contains, gcj02_to_wgs84, wgs84_to_gcj02

__all__ = ["MultiPolygon", "Point", "Ring", "bounds", "contains", "gcj02_to_wgs84", "wgs84_to_gcj02"]

COORD_DECIMALS = 6
_KM_PER_DEGREE_LAT = 111.2


def _round_point(point: Point) -> Point:
    return round(point[0], COORD_DECIMALS), round(point[1], COORD_DECIMALS)


def km_to_degrees(km: float, lat: float) -> tuple[float, float]:
    """(Δlon, Δlat) in degrees for a distance of ``km`` at latitude ``lat``."""
    d_lat = km / _KM_PER_DEGREE_LAT
    return d_lat / math.cos(math.radians(lat)), d_lat


def distance_km(a: Point, b: Point) -> float:
    """Equirectangular distance, accurate to well under 1 % at county scale."""
    mean_lat = math.radians((a[1] + b[1]) / 2)
    dx = (a[0] - b[0]) * math.cos(mean_lat) * _KM_PER_DEGREE_LAT
    dy = (a[1] - b[1]) * _KM_PER_DEGREE_LAT
    return math.hypot(dx, dy)


def point_near(
    shape: MultiPolygon, centre: Point, radius_km: float, rng: np.random.Generator, max_tries: int = 10_000
) -> Point:
    """A point uniformly distributed in the disc around ``centre`` that lies inside ``shape`` (rounded)."""
    d_lon, d_lat = km_to_degrees(radius_km, centre[1])
    for _ in range(max_tries):
        r = math.sqrt(float(rng.random()))
        theta = 2 * math.pi * float(rng.random())
        candidate = _round_point((centre[0] + r * d_lon * math.cos(theta), centre[1] + r * d_lat * math.sin(theta)))
        if contains(shape, candidate):
            return candidate
    raise ValueError(f"no point inside the shape within {radius_km} km of {centre}")


def point_inside(shape: MultiPolygon, rng: np.random.Generator, max_tries: int = 10_000) -> Point:
    """A point uniformly distributed inside ``shape`` (rejection sampling in its bounding box, rounded)."""
    west, south, east, north = bounds(shape)
    for _ in range(max_tries):
        candidate = _round_point(
            (west + (east - west) * float(rng.random()), south + (north - south) * float(rng.random()))
        )
        if contains(shape, candidate):
            return candidate
    raise ValueError("no point found inside the shape")


def spread_points(
    shape: MultiPolygon, fixed: Sequence[Point], count: int, rng: np.random.Generator, candidates: int = 24
) -> list[Point]:
    """``count`` points inside ``shape`` spread out by best-candidate sampling (each new point is the farthest
    of a few random candidates from the points placed so far), so township seats do not clump."""
    placed = list(fixed)
    out: list[Point] = []
    for _ in range(count):
        options = [point_inside(shape, rng) for _ in range(candidates)]
        best = max(options, key=lambda p: min((distance_km(p, q) for q in placed), default=0.0))
        placed.append(best)
        out.append(best)
    return out


def disc(centre: Point, radius_km: float, vertices: int = 32) -> MultiPolygon:
    """A regular polygon approximating a disc (used for the synthetic outline of a development zone)."""
    d_lon, d_lat = km_to_degrees(radius_km, centre[1])
    ring: Ring = [
        _round_point(
            (
                centre[0] + d_lon * math.cos(2 * math.pi * k / vertices),
                centre[1] + d_lat * math.sin(2 * math.pi * k / vertices),
            )
        )
        for k in range(vertices)
    ]
    ring.append(ring[0])
    return [[ring]]


@dataclass(frozen=True)
class CountyShape:
    """A county boundary in WGS84 and its seat (政府驻地) as published with the boundary."""

    code: str
    name: str
    shape: MultiPolygon
    seat: Point
    synthetic: bool = False


def _convert_ring(ring: Sequence[Sequence[float]]) -> Ring:
    return [_round_point(gcj02_to_wgs84(float(p[0]), float(p[1]))) for p in ring]


def read_gcj02_counties(path: Path) -> dict[str, CountyShape]:
    """Read a DataV-style GeoJSON of county polygons in GCJ-02 and convert every vertex to WGS84."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, CountyShape] = {}
    for feature in data["features"]:
        props = feature["properties"]
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        shape: MultiPolygon = [[_convert_ring(ring) for ring in polygon] for polygon in polygons]
        seat = _round_point(gcj02_to_wgs84(float(props["center"][0]), float(props["center"][1])))
        code = str(props["adcode"])
        out[code] = CountyShape(code=code, name=str(props["name"]), shape=shape, seat=seat)
    return out


def to_feature_collection(shapes: Sequence[CountyShape]) -> dict[str, Any]:
    """GeoJSON (RFC 7946, WGS84) with properties code/name (and ``synthetic`` where the outline is made up)."""
    features: list[dict[str, Any]] = []
    for county in shapes:
        properties: dict[str, Any] = {"code": county.code, "name": county.name}
        if county.synthetic:
            properties["synthetic"] = True
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[list(p) for p in ring] for ring in polygon] for polygon in county.shape],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
