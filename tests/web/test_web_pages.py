"""The pages through a cookie session (as the browser uses them): Chinese by default, English on request,
forms that go through the same checks as the API."""

from __future__ import annotations

import re

from fastapi import FastAPI

from healthplan.store.database import Database
from tests.web.conftest import TestClient, make_app
from tests.web.test_web_security import CSRF_FIELD, page_login
from tests.web.web_region import CITY, GAOPING, PLAN, ZEZHOU, hospital


def csrf(client: TestClient, url: str) -> str:
    found = CSRF_FIELD.search(client.get(url).text)
    assert found is not None
    return found.group(1)


def test_every_page_renders_in_chinese_and_in_english(web_app: FastAPI) -> None:
    browser, _ = page_login(web_app, "admin")
    pages = {"/overview": "晋城测试规划", f"/indicators?code=beds_per_1000&area={CITY}&year=2024": "下级区域",
             "/registry": "个机构", f"/registry/{hospital(ZEZHOU)}": "历史版本", "/registry/new": "新建机构",
             f"/data?data_set=resources_yearly&org_unit={hospital(ZEZHOU)}&period=2024": "负压病床",
             "/data/approval?data_set=area_yearly&period=2024": "审核看板", "/plans": "导入规划文件",
             f"/plans/{PLAN}?year=2023": "资源缺口", f"/plans/{PLAN}/compare?first=2020&second=2024": "年份对比",
             "/users": "新建用户", "/account": "API 令牌"}
    for url, text in pages.items():
        r = browser.get(url)
        assert r.status_code == 200 and text in r.text and 'lang="zh-CN"' in r.text, url
    switched = browser.get("/lang/en?next=/overview", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/overview"
    english = browser.get("/overview").text
    assert 'lang="en"' in english and "Overview" in english and "Monitoring year" in english
    assert "Beds per 1,000 residents" in browser.get("/indicators?code=beds_per_1000").text
    browser.get("/lang/zh")
    assert "总览" in browser.get("/overview").text
    assert browser.get("/nowhere").status_code == 404 and "找不到页面" in browser.get("/nowhere").text


def test_overview_groups_targets_with_sparklines(web_app: FastAPI) -> None:
    browser, _ = page_login(web_app, "viewer")
    html = browser.get(f"/overview?plan={PLAN}&year=2024").text
    cards = re.findall(r'<a class="card target( binding)?" data-indicator="([^"]+)"', html)
    assert sorted(c[1] for c in cards) == ["beds_per_1000", "gps_per_10000", "physicians_per_1000"]
    assert {code for kind, code in cards if kind} == {"beds_per_1000"}  # the one 约束性 target is marked
    assert html.count('class="spark"') == 3 and "/indicators?code=beds_per_1000&area=140500&year=2024" in html


def test_data_entry_form_checks_inline_and_saves(fresh_web_db: Database) -> None:
    app = make_app(fresh_web_db)
    browser, _ = page_login(app, "zz")
    url = f"/data?data_set=resources_yearly&org_unit={hospital(ZEZHOU)}&period=2024"
    token = csrf(browser, url)
    fields = {"csrf_token": token, "data_set": "resources_yearly", "org_unit": hospital(ZEZHOU), "period": "2024",
              "beds.infectious": "10", "beds.negative_pressure": "12", "beds.actual": "2150"}
    checks = browser.post("/data/validate", data=fields, headers={"HX-Request": "true"})
    assert checks.status_code == 200 and "负压病床 ≤ 传染病床位：12 ≤ 10 不成立" in checks.text
    assert 'id="err-f-beds-negative_pressure" hx-swap-oob="true"' in checks.text
    saved = browser.post("/data/save", data=fields, follow_redirects=False)
    assert saved.status_code == 422 and "发现错误，未写入任何数据" in saved.text and 'value="12"' in saved.text
    fields["beds.negative_pressure"] = "3"
    ok = browser.post("/data/save", data=fields, follow_redirects=False)
    assert ok.status_code == 303 and "msg=saved-0-2" in ok.headers["location"]
    assert "已保存" in browser.get(ok.headers["location"]).text
    approval = browser.post("/data/approval", data={"csrf_token": token, "data_set": "resources_yearly",
                                                    "org_unit": ZEZHOU, "period": "2024", "action": "submit"},
                            follow_redirects=False)
    assert approval.status_code == 303
    board = browser.get(approval.headers["location"]).text
    assert "已上报" in board and 'data-action="approve"' not in board
    locked = browser.get(url).text
    assert "已锁定" in locked and 'id="save"' not in locked
    planner, _ = page_login(app, "admin")
    board = planner.get("/data/approval?data_set=resources_yearly&period=2024").text
    assert board.count('data-action="approve"') == 2  # 泽州县 and 高平市 wait for the city
    denied = browser.get(f"/data?data_set=resources_yearly&org_unit={hospital(GAOPING)}&period=2024")
    assert denied.status_code == 403


def test_registry_and_plan_forms(fresh_web_db: Database) -> None:
    app = make_app(fresh_web_db)
    browser, _ = page_login(app, "admin")
    token = csrf(browser, "/registry/new")
    created = browser.post("/registry/new", data={
        "csrf_token": token, "code": "NEW1", "valid_from": "2024-01-01", "name": "城区新诊所", "parent_code": "140502",
        "category": "clinic", "level": "0", "ownership": "private", "lat": "", "lon": ""}, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/registry/NEW1?msg=created"
    invalid = browser.post("/registry/new", data={"csrf_token": token, "code": "bad code!", "valid_from": "x",
                                                  "name": "", "parent_code": "140502", "category": "clinic"})
    assert invalid.status_code == 422 and "code" in invalid.text
    change = browser.post("/registry/NEW1/versions", data={
        "csrf_token": token, "effective": "2024-06-01", "reason": "更名", "name": "城区康宁诊所",
        "parent_code": "140502", "category": "clinic", "level": "0", "ownership": "private"},
        follow_redirects=False)
    assert change.status_code == 303
    page = browser.get("/registry/NEW1").text
    assert "城区康宁诊所" in page and "城区新诊所" in page and "更名" in page
    edit = browser.post(f"/plans/{PLAN}/targets/3", data={"csrf_token": token, "value": "3.2", "reason": "调整",
                                                          "year": "2023"}, follow_redirects=False)
    assert edit.status_code == 303 and edit.headers["location"] == f"/plans/{PLAN}?msg=target-3&year=2023"
    imported = browser.post("/plans/import", data={"csrf_token": token},
                            files={"file": ("p.yaml", b"plan: {code: x}\n")})
    assert imported.status_code == 422 and "p.yaml" in imported.text
    user = browser.post("/users", data={"csrf_token": token, "username": "yc", "password": "yangcheng-1",
                                        "role": "viewer", "scope": "140522"}, follow_redirects=False)
    assert user.status_code == 303 and "yc" in browser.get("/users").text
    assert page_login(app, "yc", "yangcheng-1")[1] == 303
