"""Shared fixtures: databases (SQLite file and a real PostgreSQL server), a small region, the CLI runner."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from healthplan.domain.registry import Category, FacilityVersion, Level, OrgUnit, Ownership
from healthplan.store import registry, values
from healthplan.store.database import Database
from healthplan.store.setup import initialise
from tests.pg_server import PgServer, start_server

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    if os.environ.get("HEALTHPLAN_SKIP_POSTGRES"):
        yield None
        return
    server = start_server()
    try:
        yield server
    finally:
        server.stop()


def _fresh(kind: str, tmp_path: Path, pg_server: PgServer | None) -> Database:
    if kind == "sqlite":
        return Database(f"sqlite:///{tmp_path / 'test.db'}")
    if pg_server is None:
        pytest.skip("HEALTHPLAN_SKIP_POSTGRES is set")
    return Database(pg_server.create_database(f"t{os.getpid()}_{next(_counter)}"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path, pg_server: PgServer | None) -> Iterator[Database]:
    """An initialised, empty database of each kind."""
    db = _fresh(request.param, tmp_path, pg_server)
    initialise(db)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'test.db'}")
    initialise(db)
    yield db
    db.dispose()


D = dt.date


def build_small_region(db: Database) -> None:
    """A city with two counties, a township, four facilities (one with history) and values for 2019–2020.

    城区 140502: 市人民医院 F1 (三级综合, 1000 beds), population recorded at the county.
    泽州县 140525 → township 140525100: 县医院 F2 (二级→三级 on 2020-06-01), 村卫生室 F3 (closed 2020-03-01),
    乡镇卫生院 F4 (opened 2020-01-01).
    """
    with db.transaction() as s:
        registry.upsert_org_units(s, [
            OrgUnit("140000", "山西省", Level.PROVINCE, None),
            OrgUnit("140500", "晋城市", Level.CITY, "140000"),
            OrgUnit("140502", "城区", Level.COUNTY, "140500"),
            OrgUnit("140525", "泽州县", Level.COUNTY, "140500"),
            OrgUnit("140525100", "南村镇", Level.TOWNSHIP, "140525"),
        ], "test")
        registry.upsert_facilities(s, [
            FacilityVersion("F1", "市人民医院", "140502", Category.GENERAL_HOSPITAL, D(2000, 1, 1), level=3),
            FacilityVersion("F2", "泽州县人民医院", "140525", Category.GENERAL_HOSPITAL, D(2000, 1, 1), D(2020, 6, 1),
                            level=2),
            FacilityVersion("F2", "泽州县人民医院", "140525", Category.GENERAL_HOSPITAL, D(2020, 6, 1), level=3),
            FacilityVersion("F3", "东村卫生室", "140525100", Category.VILLAGE_CLINIC, D(2000, 1, 1), D(2020, 3, 1),
                            ownership=Ownership.PRIVATE),
            FacilityVersion("F4", "南村镇卫生院", "140525100", Category.TOWNSHIP_HEALTH_CENTER, D(2020, 1, 1)),
        ], "test")
        w = values.ValueWrite
        values.write_values(s, [
            w("pop.resident", "140502", "2019", 570000), w("pop.resident", "140525", "2019", 420000),
            w("pop.resident", "140502", "2020", 574665), w("pop.resident", "140525", "2020", 414999),
            w("beds.actual", "F1", "2019", 900), w("beds.actual", "F2", "2019", 400), w("beds.actual", "F3", "2019", 5),
            w("beds.actual", "F1", "2020", 1000), w("beds.actual", "F2", "2020", 500), w("beds.actual", "F3", "2020", 5),
            w("beds.actual", "F4", "2020", 40),
            w("dept.geriatrics", "F1", "2020", 1), w("dept.geriatrics", "F2", "2020", 0),
            w("svc.visits", "F3", "202001", 100), w("svc.visits", "F3", "202002", 80),
            w("svc.visits", "F1", "2020Q1", 1000), w("svc.visits", "F1", "202004", 300),
            w("svc.visits", "F4", "2020", 2000),
        ], "test")


@pytest.fixture
def region(database: Database) -> Database:
    build_small_region(database)
    return database


@pytest.fixture
def sqlite_region(sqlite_db: Database) -> Database:
    build_small_region(sqlite_db)
    return sqlite_db
