"""Written-back counts are data values the engine rolls up: the enc_* indicators give the metrics again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthplan.engine.analytics import Analytics
from healthplan.engine.catalog import Catalog
from healthplan.store.audit import history
from healthplan.store.database import Database
from healthplan.store.plans import user_indicators
from healthplan.store.values import read_values
from healthplan.utilization.engines import connect
from healthplan.utilization.metrics import METRICS, compute_years
from healthplan.utilization.territory import Territory
from healthplan.utilization.writeback import write_back
from tests.utilization.conftest import FIXTURES, build_tiny_region, oracle_dataset

ORACLE = json.loads((FIXTURES / "oracle_2020.json").read_text(encoding="utf-8"))


def test_indicators_over_the_written_values_equal_the_metrics(database: Database, tmp_path: Path) -> None:
    build_tiny_region(database)
    with database.sessions() as session:
        territory = Territory.from_store(session)
    results = compute_years(connect(), oracle_dataset(tmp_path, territory), territory, [2019, 2020, 2021])
    changes = write_back(database, results, "planner", "oracle.csv")
    assert changes.inserted > 0 and changes.updated == 0

    with database.sessions() as session:
        assert [v[4] for v in read_values(session, "svc.enc_resident_total", "140525", "2020")] == [7.0]
        assert read_values(session, "svc.enc_resident_total", "140502", "2019") == []  # no encounter: no value
        trail = history(session, entity="data_value", org_unit="140525")
        catalog = Catalog(user_indicators(session))
    assert trail and all(e.user == "planner" and "oracle.csv" in e.reason for e in trail)

    analytics = Analytics(database)
    analytics.load()
    codes = [m.code for m in METRICS]
    evaluated = analytics.evaluate([catalog.get(f"enc_{c}") for c in codes], ["2020"], list(ORACLE["areas"]))
    for value in evaluated:
        expected = ORACLE["areas"][value.org_unit][value.indicator.removeprefix("enc_")]
        assert (value.value is None if expected is None else value.value == pytest.approx(expected)), value

    again = write_back(database, results, "planner", "oracle.csv")
    assert (again.inserted, again.updated) == (0, 0)
