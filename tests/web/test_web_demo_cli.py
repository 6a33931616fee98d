"""The demo's users and approval states, and ``healthplan users …`` on the command line."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from healthplan.cli import main
from healthplan.domain.data import ApprovalState
from healthplan.store import approval
from healthplan.store.database import Database
from healthplan.store.setup import initialise
from healthplan.web import demo
from healthplan.web.server import DEMO_LOGIN_FILE, read_demo_login
from healthplan.web.state import FRESH_FOR
from tests.web.conftest import TestClient, make_app
from tests.web.web_region import CITY, GAOPING, ZEZHOU, build_web_region


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.delenv("HEALTHPLAN_DATA_DIR", raising=False)
    db = Database(f"sqlite:///{tmp_path / 'demo.db'}")
    initialise(db)
    build_web_region(db, users={})
    return db


def run_steps(db: Database) -> list[tuple[int, int, int]]:
    return [(c.inserted, c.updated, c.unchanged) for c in (s.run(db, "demo") for s in demo.steps(("jincheng",)))]


def test_demo_users_and_approvals(demo_db: Database, tmp_path: Path) -> None:
    first = run_steps(demo_db)
    assert first[1] == (4, 0, 0)
    login = read_demo_login(tmp_path, demo_db)
    assert login is not None and str(login["password"]).startswith("demo-")
    assert [u["username"] for u in login["users"]] == ["jc_admin", "zz_editor", "gp_editor", "jc_viewer"]
    assert (tmp_path / DEMO_LOGIN_FILE).stat().st_mode & 0o077 == 0
    assert read_demo_login(tmp_path, Database(f"sqlite:///{tmp_path / 'other.db'}")) is None
    assert [(i, u) for i, u, _ in run_steps(demo_db)] == [(0, 0), (0, 0)]  # idempotent
    with demo_db.sessions() as s:
        states = approval.all_states(s)
    assert states[("services_yearly", CITY, "2024")] is ApprovalState.APPROVED  # added by the demo step
    assert states[("resources_yearly", GAOPING, "2024")] is ApprovalState.SUBMITTED
    assert ("resources_yearly", ZEZHOU, "2024") not in states  # a draft
    client = TestClient(make_app(demo_db))
    r = client.post("/api/auth/login", json={"username": "zz_editor", "password": login["password"]})
    assert r.status_code == 200 and r.json()["user"]["scope"] == ZEZHOU
    (tmp_path / DEMO_LOGIN_FILE).unlink()
    assert run_steps(demo_db)[1] == (0, 4, 0)  # a lost login file: new password, written again
    assert read_demo_login(tmp_path, demo_db)["password"] != login["password"]  # type: ignore[index]


def test_users_commands(demo_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = demo_db.url
    assert main(["--database", url, "--user", "ops", "users", "add", "lc", "--role", "editor", "--scope", "140524",
                 "--name", "陵川县", "--password", "lingchuan-1"]) == 0
    assert main(["--database", url, "users", "add", "lc", "--role", "editor", "--scope", "140524",
                 "--password", "lingchuan-1"]) == 2  # exists: a bilingual error, no traceback
    assert main(["--database", url, "users", "add", "x", "--role", "viewer", "--scope", "999",
                 "--password", "12345678"]) == 2
    capsys.readouterr()
    assert main(["--database", url, "users", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [{"username": "lc", "display_name": "陵川县", "role": "editor", "role_label": "数据填报员",
                       "scope": "140524", "active": True}]
    assert main(["--database", url, "users", "token", "lc", "--name", "月报"]) == 0
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    client = TestClient(make_app(demo_db))
    assert client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).json()["user"]["username"] == "lc"
    assert main(["--database", url, "users", "passwd", "lc", "--generate"]) == 0
    password = capsys.readouterr().out.split("password: ")[-1].strip()
    assert client.post("/api/auth/login", json={"username": "lc", "password": password}).status_code == 200
    assert main(["--database", url, "users", "disable", "lc"]) == 0
    time.sleep(FRESH_FOR * 2)  # another process wrote: the site sees it within FRESH_FOR
    assert client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
