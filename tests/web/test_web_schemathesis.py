"""Property-based: requests generated from the OpenAPI schema never make the API fail with a 5xx.

Each operation is tried twice: with everything generated (mostly unknown codes: 404s and 422s), and anchored
on codes that exist in the test region (an indicator, a plan, a data set, a facility, an area, a year) so the
generated bodies and parameters reach the operation's real work. Bounded and derandomised so that it runs in
the ordinary suite; calls carry an admin's API token so they pass authentication.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from healthplan.store.database import Database
from healthplan.store.setup import initialise
from healthplan.store.users import Role, create_token, get_user
from tests.web.conftest import make_app
from tests.web.web_region import CITY, PLAN, ZEZHOU, build_web_region, hospital

CODES = {"/api/indicators/": "beds_per_1000", "/api/plans/": PLAN, "/api/data-sets/": "resources_yearly",
         "/api/facilities/": hospital(ZEZHOU), "/api/org-units/": CITY}
KNOWN = {"data_set": "resources_yearly", "org_unit": ZEZHOU, "period": "2024", "seq": 1, "username": "admin",
         "area": CITY, "parent": CITY, "year": 2024, "first": 2020, "second": 2023}


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    db = Database(f"sqlite:///{folder / 'fuzz.db'}")
    initialise(db)
    build_web_region(db, users={"admin": (Role.ADMIN, CITY)})
    yield make_app(db)
    db.dispose()


def fresh_token(app: FastAPI) -> str:
    """A new admin token for each request (a generated DELETE /api/tokens/{id} may revoke an earlier one)."""
    state = app.state.healthplan
    with state.database.transaction() as session:
        return create_token(session, get_user(session, "admin"), "schemathesis", "admin")[1]


def anchors(operation: schemathesis.APIOperation) -> tuple[dict[str, object], dict[str, object]]:
    """Existing codes for the operation's path and query parameters."""
    path_names = {p.name for p in operation.path_parameters}
    query_names = {p.name for p in operation.query}
    path = {k: v for k, v in KNOWN.items() if k in path_names}
    if "code" in path_names:
        path["code"] = next(v for prefix, v in CODES.items() if operation.path.startswith(prefix))
    return path, {k: v for k, v in KNOWN.items() if k in query_names}


def test_no_server_errors(fuzzed_app: FastAPI) -> None:
    """Each operation in turn (schemathesis' own pytest plugin does not load under pytest 9)."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    statuses: dict[str, set[int]] = {}
    for operation in operations:
        path, query = anchors(operation)
        for strategy in (operation.as_strategy(), operation.as_strategy(path_parameters=path, query=query)):
            @given(case=strategy)
            @settings(max_examples=5, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def no_5xx(case: schemathesis.Case) -> None:
                response = case.call(headers={"Authorization": f"Bearer {fresh_token(fuzzed_app)}"})
                statuses.setdefault(case.operation.label, set()).add(response.status_code)
                case.validate_response(response, checks=[not_a_server_error])

            no_5xx()
    reached = [label for label, codes in statuses.items() if codes & {200, 201, 204}]
    assert len(reached) >= 30, statuses  # the anchored pass gets most operations past their checks
