"""Every reading endpoint of the JSON API, on SQLite and PostgreSQL, for the users who may and may not see."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from tests.web.conftest import Login, TestClient
from tests.web.web_region import CITY, COUNTIES, GAOPING, PLAN, ZEZHOU, hospital

BEDS = "beds_per_1000"


def beds_per_1000(county: str, year: int) -> float:
    i = list(COUNTIES).index(county)
    beds = 1500 + 100 * i + 50 * (year - 2019) + (30 if county == ZEZHOU else 0)
    return beds / (300_000 + 20_000 * i) * 1000


def city_beds_per_1000(year: int) -> float:
    beds = sum(1500 + 100 * i + 50 * (year - 2019) for i in range(6)) + 30
    return beds / sum(300_000 + 20_000 * i for i in range(6)) * 1000


def test_anonymous_callers_get_401_and_pages_send_them_to_login(web_app: FastAPI) -> None:
    anonymous = TestClient(web_app)
    for url in ("/api/me", "/api/plans", f"/api/indicators/{BEDS}/values", "/api/facilities", "/api/users"):
        r = anonymous.get(url)
        assert r.status_code == 401 and r.json()["error"]["en"] == "please log in", url
    page = anonymous.get("/overview?plan=x", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/overview%3Fplan%3Dx"
    assert anonymous.get("/api/openapi.json").json()["info"]["title"] == "healthplan API"
    docs = anonymous.get("/api/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "http" not in docs.split("<body>")[1]


def test_me_and_areas(as_user: Login) -> None:
    me = as_user("zz").get("/api/me").json()
    assert (me["user"]["role"], me["user"]["scope"], me["scope_name"]) == ("editor", ZEZHOU, "泽州县")
    assert len(me["csrf_token"]) == 64
    client = as_user("viewer")
    counties = client.get("/api/org-units", params={"parent": CITY}).json()
    assert [c["code"] for c in counties] == list(COUNTIES)
    assert client.get(f"/api/org-units/{CITY}").json()["children"][0]["name"] == "城区"
    assert client.get("/api/org-units/H140525").status_code == 404  # a facility is not an area
    assert client.get("/api/org-units", params={"level": "county"}).json() == counties
    shapes = client.get("/api/boundaries", params={"parent": CITY}).json()
    assert sorted(f["properties"]["code"] for f in shapes["features"]) == sorted(COUNTIES)


def test_indicator_catalog_and_definition(as_user: Login) -> None:
    client = as_user("viewer")
    codes = {i["code"] for i in client.get("/api/indicators").json()}
    assert {BEDS, "gps_per_10000", "beds.actual"} <= codes | {"beds.actual"}
    definition = client.get(f"/api/indicators/{BEDS}").json()
    assert definition["data_elements"] == ["beds.actual", "pop.resident"]
    assert client.get("/api/indicators/no_such_indicator").status_code == 404


def test_indicator_values_for_a_planner_see_every_county(as_user: Login) -> None:
    body = as_user("planner").get(f"/api/indicators/{BEDS}/values", params={"area": CITY, "year": 2024}).json()
    assert body["area"]["value"] == pytest.approx(city_beds_per_1000(2024))
    by_code = {c["code"]: c for c in body["children"]}
    assert list(by_code) == list(COUNTIES)
    for county in COUNTIES:
        assert by_code[county]["value"] == pytest.approx(beds_per_1000(county, 2024))
        assert by_code[county]["withheld"] is False
    assert by_code[GAOPING]["numerator"] == 1500 + 500 + 250 and by_code[GAOPING]["denominator"] == 400_000


def test_an_editor_sees_its_own_unapproved_county_but_not_another(as_user: Login) -> None:
    client = as_user("zz")
    body = client.get(f"/api/indicators/{BEDS}/values", params={"area": CITY, "year": 2024}).json()
    by_code = {c["code"]: c for c in body["children"]}
    assert by_code[ZEZHOU]["value"] == pytest.approx(beds_per_1000(ZEZHOU, 2024))
    assert by_code[GAOPING] == {"code": GAOPING, "name": "高平市", "value": None, "numerator": None,
                                "denominator": None, "withheld": True, "text": "未公开"}
    assert body["area"]["withheld"] is True  # the city's total holds 高平市's unapproved beds
    denied = client.get(f"/api/indicators/{BEDS}/values", params={"area": GAOPING, "year": 2024})
    assert denied.status_code == 403 and "1750" not in denied.text
    approved = client.get(f"/api/indicators/{BEDS}/values", params={"area": GAOPING, "year": 2023}).json()
    assert approved["area"]["value"] == pytest.approx(beds_per_1000(GAOPING, 2023))


def test_trend_with_plan_target_and_trajectory(as_user: Login) -> None:
    body = as_user("viewer").get(f"/api/indicators/{BEDS}/trend", params={"org_unit": CITY}).json()
    assert [p["year"] for p in body["series"]] == list(range(2019, 2025))
    assert body["series"][1]["value"] == pytest.approx(city_beds_per_1000(2020))
    (target,) = body["targets"]
    assert (target["plan"], target["op"], target["goal"], target["nature"]) == (PLAN, "ge", 6.0, "binding")
    assert target["trajectory"] == [[2020, round(city_beds_per_1000(2020), 2)], [2025, 6.0]]
    zz = as_user("zz").get(f"/api/indicators/{BEDS}/trend", params={"org_unit": GAOPING}).json()
    assert [p["withheld"] for p in zz["series"]] == [False] * 5 + [True] and zz["series"][-1]["value"] is None
    assert as_user("viewer").get(f"/api/indicators/{BEDS}/trend", params={"start": 2024, "end": 2000}).status_code == 400


def test_table_downloads(as_user: Login) -> None:
    params = {"area": CITY, "year": 2024}
    assert as_user("viewer").get(f"/api/indicators/{BEDS}/table.csv", params=params).status_code == 403
    text = as_user("analyst").get(f"/api/indicators/{BEDS}/table.csv", params=params).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["代码", "区划", "值", "分子", "分母"] and rows[2][0] == CITY and len(rows) == 9
    assert float(rows[-1][2]) == pytest.approx(beds_per_1000(GAOPING, 2024))
    zz = as_user("zz").get(f"/api/indicators/{BEDS}/table.xlsx", params=params)
    assert zz.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(zz.content)).active
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[:3] == [GAOPING, "高平市", "未公开"] and last[3:] == [None, None]


def test_plans_overview_and_comparison(as_user: Login) -> None:
    client = as_user("planner")
    (plan,) = client.get("/api/plans").json()
    assert (plan["code"], plan["targets"], plan["binding"]) == (PLAN, 3, 1)
    detail = client.get(f"/api/plans/{PLAN}").json()
    assert [t["indicator"] for t in detail["targets"]] == [BEDS, "gps_per_10000", "physicians_per_1000"]
    view = client.get(f"/api/plans/{PLAN}/overview").json()
    assert view["year"] == 2024
    beds = next(t for t in view["targets"] if t["indicator"] == BEDS)
    base = round(city_beds_per_1000(2020), 2)
    assert beds["value"] == pytest.approx(round(city_beds_per_1000(2024), 2)) and beds["value"] < 6
    assert beds["trajectory"] == pytest.approx(base + (6 - base) * 4 / 5) and beds["value"] < beds["trajectory"]
    assert (beds["status"], beds["status_label"]) == ("behind", "滞后")
    assert [g["status"] for g in view["groups"]] == ["met", "on_track", "behind", "regressing", "no_data",
                                                      "withheld"]
    assert sum(g["count"] for g in view["groups"]) == 3 and view["groups"][-1]["count"] == 0
    compared = client.get(f"/api/plans/{PLAN}/compare", params={"first": 2020, "second": 2024}).json()
    first = compared["rows"][0]
    assert first["change"] == pytest.approx(round(city_beds_per_1000(2024), 2) - round(city_beds_per_1000(2020), 2))
    assert client.get("/api/plans/nope/overview").status_code == 404


def test_overview_for_an_editor_defaults_to_the_newest_year_it_may_see(as_user: Login) -> None:
    client = as_user("zz")
    view = client.get(f"/api/plans/{PLAN}/overview").json()
    assert view["year"] == 2023 and not any(t["withheld"] for t in view["targets"])
    beds = next(t for t in view["targets"] if t["indicator"] == BEDS)
    assert beds["series"][-1] == {"year": 2023, "value": round(city_beds_per_1000(2023), 2), "withheld": False}
    assert client.get(f"/api/plans/{PLAN}/overview", params={"year": 2024}).status_code == 403
    assert client.get(f"/api/plans/{PLAN}/evaluation.xlsx", params={"year": 2024}).status_code == 403
    assert as_user("viewer").get(f"/api/plans/{PLAN}/evaluation.xlsx", params={"year": 2024}).status_code == 403
    book = as_user("analyst").get(f"/api/plans/{PLAN}/evaluation.xlsx", params={"year": 2024})
    assert book.status_code == 200 and book.content[:2] == b"PK"
    assert "beds_per_1000" in as_user("analyst").get(f"/api/plans/{PLAN}/evaluation.json",
                                                     params={"year": 2024}).text


def test_registry_lists_and_history(as_user: Login) -> None:
    client = as_user("viewer")
    every = client.get("/api/facilities", params={"limit": 50}).json()
    assert every["total"] == 7
    hospitals = client.get("/api/facilities", params={"area": ZEZHOU, "category": "hospital"}).json()
    assert [f["code"] for f in hospitals["items"]] == [hospital(ZEZHOU)]
    assert client.get("/api/facilities", params={"q": "南村"}).json()["items"][0]["category"] == "township_health_center"
    assert client.get("/api/facilities", params={"as_of": "1999-01-01"}).json()["total"] == 0
    detail = client.get(f"/api/facilities/{hospital(ZEZHOU)}").json()
    assert detail["active"] and detail["versions"][0]["valid_from"] == "2000-01-01"
    assert client.get("/api/facilities/NOPE").status_code == 404


def test_data_sets_forms_and_validation(as_user: Login) -> None:
    zz = as_user("zz")
    sets = zz.get("/api/data-sets").json()
    assert [s["code"] for s in sets] == ["resources_yearly", "capability_yearly", "services_yearly", "area_yearly"]
    one = zz.get("/api/data-sets/resources_yearly").json()
    assert one["elements"][0] == {"code": "beds.actual", "name": "实有床位", "name_en": "Actual beds", "unit": "张",
                                  "value_type": "integer"}
    own = zz.get("/api/data-sets/resources_yearly/form", params={"org_unit": hospital(ZEZHOU), "period": "2024"})
    body = own.json()
    assert body["editable"] and body["approval"]["state"] == "draft" and body["approval_unit"] == ZEZHOU
    assert body["values"]["beds.infectious"] == 44 and body["values"]["beds.icu"] is None
    other = zz.get("/api/data-sets/resources_yearly/form", params={"org_unit": hospital(GAOPING), "period": "2024"})
    assert other.status_code == 403 and "beds" not in other.text
    old = zz.get("/api/data-sets/resources_yearly/form", params={"org_unit": hospital(GAOPING), "period": "2023"})
    assert old.status_code == 200 and old.json()["editable"] is False
    planner = as_user("planner").get("/api/data-sets/resources_yearly/form",
                                      params={"org_unit": hospital(GAOPING), "period": "2024"}).json()
    assert planner["approval"]["state"] == "submitted" and planner["editable"] is False
    wrong_kind = zz.get("/api/data-sets/resources_yearly/form", params={"org_unit": ZEZHOU, "period": "2024"})
    assert wrong_kind.status_code == 400
    check = zz.post("/api/data-sets/resources_yearly/validate", json={
        "org_unit": hospital(ZEZHOU), "period": "2024",
        "values": {"beds.infectious": 10, "beds.negative_pressure": 12, "staff.gp": "x"}}).json()
    assert check["ok"] is False and [v["rule"] for v in check["violations"]] == ["np_le_infectious"]
    assert check["problems"][0]["column"] == "staff.gp"


def test_approval_board_history_values_and_audit(as_user: Login) -> None:
    zz, planner = as_user("zz"), as_user("planner")
    board = zz.get("/api/approvals", params={"data_set": "resources_yearly", "period": "2024"}).json()
    assert [(r["org_unit"], r["state"], [a["action"] for a in r["actions"]]) for r in board] == [
        (ZEZHOU, "draft", ["submit"])]
    city = planner.get("/api/approvals", params={"data_set": "resources_yearly", "period": "2024"}).json()
    assert [r["org_unit"] for r in city] == [CITY, *COUNTIES]
    gaoping = next(r for r in city if r["org_unit"] == GAOPING)
    assert [a["action"] for a in gaoping["actions"]] == ["approve", "return"]
    history = planner.get(f"/api/approvals/resources_yearly/{GAOPING}/2024/history").json()
    assert [(h["action"], h["to"]) for h in history] == [("submit", "submitted")]
    assert zz.get("/api/values", params={"org_unit": hospital(GAOPING), "period": "2024"}).status_code == 403
    mine = zz.get("/api/values", params={"org_unit": hospital(ZEZHOU), "period": "2024"}).json()
    assert mine["withheld"] == 0 and {v["data_element"] for v in mine["values"]} >= {"beds.actual", "staff.gp"}
    mixed = zz.get("/api/values", params={"data_element": "beds.actual", "period": "2024"}).json()
    assert mixed["withheld"] == 1 and hospital(GAOPING) not in {v["org_unit"] for v in mixed["values"]}
    assert zz.get("/api/values").status_code == 400
    assert zz.get("/api/audit").status_code == 403
    trail = planner.get("/api/audit", params={"entity": "data_approval", "limit": 5}).json()
    assert len(trail) == 5 and all(e["user"] == "test" for e in trail)


def test_user_administration_is_for_admins(as_user: Login) -> None:
    people = as_user("admin").get("/api/users").json()
    assert {p["username"] for p in people} == {"admin", "planner", "analyst", "viewer", "zz", "gp"}
    assert as_user("planner").get("/api/users").status_code == 403
    assert as_user("zz").get("/api/tokens").json() == []
