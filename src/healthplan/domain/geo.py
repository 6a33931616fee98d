"""Coordinates and shapes: China's GCJ-02 to WGS84, point-in-polygon, distances — pure functions.

GCJ-02 (used by Chinese web maps and the county boundaries) is defined by its forward transform
(WGS84 → GCJ-02); the inverse is found by fixed-point iteration until the forward image of the estimate is
within 1e-9 degrees (≈0.1 mm) of the input. healthplan stores WGS84.
"""

from __future__ import annotations

import math

Point = tuple[float, float]  # (lon, lat)
Ring = list[Point]
Polygon = list[Ring]  # first ring outer, the rest holes
MultiPolygon = list[Polygon]

_KRASOVSKY_A = 6378245.0
_KRASOVSKY_EE = 0.00669342162296594323


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> Point:
    """The published forward GCJ-02 transform (valid inside China, which all our points are)."""
    d_lat = _offset_lat(lon - 105.0, lat - 35.0)
    d_lon = _offset_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _KRASOVSKY_EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_KRASOVSKY_A * (1 - _KRASOVSKY_EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_KRASOVSKY_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float, tolerance: float = 1e-9, max_iterations: int = 50) -> Point:
    """Invert :func:`wgs84_to_gcj02` by fixed-point iteration (converges in a handful of steps)."""
    w_lon, w_lat = lon, lat
    for _ in range(max_iterations):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        d_lon, d_lat = g_lon - lon, g_lat - lat
        if abs(d_lon) < tolerance and abs(d_lat) < tolerance:
            return w_lon, w_lat
        w_lon, w_lat = w_lon - d_lon, w_lat - d_lat
    raise ArithmeticError(f"GCJ-02 inverse did not converge at ({lon}, {lat})")


def _ring_contains(ring: Ring, lon: float, lat: float) -> bool:
    """Even-odd ray casting towards +lon."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(shape: MultiPolygon, point: Point) -> bool:
    """Whether ``point`` lies inside ``shape`` (inside an outer ring and outside its holes)."""
    lon, lat = point
    for polygon in shape:
        if _ring_contains(polygon[0], lon, lat) and not any(_ring_contains(h, lon, lat) for h in polygon[1:]):
            return True
    return False


def bounds(shape: MultiPolygon) -> tuple[float, float, float, float]:
    lons = [p[0] for polygon in shape for p in polygon[0]]
    lats = [p[1] for polygon in shape for p in polygon[0]]
    return min(lons), min(lats), max(lons), max(lats)


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance on the mean Earth sphere."""
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))
