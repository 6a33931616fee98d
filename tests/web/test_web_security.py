"""The security promises, one test each: argon2 hashes, HttpOnly+SameSite session cookies, CSRF tokens on every
form and on cookie-authenticated API writes, rate-limited login, no other county's unapproved data through pages
or API, every write audited with user and before/after, no secret in the repository."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from fastapi import FastAPI

from healthplan.store import audit
from healthplan.store.database import Database
from healthplan.store.users import UserRow
from healthplan.web.server import SECRET_FILE, data_dir, session_secret
from tests.web.conftest import Login, TestClient, login_factory, make_app
from tests.web.web_region import GAOPING, PASSWORD, PLAN, ZEZHOU, hospital

CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]*)"')


def page_login(app: FastAPI, username: str, password: str = PASSWORD) -> tuple[TestClient, int]:
    client = TestClient(app, base_url="http://127.0.0.1")
    token = CSRF_FIELD.search(client.get("/login").text)
    assert token is not None
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": token.group(1),
                                    "next": "/overview"}, follow_redirects=False)
    return client, r.status_code


def test_passwords_are_argon2_hashes(web_db: Database) -> None:
    with web_db.sessions() as s:
        hashes = [row.password_hash for row in s.query(UserRow)]
    assert hashes and all(h.startswith("$argon2id$v=19$m=65536,t=3,p=4$") for h in hashes)
    assert not any(PASSWORD in h for h in hashes) and len(set(hashes)) == len(hashes)  # salted


def test_session_cookie_is_httponly_and_samesite(web_app: FastAPI) -> None:
    client = TestClient(web_app, base_url="http://127.0.0.1")
    r = client.post("/api/auth/login", json={"username": "viewer", "password": PASSWORD})
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("hp_session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie
    secure = TestClient(web_app, base_url="https://127.0.0.1")
    https_cookie = secure.post("/api/auth/login", json={"username": "viewer", "password": PASSWORD})
    assert "Secure" in https_cookie.headers["set-cookie"]
    page = client.get("/overview")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"


def test_every_form_carries_a_csrf_token_and_needs_it(web_app: FastAPI, as_user: Login) -> None:
    browser, status = page_login(web_app, "admin")
    assert status == 303
    for url in ("/overview", f"/plans/{PLAN}", "/users", "/account", "/data", "/data/approval",
                f"/registry/{hospital(ZEZHOU)}", "/registry/new", "/plans"):
        html = browser.get(url).text
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, flags=re.S)
        assert forms, url
        for form in forms:
            assert 'name="csrf_token"' in form, (url, form[:200])
    assert 'hx-headers=\'{"X-CSRF-Token": "' in browser.get("/data").text.replace("&#34;", '"')
    forged = browser.post("/account/tokens", data={"name": "forged"}, follow_redirects=False)
    assert forged.status_code == 403 and "CSRF" in forged.text
    wrong = browser.post("/account/tokens", data={"name": "x", "csrf_token": "0" * 64})
    assert wrong.status_code == 403
    token = CSRF_FIELD.search(browser.get("/account").text)
    assert token is not None
    good = browser.post("/account/tokens", data={"name": "ok", "csrf_token": token.group(1)})
    assert good.status_code == 200 and 'id="new-token"' in good.text
    api = as_user("viewer")
    no_header = TestClient(web_app, base_url="http://127.0.0.1", cookies=api.cookies)
    assert no_header.post("/api/tokens", json={"name": "x"}).status_code == 403
    assert api.post("/api/tokens", json={"name": "x"}).status_code == 201
    anonymous = TestClient(web_app, base_url="http://127.0.0.1")
    login_without_token = anonymous.post("/login", data={"username": "admin", "password": PASSWORD})
    assert login_without_token.status_code == 403


def test_login_is_rate_limited(fresh_web_db: Database) -> None:
    app = make_app(fresh_web_db)
    for _ in range(5):
        assert page_login(app, "gp", "wrong password")[1] == 401
    status = page_login(app, "gp")[1]  # even the right password, for the rest of the window
    assert status == 429
    api = TestClient(app).post("/api/auth/login", json={"username": "gp", "password": PASSWORD})
    assert api.status_code == 429 and int(api.headers["retry-after"]) == 900
    assert page_login(app, "zz")[1] == 303  # another user is not locked out …
    for i in range(15):  # 5 + 15 failures from this client
        page_login(app, f"nobody{i}", "guess")
    assert page_login(app, "zz")[1] == 429  # … until the client has failed 20 times


def test_an_editor_never_gets_another_countys_unapproved_data(web_app: FastAPI, as_user: Login) -> None:
    browser, _ = page_login(web_app, "zz")
    gaoping_value = re.compile(r"[>\"=:](2250|2,250)(\.0)?[<\"&,}]")  # 高平市人民医院's 2024 beds: 1500 + 500 + 5·50
    for url in (f"/indicators?code=beds.actual&area={GAOPING}&year=2024",
                f"/data?data_set=resources_yearly&org_unit={hospital(GAOPING)}&period=2024",
                f"/overview?plan={PLAN}&year=2024"):
        page = browser.get(url)
        assert page.status_code == 403, url
        assert not gaoping_value.search(page.text) and "未审核" in page.text
    city = browser.get("/indicators?code=beds.actual&area=140500&year=2024")
    html = city.text.replace("&#34;", '"')
    assert city.status_code == 200 and not gaoping_value.search(html)
    assert '"140581":{"name":"高平市","value":null,"text":"未公开","withheld":true}' in html
    assert re.search(r'<tr class="withheld">\s*<td class="mono">140581</td>', html)
    zz = as_user("zz")
    for url, params in (("/api/indicators/beds.actual/values", {"area": GAOPING, "year": 2024}),
                        ("/api/data-sets/resources_yearly/form", {"org_unit": hospital(GAOPING), "period": "2024"}),
                        ("/api/values", {"org_unit": hospital(GAOPING), "period": "2024"}),
                        (f"/api/plans/{PLAN}/overview", {"year": 2024}),
                        ("/api/data-sets/resources_yearly/template.xlsx", {"area": GAOPING, "period": "2024"})):
        r = zz.get(url, params=params)
        assert r.status_code == 403 and not gaoping_value.search(r.text), url
    assert as_user("gp").get("/api/indicators/beds.actual/values",
                             params={"area": GAOPING, "year": 2024}).json()["area"]["value"] == 2250


def test_every_write_is_audited_with_user_and_before_after(fresh_web_db: Database) -> None:
    login = login_factory(make_app(fresh_web_db))
    zz, admin = login("zz"), login("admin")
    zz.put("/api/data-sets/resources_yearly/values", json={"org_unit": hospital(ZEZHOU), "period": "2024",
                                                          "values": {"beds.icu": 8}})
    zz.post(f"/api/approvals/resources_yearly/{ZEZHOU}/2024/submit", json={})
    zz.post("/api/facilities/T140525100/versions", json={"effective": "2024-03-01", "name": "南村镇中心卫生院"})
    admin.patch(f"/api/plans/{PLAN}/targets/1", json={"value": 6.2, "reason": "r"})
    admin.patch("/api/users/gp", json={"display_name": "高平"})
    zz.post("/api/tokens", json={"name": "t"})
    trail = admin.get("/api/audit", params={"limit": 50}).json()
    with fresh_web_db.sessions() as s:
        entries = {e.entity: e for e in audit.history(s, limit=30) if e.user in ("zz", "admin")}
    value, approval_, facility = entries["data_value"], entries["data_approval"], entries["facility"]
    assert (value.user, value.old_value, value.new_value) == ("zz", None, "8.0")
    assert (approval_.user, approval_.old_value, approval_.new_value) == ("zz", "draft", "submitted")
    assert facility.user == "zz" and "南村镇卫生院" in (facility.old_value or "")
    assert "南村镇中心卫生院" in (facility.new_value or "")
    assert entries["target"].user == "admin" and '"value": 6.0' in (entries["target"].old_value or "")
    assert entries["web_user"].user == "admin" and '"display_name": "gp"' in (entries["web_user"].old_value or "")
    assert entries["web_api_token"].user == "zz"
    assert {e["entity"] for e in trail} >= {"data_value", "data_approval", "facility"}


def test_the_secret_is_made_on_first_start_in_the_data_directory(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEALTHPLAN_DATA_DIR", raising=False)
    db = Database(f"sqlite:///{tmp_path / 'site' / 'h.db'}")
    folder = data_dir(db)
    assert folder == (tmp_path / "site").resolve() and not (folder / SECRET_FILE).exists()
    first = session_secret(folder)
    assert len(first) == 32 and session_secret(folder) == first
    assert stat.S_IMODE((folder / SECRET_FILE).stat().st_mode) == 0o600
    assert session_secret(tmp_path / "elsewhere") != first
    monkeypatch.setenv("HEALTHPLAN_DATA_DIR", str(tmp_path / "configured"))
    assert data_dir(db) == tmp_path / "configured"
    package = Path(__file__).resolve().parents[2] / "src" / "healthplan"
    assert not list(package.rglob(SECRET_FILE)) and not list(package.rglob("demo-login.json"))
