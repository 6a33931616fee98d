"""可及性 and 配置 in the web app: the pages, the JSON API against the access and allocation packages' own
results (and the ``healthplan allocate`` JSON), the workbook, withheld years, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from healthplan.access import GreatCircle, load_region, load_standards, propose, select_sites, township_demand
from healthplan.access.coverage import assess
from healthplan.access.region import site_places
from healthplan.cli import main
from healthplan.domain.registry import Category, FacilityVersion, Level, OrgUnit, UrbanRural
from healthplan.engine.analytics import Analytics
from healthplan.store import registry, values
from healthplan.store.database import Database
from healthplan.store.setup import initialise
from tests.pg_server import PgServer
from tests.web.conftest import Login, fresh_database, login_factory, make_app
from tests.web.web_region import CITY, COUNTIES, PLAN, YEARS, ZEZHOU, build_web_region

#: township → (county, name, lat, lon, population); 南村镇 is the web region's own township.
TOWNSHIPS = {
    "140502101": ("140502", "西街街道", 35.495, 112.843, 300_000),
    "140521101": ("140521", "龙港镇", 35.73, 112.36, 80_000),
    "140522101": ("140522", "凤城镇", 35.48, 112.41, 150_000),
    "140524101": ("140524", "崇文镇", 35.77, 113.28, 90_000),
    ZEZHOU + "100": (ZEZHOU, "南村镇", 35.43, 112.86, 100_000),
    ZEZHOU + "101": (ZEZHOU, "晋庙铺镇", 35.25, 113.10, 60_000),
    "140581101": ("140581", "泫氏街道", 35.80, 112.94, 200_000),
}
EMERGENCY = "E140502"


def add_access_data(db: Database) -> None:
    """Township seats with population, an emergency center in 城区 (with ambulances: the standard's filter
    reads ``equip.ambulance``) and a township health center in every township (the candidates for new emergency
    stations); 城区 is urban, the other counties rural."""
    start = dt.date(2000, 1, 1)
    with db.transaction() as s:
        registry.upsert_org_units(s, [
            *(OrgUnit(code, name, Level.COUNTY, CITY,
                      urban_rural=UrbanRural.URBAN if code == "140502" else UrbanRural.RURAL)
              for code, name in COUNTIES.items()),
            *(OrgUnit(code, name, Level.TOWNSHIP, county, lat, lon) for code, (county, name, lat, lon, _) in
              TOWNSHIPS.items()),
        ], "test")
        registry.upsert_facilities(s, [
            FacilityVersion(EMERGENCY, "晋城市急救中心", "140502101", Category.EMERGENCY_CENTER, start, lat=35.50,
                            lon=112.85),
            *(FacilityVersion(f"T{code}", f"{name}卫生院", code, Category.TOWNSHIP_HEALTH_CENTER, start)
              for code, (_, name, *_rest) in TOWNSHIPS.items()),
        ], "test")
        writes = [values.ValueWrite("pop.resident", code, str(year), people)
                  for code, (*_, people) in TOWNSHIPS.items() for year in YEARS]
        writes += [values.ValueWrite("equip.ambulance", EMERGENCY, str(year), 3) for year in YEARS]
        values.write_values(s, writes, "test")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def access_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
              pg_server: PgServer | None) -> Iterator[Database]:
    db = fresh_database(request.param, tmp_path_factory.mktemp("access"), pg_server)
    initialise(db)
    build_web_region(db)
    add_access_data(db)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def access_app(access_db: Database) -> FastAPI:
    return make_app(access_db)


@pytest.fixture(scope="module")
def as_user(access_app: FastAPI) -> Login:
    return login_factory(access_app)


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def package_result(db: Database, new: int | None, year: int = 2024) -> dict[str, Any]:
    """The same computation straight from the access package (what the CLI does)."""
    analytics = Analytics(db)
    analytics.load()
    try:
        standards = load_standards()
        standard = standards.get("emergency")
        region = load_region(db, analytics, CITY, year)
        demand = township_demand(region)
        travel = GreatCircle(standards.travel)
        existing = select_sites(analytics, region, standard.facilities)
        if new is None:
            cost = travel.matrix(demand.places, site_places(existing), standard.measure)
            return assess(standard, demand, existing, cost, region, travel).to_json()
        pool = select_sites(analytics, region, standard.candidates or "")
        return propose(standard, demand, existing, pool, travel, region, new_sites=new).to_json()
    finally:
        analytics.close()


def test_pages_render_for_every_role(as_user: Login) -> None:
    for user in ("admin", "viewer"):
        page = as_user(user).get("/access")
        assert page.status_code == 200, page.text
        html = page.text
        assert "院前急救服务半径" in html and "建议新增" in html and 'id="access-map"' in html
        assert "直线距离 × 绕行系数 1.3" in html and "great_circle" in html  # which distance was used
        assert "晋庙铺镇" in html  # beyond 20 km of the emergency center
        assert '<a href="/access" class="active">可及性</a>' in html
        allocation = as_user(user).get("/allocation")
        assert allocation.status_code == 200, allocation.text
        assert "资源配置规划表" in allocation.text and "晋城测试规划" in allocation.text
        assert "按规划常住人口分配新增量" in allocation.text
    for standard in ("medical_circle_15min", "village_clinic", "township_health_center"):
        assert as_user("viewer").get(f"/access?standard={standard}&new=1").status_code == 200
    assert as_user("admin").get("/access?level=grid&new=2").status_code == 200
    client = as_user("admin")
    client.cookies.set("hp_lang", "en")
    try:
        assert "Townships beyond the service radius" in client.get("/access").text
    finally:
        client.cookies.delete("hp_lang")


def test_sites_geojson_layers_and_figures_equal_the_package(as_user: Login, access_db: Database) -> None:
    data = ok(as_user("admin").get(f"/api/access/sites?area={CITY}&standard=emergency&new=3"))
    layers = {f["properties"]["layer"] for f in data["geojson"]["features"]}
    assert layers == {"area", "demand", "facility", "proposed"}
    counties = {f["properties"]["code"] for f in data["geojson"]["features"] if f["properties"]["layer"] == "area"}
    assert counties == set(COUNTIES)
    assert data["year"] == 2024 and data["distance_method"] == "great_circle"
    assert len(data["new"]) == 3 and data["optimal"]
    expected = package_result(access_db, 3)
    figures = {k: v for k, v in data.items() if k not in ("geojson", "region", "year", "seconds")}
    assert figures == {k: v for k, v in expected.items() if k != "seconds"}
    coverage = ok(as_user("admin").get(f"/api/access/coverage?area={CITY}&standard=emergency"))
    assert {f["properties"]["layer"] for f in coverage["geojson"]["features"]} == {"area", "demand", "facility"}
    assert {k: v for k, v in coverage.items() if k not in ("geojson", "region", "year", "notes")} == \
        package_result(access_db, None)
    assert ZEZHOU + "101" in coverage["beyond"] and "140502101" not in coverage["beyond"]
    assert ZEZHOU + "100" in coverage["beyond_strict"] and ZEZHOU + "100" not in coverage["beyond"]


def test_more_new_sites_never_lower_coverage(as_user: Login) -> None:
    client = as_user("analyst")
    covered = []
    for n in range(5):
        data = ok(client.get(f"/api/access/sites?area={CITY}&standard=emergency&new={n}"))
        assert len(data["new"]) == min(n, len(TOWNSHIPS) - 1)
        assert data["covered_after"] >= data["covered_before"]
        covered.append(data["covered_after"])
    assert covered == sorted(covered) and covered[0] == ok(client.get(
        f"/api/access/coverage?area={CITY}&standard=emergency"))["areas"][-1]["covered"]
    assert covered[-1] > covered[0]


def test_bad_requests_answer_in_both_languages(as_user: Login) -> None:
    client = as_user("admin")
    unknown = client.get("/api/access/coverage?standard=nonsense")
    assert unknown.status_code == 404 and "未知的可及性标准" in unknown.json()["error"]["zh"]
    count = client.get("/api/access/sites?standard=township_health_center")
    assert count.status_code == 400 and count.json()["error"]["en"]
    assert client.get("/api/access/sites?new=11").status_code == 422
    assert client.get("/api/allocation?plan=nope").status_code == 404


def test_withheld_years_are_not_mapped(as_user: Login) -> None:
    """泽州县's editor may not see 高平市's submitted 2024 report: the city map falls back to 2023, its own county
    shows 2024; numbers resting on reports never approved are refused."""
    editor = as_user("zz")
    assert ok(editor.get(f"/api/access/coverage?area={CITY}"))["year"] == 2023
    assert editor.get(f"/api/access/coverage?area={CITY}&year=2024").status_code == 403
    assert ok(editor.get(f"/api/access/coverage?area={ZEZHOU}&year=2024"))["year"] == 2024
    # the allocation rules read service statistics whose reports the test region never approves
    assert editor.get(f"/api/allocation?plan={PLAN}").status_code == 403
    assert ok(as_user("admin").get(f"/api/allocation?plan={PLAN}"))["current_year"] == 2024


def test_allocation_api_equals_the_cli_json(as_user: Login, access_db: Database,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    for method in ("population", "need", "equalize"):
        api = ok(as_user("viewer").get(f"/api/allocation?plan={PLAN}&year=2025&method={method}"))
        code = main(["--database", access_db.url, "allocate", PLAN, "--year", "2025", "--method", method,
                     "--format", "json"])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert api == json.loads(out)
    assert api["method"] == "equalize" and api["lines"]


def test_allocation_workbook(as_user: Login, tmp_path: Path) -> None:
    response = as_user("analyst").get(f"/api/allocation/table.xlsx?plan={PLAN}&year=2025")
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "配置规划表" and "配置规则" in book.sheetnames
    assert book["配置规划表"]["A1"].value == "晋城测试规划资源配置规划表（2025年）"
    assert as_user("viewer").get(f"/api/allocation/table.xlsx?plan={PLAN}").status_code == 403


def test_in_the_openapi_schema(as_user: Login) -> None:
    paths = ok(as_user("viewer").get("/api/openapi.json"))["paths"]
    for path in ("/api/access/coverage", "/api/access/sites", "/api/access/standards", "/api/allocation",
                 "/api/allocation/table.xlsx"):
        assert path in paths
