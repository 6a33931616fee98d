"""Web fixtures: the small 晋城 region on SQLite and PostgreSQL (built once per module, one user per role),
an app over it, and clients logged in as each user."""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():  # Starlette nudges towards httpx2; httpx is what the project installs
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from healthplan.store.database import Database
from healthplan.store.setup import initialise
from healthplan.web.app import create_app
from tests.pg_server import PgServer
from tests.web.web_region import PASSWORD, USERS, build_web_region

_names = itertools.count()
SECRET = bytes(range(32))


def fresh_database(kind: str, folder: Path, pg_server: PgServer | None) -> Database:
    if kind == "sqlite":
        return Database(f"sqlite:///{folder / 'web.db'}")
    if pg_server is None:
        pytest.skip("HEALTHPLAN_SKIP_POSTGRES is set")
    return Database(pg_server.create_database(f"web{os.getpid()}_{next(_names)}"))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def web_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           pg_server: PgServer | None) -> Iterator[Database]:
    """The web region, shared by a module's tests (tests that write use ``fresh_web_db``)."""
    db = fresh_database(request.param, tmp_path_factory.mktemp("web"), pg_server)
    initialise(db)
    build_web_region(db)
    yield db
    db.dispose()


@pytest.fixture
def fresh_web_db(database: Database) -> Database:
    """The web region in a database of its own (each kind), for tests that change it; users admin, zz, gp."""
    build_web_region(database, {k: v for k, v in USERS.items() if k in ("admin", "zz", "gp")})
    return database


def make_app(db: Database) -> FastAPI:
    return create_app(db, SECRET)


Login = Callable[[str], TestClient]


def login_factory(app: FastAPI) -> Login:
    """A client logged in (by the JSON API) as a user; its CSRF token is in ``client.headers``."""
    cache: dict[str, TestClient] = {}

    def login(username: str) -> TestClient:
        if username not in cache:
            client = TestClient(app, base_url="http://127.0.0.1")
            r = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
            cache[username] = client
        return cache[username]

    return login


@pytest.fixture(scope="module")
def web_app(web_db: Database) -> FastAPI:
    return make_app(web_db)


@pytest.fixture(scope="module")
def as_user(web_app: FastAPI) -> Login:
    return login_factory(web_app)


@pytest.fixture
def fresh_as_user(fresh_web_db: Database) -> Login:
    return login_factory(make_app(fresh_web_db))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright, for the browser tests (``tests/web/served.py``)."""
    from tests.web.served import chromium

    with chromium() as launched:
        yield launched
