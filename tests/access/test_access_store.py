"""``healthplan access …`` on a stored region (SQLite and PostgreSQL): coverage, new sites, E2SFCA, files."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest

from healthplan.access.travel import haversine
from healthplan.cli import main
from healthplan.domain.registry import Category, FacilityVersion, Host, Level, OrgUnit, UrbanRural
from healthplan.store import registry, values
from healthplan.store.database import Database

U, R = UrbanRural.URBAN, UrbanRural.RURAL
TOWNSHIPS = {  # code: (county, lon, lat, type, population)
    "140502001": ("140502", 112.85, 35.50, U, 100000),
    "140502002": ("140502", 112.85, 35.56, U, 50000),
    "140525101": ("140525", 112.90, 35.60, R, 30000),
    "140525102": ("140525", 113.20, 35.60, R, 20000),
}
BOXES = {"140502": (112.80, 35.45, 112.88, 35.58), "140525": (112.88, 35.45, 113.25, 35.65)}


def build(db: Database) -> None:
    start = dt.date(2000, 1, 1)
    with db.transaction() as s:
        registry.upsert_org_units(s, [
            OrgUnit("140000", "山西省", Level.PROVINCE, None),
            OrgUnit("140500", "晋城市", Level.CITY, "140000"),
            OrgUnit("140502", "城区", Level.COUNTY, "140500", urban_rural=U),
            OrgUnit("140525", "泽州县", Level.COUNTY, "140500", urban_rural=R),
            *(OrgUnit(code, f"乡镇{code[-3:]}", Level.TOWNSHIP, county, lat, lon, kind)
              for code, (county, lon, lat, kind, _) in TOWNSHIPS.items()),
        ], "test")
        registry.upsert_facilities(s, [
            FacilityVersion("E1", "急救中心", "140502001", Category.EMERGENCY_CENTER, start, host=Host.CITY,
                            lat=35.50, lon=112.85),
            FacilityVersion("H2", "县医院", "140525101", Category.GENERAL_HOSPITAL, start, level=2, host=Host.COUNTY,
                            lat=35.60, lon=112.90),
            FacilityVersion("T1", "东乡卫生院", "140525102", Category.TOWNSHIP_HEALTH_CENTER, start, lat=35.60,
                            lon=113.20),
            FacilityVersion("T2", "西镇卫生院", "140525101", Category.TOWNSHIP_HEALTH_CENTER, start),  # no location
        ], "test")
        w = values.ValueWrite
        values.write_values(s, [
            *(w("pop.resident", code, "2024", p) for code, (_, _, _, _, p) in TOWNSHIPS.items()),
            w("equip.ambulance", "E1", "2024", 5), w("equip.ambulance", "H2", "2024", 0),
            w("beds.actual", "H2", "2024", 100),
        ], "test")


def run(capsys: pytest.CaptureFixture[str], db: Database, *args: str) -> dict[str, object]:
    code = main(["--database", db.url, "access", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def straight(a: str, lon: float, lat: float) -> float:
    _, lon0, lat0, _, _ = TOWNSHIPS[a]
    return float(haversine(lon0, lat0, lon, lat)) * 1.3


def test_coverage_of_the_emergency_standard(database: Database, capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    build(database)
    data = run(capsys, database, "coverage", "140500", "--format", "json", "--out", str(tmp_path))
    assert data["distance_method"] == "great_circle" and "绕行系数 1.3" in str(data["travel"])
    assert [f["code"] for f in data["facilities"]] == ["E1"]  # H2 has no ambulance, so it is no station
    seats = {s["code"]: s for s in data["seats"]}
    assert seats["140525101"]["distance"] == pytest.approx(straight("140525101", 112.85, 35.50), abs=0.01)
    assert 10 < seats["140525101"]["distance"] <= 20  # within the rural 20 km but not 10 km
    areas = {a["code"]: a for a in data["areas"]}
    assert areas["140500"]["population"] == 200000
    assert areas["140500"]["covered"] == 130000 and areas["140500"]["covered_strict"] == 100000
    assert areas["140502"]["not_covered"] == 50000  # 8.7 km is beyond the urban 5 km
    assert data["beyond"] == ["140525102", "140502002"]
    for suffix in (".json", ".geojson", ".png"):
        assert (tmp_path / f"140500-emergency-township{suffix}").stat().st_size > 0
    assert (tmp_path / "140500-emergency-township.png").read_bytes()[:4] == b"\x89PNG"
    layers = {f["properties"]["layer"] for f in json.loads(
        (tmp_path / "140500-emergency-township.geojson").read_text(encoding="utf-8"))["features"]}
    assert layers == {"area", "demand", "facility"}  # the demo boundaries hold 城区 and 泽州县


def test_new_sites_keep_the_existing_ones(database: Database, capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    build(database)
    data = run(capsys, database, "sites", "140500", "--new", "1", "--format", "json", "--out", str(tmp_path))
    assert [s["code"] for s in data["existing"]] == ["E1"]
    assert [s["code"] for s in data["new"]] == ["T1"]
    assert (data["covered_before"], data["covered_after"]) == (130000, 150000)
    assert data["optimal"] and data["model"] == "MCLP"
    lscp = run(capsys, database, "sites", "140500", "--model", "lscp", "--format", "json")
    # no candidate is within 5 km of the urban township 140502002, so everyone else is covered
    assert lscp["model"] == "LSCP" and lscp["covered_after"] == 150000 and [s["code"] for s in lscp["new"]] == ["T1"]
    centres = run(capsys, database, "coverage", "140500", "--facilities", "category = 'township_health_center'",
                  "--format", "json")
    located = {f["code"]: (f["lon"], f["lat"]) for f in centres["facilities"]}
    assert located == {"T1": (113.20, 35.60), "T2": (112.90, 35.60)}  # T2 stands at its township's seat
    layers = {f["properties"]["layer"] for f in json.loads(
        (tmp_path / "140500-emergency-mclp.geojson").read_text(encoding="utf-8"))["features"]}
    assert "proposed" in layers


def test_grid_scores_and_standards(database: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    build(database)
    boundaries = tmp_path / "b.geojson"
    boundaries.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code}, "geometry": {"type": "Polygon", "coordinates": [[
            [x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}} for code, (x0, y0, x1, y1) in BOXES.items()]}),
        encoding="utf-8")
    grid = run(capsys, database, "coverage", "140500", "--level", "grid", "--boundaries", str(boundaries),
               "--circuity", "1.5", "--format", "json")
    assert grid["level"] == "grid" and grid["points"] > 50 and "1.5" in str(grid["travel"])
    areas = {a["code"]: a for a in grid["areas"]}
    assert areas["140500"]["population"] == 200000  # township totals are kept on the grid
    scores = run(capsys, database, "scores", "140500", "--format", "json")
    assert [f["code"] for f in scores["facilities"]] == ["H2"] and scores["per"] == 1000
    points = {p["township"]: p["score"] for p in scores["points"]}
    assert points["140525101"] > 0
    # every bed is shared out among the people who reach it: the scores add back up to the 100 beds
    assert math.isclose(sum(p["score"] * p["population"] for p in scores["points"]) / 1000, 100, rel_tol=1e-3)
    listed = run(capsys, database, "standards", "--format", "json")
    assert {s["code"] for s in listed["standards"]} >= {"emergency", "medical_circle_15min"}
    counted = run(capsys, database, "coverage", "140500", "--standard", "township_health_center", "--format", "json")
    assert {a["code"]: a["covered"] for a in counted["areas"]}["140525"] == 50000


def test_access_errors(database: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    build(database)
    only_one = tmp_path / "one.geojson"
    only_one.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "code": "140502"}, "geometry": {"type": "Polygon", "coordinates": [[[112.8, 35.4], [112.9, 35.4],
                                                                           [112.9, 35.6], [112.8, 35.4]]]}}]}),
                        encoding="utf-8")
    assert main(["--database", database.url, "access", "coverage", "999999"]) == 2
    assert main(["--database", database.url, "access", "coverage", "140500", "--standard", "nope"]) == 2
    assert main(["--database", database.url, "access", "coverage", "140500", "--facilities", "category = "]) == 2
    assert main(["--database", database.url, "access", "coverage", "140500", "--level", "grid", "--boundaries",
                 str(only_one)]) == 2
    err = capsys.readouterr().err
    assert "999999" in err and "nope" in err and "bad facility filter" in err and "no boundary" in err
