"""Road networks read from GeoJSON, OpenStreetMap XML or GeoPackage line layers, and travel costs along them.

Why these three without GIS libraries: a county's roads usually arrive as a shapefile converted to GeoPackage or
GeoJSON, or as an OSM extract (``.osm`` XML from Overpass/osmium); all three can be read with the standard
library (GeoPackage is SQLite holding WKB), so no GDAL is needed. The network is treated as undirected (one-way
streets are ignored, which suits inter-township travel); points join it at their nearest node by a straight leg.
Coordinates must be WGS84 longitude/latitude (GeoPackage SRS 4326 or 4490).
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from healthplan.access.network import edge_graph, shortest_paths
from healthplan.access.standards import Measure, Travel
from healthplan.access.travel import EARTH_RADIUS_KM, Places, haversine
from healthplan.domain.problems import Problem, ValidationFailed

# km/h by OSM highway class when a line has no speed of its own
HIGHWAY_SPEED_KMH = {"motorway": 90, "trunk": 70, "primary": 60, "secondary": 50, "tertiary": 40,
                     "unclassified": 30, "residential": 25, "living_street": 15, "service": 15, "track": 15}
DEFAULT_SPEED_KMH = 30.0
DRIVABLE = frozenset(HIGHWAY_SPEED_KMH) | {f"{k}_link" for k in ("motorway", "trunk", "primary", "secondary",
                                                                   "tertiary")}
LONLAT_SRS = (4326, 4490)


@dataclass(frozen=True)
class Polyline:
    points: list[tuple[float, float]]  # (lon, lat)
    speed_kmh: float


@dataclass(eq=False)
class RoadNetwork:
    """An undirected road graph: node coordinates, and per-edge length (km) and time (minutes)."""

    source: str
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    edges: NDArray[np.int64]
    km: NDArray[np.float64]
    minutes: NDArray[np.float64]
    travel: Travel
    method: str = "road_network"
    _graphs: dict[str, Any] = field(default_factory=dict, repr=False)

    def describe(self) -> str:
        return (f"路网最短路径：{Path(self.source).name}（{self.lon.size} 个节点、{self.km.size} 条路段）；"
                f"进出路网一段按直线、{self.travel.connector_speed_kmh:g} km/h / shortest paths on the road network "
                f"{Path(self.source).name}")

    def graph(self, measure: Measure) -> Any:
        key = "minutes" if measure == "minutes" else "km"
        if key not in self._graphs:
            self._graphs[key] = edge_graph(self.lon.size, self.edges, self.minutes if key == "minutes" else self.km)
        return self._graphs[key]

    def snap(self, places: Places) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Nearest node of each place and the straight distance (km) to it."""
        lat0 = float(np.radians(np.mean(self.lat)))
        def xy(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.column_stack([np.radians(lon) * np.cos(lat0), np.radians(lat)]) * EARTH_RADIUS_KM
        _, index = cKDTree(xy(self.lon, self.lat)).query(xy(places.lon, places.lat))
        nodes = np.asarray(index, dtype=np.intp)
        return nodes, haversine(places.lon, places.lat, self.lon[nodes], self.lat[nodes])

    def matrix(self, origins: Places, destinations: Places, measure: Measure) -> NDArray[np.float64]:
        """Leg onto the network + shortest path + leg off it; ``inf`` where the nodes are not connected."""
        o_nodes, o_legs = self.snap(origins)
        d_nodes, d_legs = self.snap(destinations)
        if measure == "minutes":
            o_legs = o_legs / self.travel.connector_speed_kmh * 60.0
            d_legs = d_legs / self.travel.connector_speed_kmh * 60.0
        unique, inverse = np.unique(d_nodes, return_inverse=True)
        along = shortest_paths(self.graph(measure), unique, o_nodes)  # (destinations, origins)
        return np.asarray(o_legs[:, None] + along[inverse.reshape(-1)].T + d_legs[None, :], dtype=np.float64)


def read_network(path: Path, travel: Travel) -> RoadNetwork:
    """Read a line network by its suffix: ``.geojson``/``.json``, ``.osm`` or ``.gpkg``."""
    suffix = path.suffix.lower()
    readers = {".geojson": _geojson_lines, ".json": _geojson_lines, ".osm": _osm_lines, ".gpkg": _gpkg_lines}
    if suffix not in readers:
        raise ValidationFailed([Problem(f"不支持的路网格式“{suffix}”（可用 .geojson .osm .gpkg）",
                                        f"unsupported network format {suffix!r} (use .geojson, .osm or .gpkg)",
                                        str(path))])
    if not path.is_file():
        raise ValidationFailed([Problem(f"路网文件不存在：{path}", f"network file not found: {path}", str(path))])
    return _build(str(path), list(readers[suffix](path)), travel)


def _build(source: str, lines: list[Polyline], travel: Travel) -> RoadNetwork:
    index: dict[tuple[float, float], int] = {}
    lons: list[float] = []
    lats: list[float] = []
    pairs: list[tuple[int, int]] = []
    speed: list[float] = []
    for line in lines:
        ids = []
        for x, y in line.points:
            key = (round(x, 7), round(y, 7))
            if key not in index:
                index[key] = len(lons)
                lons.append(x)
                lats.append(y)
            ids.append(index[key])
        pairs += list(itertools.pairwise(ids))
        speed += [line.speed_kmh] * (len(ids) - 1)
    if not pairs:
        raise ValidationFailed([Problem("路网中没有可用的线段", "the network holds no usable line segments", source)])
    lon, lat = np.array(lons), np.array(lats)
    edges = np.array(pairs, dtype=np.int64)
    km = haversine(lon[edges[:, 0]], lat[edges[:, 0]], lon[edges[:, 1]], lat[edges[:, 1]])
    minutes = km / np.array(speed) * 60.0
    return RoadNetwork(source, lon, lat, edges, km, minutes, travel)


def line_speed(properties: Mapping[str, Any]) -> float:
    """``speed_kmh``, else the leading number of ``maxspeed``, else the ``highway`` class default."""
    for key in ("speed_kmh", "maxspeed"):
        found = re.match(r"\s*(\d+(?:\.\d+)?)", str(properties.get(key) or ""))
        if found and float(found.group(1)) > 0:
            return float(found.group(1))
    return float(HIGHWAY_SPEED_KMH.get(str(properties.get("highway", "")).removesuffix("_link"), DEFAULT_SPEED_KMH))


def _geojson_lines(path: Path) -> Iterator[Polyline]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        features = document["features"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValidationFailed([Problem("不是有效的 GeoJSON FeatureCollection", f"not a GeoJSON FeatureCollection: "
                                        f"{exc}", str(path))]) from None
    problems = []
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") or {}
        kind = geometry.get("type")
        parts = ([geometry.get("coordinates")] if kind == "LineString" else geometry.get("coordinates")
                 if kind == "MultiLineString" else None)
        if not isinstance(parts, list):
            problems.append(Problem(f"第 {number} 个要素不是 LineString/MultiLineString",
                                    f"feature {number} is not a LineString/MultiLineString", str(path), number,
                                    "geometry"))
            continue
        speed = line_speed(feature.get("properties") or {})
        for part in parts:
            yield Polyline([(float(p[0]), float(p[1])) for p in part], speed)
    if problems:
        raise ValidationFailed(problems)


def _osm_lines(path: Path) -> Iterator[Polyline]:
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        raise ValidationFailed([Problem("OSM XML 格式错误", f"invalid OSM XML: {exc}", str(path))]) from None
    nodes = {n.get("id"): (float(n.get("lon", "nan")), float(n.get("lat", "nan"))) for n in root.iter("node")}
    for way in root.iter("way"):
        tags = {str(t.get("k")): t.get("v") for t in way.iter("tag")}
        if tags.get("highway") not in DRIVABLE:
            continue
        points = [nodes[ref] for nd in way.iter("nd") if (ref := nd.get("ref")) in nodes]
        if len(points) >= 2:
            yield Polyline(points, line_speed(tags))


def _gpkg_lines(path: Path) -> Iterator[Polyline]:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        layers = connection.execute(
            "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns").fetchall()
    except sqlite3.Error as exc:
        raise ValidationFailed([Problem("不是有效的 GeoPackage", f"not a GeoPackage: {exc}", str(path))]) from None
    try:
        for table, column, srs in layers:
            if int(srs) not in LONLAT_SRS:
                raise ValidationFailed([Problem(f"图层 {table} 的坐标系为 {srs}，须为经纬度（4326/4490）",
                                                f"layer {table} uses SRS {srs}; longitude/latitude (4326/4490) needed",
                                                str(path))])
            cursor = connection.execute(f'SELECT * FROM "{table}"')  # names come from gpkg_geometry_columns
            names = [d[0] for d in cursor.description]
            for row in cursor:
                record = dict(zip(names, row, strict=True))
                blob = record.pop(column)
                if blob:
                    speed = line_speed(record)
                    for part in gpkg_geometry(bytes(blob)):
                        yield Polyline(part, speed)
    finally:
        connection.close()


def gpkg_geometry(blob: bytes) -> list[list[tuple[float, float]]]:
    """The line parts of a GeoPackage geometry blob (header + WKB); other geometry types give nothing."""
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 0b111]
    if flags & 0b10000:  # empty geometry
        return []
    return _wkb(memoryview(blob)[8 + envelope:], 0)[0]


def _wkb(wkb: memoryview, offset: int) -> tuple[list[list[tuple[float, float]]], int]:
    order = "<" if wkb[offset] == 1 else ">"
    (code,) = struct.unpack_from(order + "I", wkb, offset + 1)
    offset += 5
    iso = code & 0x0FFFFFFF  # EWKB flags Z/M in the high bits, ISO WKB adds 1000/2000/3000
    has_z = bool(code & 0x80000000) or 1000 <= iso < 2000 or iso >= 3000
    has_m = bool(code & 0x40000000) or iso >= 2000
    base = iso % 1000
    width = 2 + has_z + has_m
    if base == 2:  # LineString
        (n,) = struct.unpack_from(order + "I", wkb, offset)
        values = struct.unpack_from(order + f"{n * width}d", wkb, offset + 4)
        points = [(values[i * width], values[i * width + 1]) for i in range(n)]
        return [points], offset + 4 + 8 * n * width
    if base == 5:  # MultiLineString
        (n,) = struct.unpack_from(order + "I", wkb, offset)
        offset += 4
        parts: list[list[tuple[float, float]]] = []
        for _ in range(n):
            found, offset = _wkb(wkb, offset)
            parts += found
        return parts, offset
    return [], len(wkb)
