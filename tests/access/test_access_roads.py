"""Road networks from GeoJSON, OSM XML and GeoPackage give the same shortest paths."""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import numpy as np
import pytest

from healthplan.access.roads import gpkg_geometry, line_speed, read_network
from healthplan.access.standards import Travel
from healthplan.access.travel import Places, haversine
from healthplan.domain.problems import ValidationFailed
from healthplan.domain.registry import UrbanRural

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "access"
TRAVEL = Travel(1.3, {UrbanRural.URBAN: 20.0, UrbanRural.RURAL: 40.0}, 15.0)
LINES = [  # (coordinates, highway, maxspeed, speed_kmh) — the same network as roads.geojson / roads.osm
    ([(112.80, 35.50), (112.81, 35.50), (112.82, 35.50)], "primary", None, None),
    ([(112.82, 35.50), (112.84, 35.50)], "residential", None, None),
    ([(112.82, 35.50), (112.82, 35.52)], "tertiary", "40 km/h", None),
    ([(112.90, 35.60), (112.91, 35.60)], "track", None, 10),
]


def places(*points: tuple[float, float]) -> Places:
    return Places(np.array([p[0] for p in points]), np.array([p[1] for p in points]),
                  tuple(UrbanRural.RURAL for _ in points))


def wkb_linestring(points: list[tuple[float, float]], big_endian: bool = False, z: bool = False) -> bytes:
    order = ">" if big_endian else "<"
    code = 1002 if z else 2
    coords = [v for p in points for v in ((*p, 0.0) if z else p)]
    return struct.pack(order + "BII", 0 if big_endian else 1, code, len(points)) + struct.pack(
        order + f"{len(coords)}d", *coords)


def gpkg_blob(wkb: bytes, srs: int = 4326) -> bytes:
    return b"GP" + bytes([0, 0b00000001]) + struct.pack("<i", srs) + wkb  # no envelope, little-endian header


def write_gpkg(path: Path, srs: int = 4326) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, "
                   "geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER)")
        db.execute("INSERT INTO gpkg_geometry_columns VALUES ('roads', 'geom', 'LINESTRING', ?, 0, 0)", (srs,))
        db.execute("CREATE TABLE roads (fid INTEGER PRIMARY KEY, geom BLOB, highway TEXT, maxspeed TEXT, "
                   "speed_kmh REAL)")
        for k, (points, highway, maxspeed, speed) in enumerate(LINES):
            if k == 2:  # a MultiLineString Z, big-endian, to exercise the WKB reader
                inner = wkb_linestring(points, big_endian=True, z=True)
                wkb = struct.pack(">BII", 0, 1005, 1) + inner
            else:
                wkb = wkb_linestring(points)
            db.execute("INSERT INTO roads (geom, highway, maxspeed, speed_kmh) VALUES (?, ?, ?, ?)",
                       (gpkg_blob(wkb, srs), highway, maxspeed, speed))


@pytest.fixture(params=["geojson", "osm", "gpkg"])
def network_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "gpkg":
        path = tmp_path / "roads.gpkg"
        write_gpkg(path)
        return path
    return FIXTURES / f"roads.{request.param}"


def test_shortest_paths_along_the_network(network_file: Path) -> None:
    network = read_network(network_file, TRAVEL)
    assert network.lon.size == 7 and network.km.size == 5
    origin = places((112.80, 35.50))
    targets = places((112.84, 35.50), (112.82, 35.52), (112.91, 35.60))
    km = network.matrix(origin, targets, "km")
    east = float(haversine(112.80, 35.50, 112.82, 35.50))
    on = float(haversine(112.82, 35.50, 112.84, 35.50))
    north = float(haversine(112.82, 35.50, 112.82, 35.52))
    assert km[0, 0] == pytest.approx(east + on)
    assert km[0, 1] == pytest.approx(east + north)
    assert np.isinf(km[0, 2])  # the track is not connected
    minutes = network.matrix(origin, targets, "minutes")
    assert minutes[0, 0] == pytest.approx(east / 60 * 60 + on / 25 * 60)
    assert minutes[0, 1] == pytest.approx(east / 60 * 60 + north / 40 * 60)
    assert network.method == "road_network" and "路网" in network.describe()


def test_points_join_the_nearest_node_by_a_straight_leg() -> None:
    network = read_network(FIXTURES / "roads.geojson", TRAVEL)
    near = places((112.8005, 35.5005))
    nodes, legs = network.snap(near)
    assert nodes.tolist() == [0]
    assert legs[0] == pytest.approx(float(haversine(112.8005, 35.5005, 112.80, 35.50)))
    minutes = network.matrix(near, places((112.80, 35.50)), "minutes")
    assert minutes[0, 0] == pytest.approx(legs[0] / 15 * 60)


def test_line_speed() -> None:
    assert line_speed({"speed_kmh": 33}) == 33
    assert line_speed({"maxspeed": "50 mph", "highway": "primary"}) == 50
    assert line_speed({"highway": "secondary_link"}) == 50
    assert line_speed({}) == 30


def test_projected_geopackage_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "projected.gpkg"
    write_gpkg(path, srs=4547)
    with pytest.raises(ValidationFailed) as caught:
        read_network(path, TRAVEL)
    assert "4547" in caught.value.problems[0].en


def test_bad_inputs_are_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"geometry": {"type": "Point", '
                   '"coordinates": [1, 2]}}]}', encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_network(bad, TRAVEL)
    assert caught.value.problems[0].row == 1
    with pytest.raises(ValidationFailed):
        read_network(tmp_path / "roads.shp", TRAVEL)
    with pytest.raises(ValueError):
        gpkg_geometry(b"XX\x00\x01")
