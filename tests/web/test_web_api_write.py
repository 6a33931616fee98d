"""Every writing endpoint: forms, uploads, approval, registry, plans, users, tokens — with scope, locks and
the audit log (user, old and new value), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from healthplan.store import audit
from tests.web.conftest import Login, TestClient
from tests.web.web_region import CITY, GAOPING, PLAN, ZEZHOU, hospital

FORM = "/api/data-sets/resources_yearly"


def beds(client: TestClient, area: str, year: int = 2024) -> float:
    body = client.get("/api/indicators/beds.actual/values", params={"area": area, "year": year}).json()
    return float(body["area"]["value"])


def test_saving_a_form_is_audited_and_reaches_the_engine_at_once(fresh_as_user: Login) -> None:
    zz = fresh_as_user("zz")
    before = beds(zz, ZEZHOU)
    r = zz.put(f"{FORM}/values", json={"org_unit": hospital(ZEZHOU), "period": "2024",
                                       "values": {"beds.actual": 2000, "beds.infectious": 50,
                                                  "beds.negative_pressure": 6, "staff.physician": 760,
                                                  "staff.gp": 70}})
    assert r.status_code == 200, r.text
    assert r.json()["changes"] == {"inserted": 0, "updated": 4, "unchanged": 1}  # staff.gp was 70 already
    assert beds(zz, ZEZHOU) == before - 2150 + 2000
    trail = fresh_as_user("admin").get("/api/audit", params={"entity": "data_value", "org_unit": hospital(ZEZHOU),
                                                             "limit": 4}).json()
    latest = {e["data_element"]: e for e in trail}
    assert latest["beds.actual"]["user"] == "zz" and latest["beds.actual"]["old"] == "2150.0"
    assert latest["beds.actual"]["new"] == "2000.0" and latest["beds.actual"]["period"] == "2024"
    cleared = zz.put(f"{FORM}/values", json={"org_unit": hospital(ZEZHOU), "period": "2024",
                                             "values": {"beds.actual": 2000, "staff.gp": None}})
    assert cleared.json()["form"]["values"]["staff.gp"] is None  # an emptied field deletes the value


def test_a_form_breaking_a_rule_writes_nothing(fresh_as_user: Login) -> None:
    zz = fresh_as_user("zz")
    r = zz.put(f"{FORM}/values", json={"org_unit": hospital(ZEZHOU), "period": "2024",
                                       "values": {"beds.actual": 1, "beds.infectious": 10,
                                                  "beds.negative_pressure": 12}})
    assert r.status_code == 422
    problems = r.json()["error"]["problems"]
    assert {p["column"] for p in problems} == {"beds.negative_pressure", "beds.infectious"}
    assert any("负压病床 ≤ 传染病床位" in p["message_zh"] for p in problems)
    assert beds(zz, ZEZHOU) == 2150 + 30  # nothing written, not even the valid beds.actual
    negative = zz.put(f"{FORM}/values", json={"org_unit": hospital(ZEZHOU), "period": "2024",
                                              "values": {"beds.actual": -5}})
    assert negative.status_code == 422 and negative.json()["error"]["problems"][0]["column"] == "beds.actual"


def test_scope_locks_and_the_approval_workflow(fresh_as_user: Login) -> None:
    zz, gp, admin = fresh_as_user("zz"), fresh_as_user("gp"), fresh_as_user("admin")
    other = zz.put(f"{FORM}/values", json={"org_unit": hospital(GAOPING), "period": "2023", "values": {}})
    assert other.status_code == 403
    locked = gp.put(f"{FORM}/values", json={"org_unit": hospital(GAOPING), "period": "2024",
                                            "values": {"beds.actual": 1}})
    assert locked.status_code == 409  # 高平市 has submitted its 2024 report
    url = f"/api/approvals/resources_yearly/{ZEZHOU}/2024"
    assert zz.post(f"{url}/approve", json={}).status_code == 403  # a county cannot approve itself
    assert gp.post(f"{url}/submit", json={}).status_code == 403
    submitted = zz.post(f"{url}/submit", json={})
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert zz.put(f"{FORM}/values", json={"org_unit": hospital(ZEZHOU), "period": "2024",
                                          "values": {"beds.actual": 1}}).status_code == 409
    assert admin.post(f"{url}/unlock", json={"reason": "x"}).status_code == 400  # not approved yet
    assert admin.post(f"{url}/approve", json={}).json()["state"] == "approved"
    assert admin.post(f"{url}/unlock", json={}).status_code == 400  # unlocking needs a reason
    assert admin.post(f"{url}/unlock", json={"reason": "补报"}).json()["state"] == "draft"
    assert admin.post(f"/api/approvals/resources_yearly/{hospital(ZEZHOU)}/2024/submit", json={}).status_code == 400
    # 高平市 approved by the city: now 泽州县's editor may see its 2024 beds
    gaoping_url = "/api/indicators/beds_per_1000/values"
    assert zz.get(gaoping_url, params={"area": GAOPING, "year": 2024}).status_code == 403
    for ds in ("resources_yearly", "area_yearly"):
        assert admin.post(f"/api/approvals/{ds}/{GAOPING}/2024/approve", json={}).status_code == 200
    assert zz.get(gaoping_url, params={"area": GAOPING, "year": 2024}).status_code == 200
    history = admin.get(f"{url}/history").json()
    assert [(h["action"], h["user"], h["reason"]) for h in history][:3] == [
        ("unlock", "admin", "补报"), ("approve", "admin", ""), ("submit", "zz", "")]


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_upload_shows_every_row_problem_or_writes_everything(fresh_as_user: Login) -> None:
    zz = fresh_as_user("zz")
    header = ["机构代码", "机构名称", "年份", "实有床位", "传染病床位", "负压病床"]
    bad = _workbook([header, [hospital(ZEZHOU), "泽州县人民医院", 2024, "很多", 20, 2],
                     ["NOPE", "不存在", 2024, 10, 1, 0], ["T140525100", "南村镇卫生院", 2024, 40, 2, 5]])
    r = zz.post(f"{FORM}/upload", files={"file": ("泽州县资源年报.xlsx", bad)})
    assert r.status_code == 422
    located = [(p["source"], p["row"], p["column"]) for p in r.json()["error"]["problems"]]
    assert located == [("泽州县资源年报.xlsx", 2, 4), ("泽州县资源年报.xlsx", 3, 1)]  # importer: row by row
    rules = zz.post(f"{FORM}/upload", files={"file": ("a.xlsx", _workbook([header, ["T140525100", "", 2024, 40, 2, 5]]))})
    assert rules.status_code == 422 and "负压病床" in rules.json()["error"]["problems"][0]["message_zh"]
    scope = zz.post(f"{FORM}/upload", files={"file": ("b.xlsx", _workbook([header, [hospital(GAOPING), "", 2023, 1, 1, 0]]))})
    assert scope.status_code == 422 and "管辖范围" in scope.json()["error"]["problems"][0]["message_zh"]
    good = _workbook([header, [hospital(ZEZHOU), "", 2024, 1800, 44, 4], ["T140525100", "", 2024, 40, 6, 2]])
    ok = zz.post(f"{FORM}/upload", files={"file": ("c.xlsx", good)})
    assert ok.status_code == 200 and ok.json()["changes"] == {"inserted": 2, "updated": 2, "unchanged": 2}
    again = zz.post(f"{FORM}/upload", files={"file": ("c.xlsx", good)})
    assert again.json()["changes"]["inserted"] + again.json()["changes"]["updated"] == 0
    template = zz.get(f"{FORM}/template.xlsx", params={"area": ZEZHOU, "period": "2024"})
    sheet = load_workbook(io.BytesIO(template.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("机构代码", "机构名称", "年份", "实有床位")
    assert [r[0] for r in rows[1:]] == [hospital(ZEZHOU), "T140525100"] and rows[1][3] == 1800
    assert zz.get(f"{FORM}/template.xlsx", params={"area": GAOPING, "period": "2024"}).status_code == 403


def test_registry_changes_add_versions(fresh_as_user: Login) -> None:
    zz, gp = fresh_as_user("zz"), fresh_as_user("gp")
    new = {"code": "N1", "name": "南村镇第二卫生院", "parent_code": "140525100", "category": "township_health_center",
           "valid_from": "2023-01-01", "lat": 35.4, "lon": 112.9}
    created = zz.post("/api/facilities", json=new)
    assert created.status_code == 201 and created.json()["versions"][0]["name"] == "南村镇第二卫生院"
    assert zz.post("/api/facilities", json=new).status_code == 400  # the code exists
    assert zz.post("/api/facilities", json={**new, "code": "N2", "parent_code": GAOPING}).status_code == 403
    changed = zz.post("/api/facilities/N1/versions", json={"effective": "2024-07-01", "level": 1,
                                                          "reason": "达到一级标准"})
    versions = changed.json()["versions"]
    assert [(v["valid_from"], v["valid_to"], v["level"]) for v in versions] == [
        ("2024-07-01", None, 1), ("2023-01-01", "2024-07-01", 0)]
    assert changed.json()["changes"][0]["reason"] == "达到一级标准"
    assert zz.post("/api/facilities/N1/versions", json={"effective": "2024-08-01"}).status_code == 400
    assert gp.post("/api/facilities/N1/close", json={"effective": "2025-01-01", "reason": "x"}).status_code == 403
    closed = zz.post("/api/facilities/N1/close", json={"effective": "2025-01-01", "reason": "并入中心卫生院"})
    assert closed.json()["versions"][0]["valid_to"] == "2025-01-01"
    listing = zz.get("/api/facilities", params={"area": ZEZHOU, "as_of": "2025-06-01"}).json()
    assert "N1" not in {f["code"] for f in listing["items"]}


def test_plan_edits_and_imports(fresh_as_user: Login) -> None:
    admin, zz = fresh_as_user("admin"), fresh_as_user("zz")
    edited = admin.patch(f"/api/plans/{PLAN}/targets/2", json={"value": 3.5, "nature": "binding",
                                                             "reason": "中期调整"})
    target = edited.json()["targets"][1]
    assert (target["value"], target["nature"], target["text"]) == (3.5, "binding", "3.5")
    assert zz.patch(f"/api/plans/{PLAN}/targets/2", json={"value": 1}).status_code == 403
    assert admin.patch(f"/api/plans/{PLAN}/targets/9", json={"value": 1}).status_code == 404
    assert admin.patch(f"/api/plans/{PLAN}/targets/1", json={"op": "range", "value": 7}).status_code == 400
    yaml_text = (f"plan: {{code: zz-plan, name: 泽州县规划, org_unit: '{ZEZHOU}', base_year: 2020, target_year: 2025}}\n"
                 "targets:\n  - {indicator: beds_per_1000, op: ge, value: 6, nature: binding}\n")
    imported = admin.post("/api/plans/import", files={"file": ("zz.yaml", yaml_text.encode())})
    assert imported.status_code == 201 and imported.json()["changes"]["inserted"] == 1
    broken = admin.post("/api/plans/import", files={"file": ("bad.yaml", yaml_text.replace("beds_per_1000", "nope")
                                                            .encode())})
    assert broken.status_code == 422 and broken.json()["error"]["problems"][0]["source"] == "bad.yaml"
    assert zz.post("/api/plans/import", files={"file": ("zz.yaml", yaml_text.encode())}).status_code == 403
    assert admin.post("/api/plans/import", files={"file": ("zz.txt", b"x")}).status_code == 400


def test_plan_target_edit_is_audited_with_old_and_new(fresh_web_db: object, fresh_as_user: Login) -> None:
    from healthplan.store.database import Database

    assert isinstance(fresh_web_db, Database)
    fresh_as_user("admin").patch(f"/api/plans/{PLAN}/targets/1", json={"value": 6.5, "reason": "提高"})
    with fresh_web_db.sessions() as s:
        (entry,) = audit.history(s, entity="target", key=f"{PLAN}#1")
    assert entry.user == "admin" and entry.reason == "提高"
    assert json.loads(entry.old_value or "")["value"] == 6.0 and json.loads(entry.new_value or "")["value"] == 6.5


def test_users_and_tokens(fresh_as_user: Login) -> None:
    admin, zz = fresh_as_user("admin"), fresh_as_user("zz")
    made = admin.post("/api/users", json={"username": "lc", "password": "lingchuan-1", "role": "editor",
                                          "scope": "140524", "display_name": "陵川县卫体局"})
    assert made.status_code == 201 and made.json()["scope"] == "140524"
    assert zz.post("/api/users", json={"username": "x1", "password": "12345678", "role": "admin",
                                       "scope": ZEZHOU}).status_code == 403
    assert admin.post("/api/users", json={"username": "x2", "password": "12345678", "role": "viewer",
                                          "scope": "140000"}).status_code == 403  # above the admin's scope
    assert admin.patch("/api/users/lc", json={"role": "planner"}).json()["role"] == "planner"
    assert admin.patch("/api/users/admin", json={"active": False}).status_code == 400
    token = zz.post("/api/tokens", json={"name": "月报脚本"}).json()
    script = TestClient(zz.app)
    script.headers["Authorization"] = f"Bearer {token['token']}"
    assert script.get("/api/me").json()["user"]["username"] == "zz"
    assert script.put(f"{FORM}/values", json={"org_unit": hospital(ZEZHOU), "period": "2024",
                                              "values": {"beds.icu": 3}}).status_code == 200  # no CSRF for tokens
    assert zz.delete(f"/api/tokens/{token['id']}").json()["revoked_at"] is not None
    assert script.get("/api/me").status_code == 401
    assert zz.post("/api/me/password", json={"old_password": "wrong", "new_password": "a new pass"}).status_code == 403
    assert zz.post("/api/me/password", json={"old_password": "web-test-password",
                                             "new_password": "a new pass"}).status_code == 204
    assert zz.get("/api/me").status_code == 401  # the session ended with the old password
    assert admin.post("/api/auth/logout").status_code == 204 and admin.get("/api/me").status_code == 401


def test_whole_city_numbers_follow_approvals(fresh_as_user: Login) -> None:
    zz, admin = fresh_as_user("zz"), fresh_as_user("admin")
    city = zz.get("/api/indicators/beds_per_1000/values", params={"area": CITY, "year": 2024}).json()
    assert city["area"]["withheld"]
    for ds in ("resources_yearly", "area_yearly"):
        admin.post(f"/api/approvals/{ds}/{GAOPING}/2024/approve", json={})
    city = zz.get("/api/indicators/beds_per_1000/values", params={"area": CITY, "year": 2024}).json()
    assert not city["area"]["withheld"] and city["area"]["value"] == pytest.approx(
        admin.get("/api/indicators/beds_per_1000/values", params={"area": CITY, "year": 2024}).json()["area"]["value"])
