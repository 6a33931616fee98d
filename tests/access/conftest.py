"""Session fixtures for the siting oracles (read once per test session)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from healthplan.access.siting import OrlibPMedian
from tests.access.siting_oracles import StoreProblem, read_orlib, read_orlib_optima, read_sf_stores


@pytest.fixture(scope="session")
def load_orlib() -> Callable[[int], OrlibPMedian]:
    return read_orlib


@pytest.fixture(scope="session")
def orlib_optima() -> dict[str, float]:
    return read_orlib_optima()


@pytest.fixture(scope="session")
def sf_stores() -> StoreProblem:
    return read_sf_stores()
