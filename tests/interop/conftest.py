"""Interop fixtures: example payloads (tests/fixtures/interop) and a second, empty database of the same kind."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from healthplan.store.database import Database
from healthplan.store.setup import initialise
from healthplan.store.values import ValueWrite, read_values, write_values
from tests.conftest import build_small_region

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interop"
_counter = itertools.count()


@pytest.fixture
def twin(database: Database, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """An initialised, empty database of the same kind as ``database`` (the other end of a round trip)."""
    if database.is_sqlite:
        other = Database(f"sqlite:///{tmp_path / 'twin.db'}")
    else:
        server = request.getfixturevalue("pg_server")
        other = Database(server.create_database(f"twin{os.getpid()}_{next(_counter)}"))
    initialise(other)
    yield other
    other.dispose()


@pytest.fixture
def twin_registry(twin: Database) -> Database:
    """The small region's org units and facilities in the twin, without any data value."""
    build_small_region(twin)
    with twin.transaction() as s:
        write_values(s, [ValueWrite(de, ou, p, None, d) for de, ou, p, d, _v, _c in read_values(s)], "test")
    return twin
