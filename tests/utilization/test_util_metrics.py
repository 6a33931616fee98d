"""The 2020 metrics of the oracle encounters against values worked out by hand (fixtures/utilization).

How the hand count goes (see ``oracle.csv``): the period of a stay is its discharge date, so e13 (admitted
2019-12-25) is a 2020 stay and e14 (discharged 2021-01-03) is not — but both add their 2020 nights (3 and 4) to
the occupied bed-days of H1. e08 is a stay in 太原 (140100, outside the registry): out of the county and the
city, no bed-days. e09's residence is the county code 140525 itself. e10 lives in 朔城区 (another registered
city) and e11 in 焦作 (410800, outside): both count at H1 but only e10 as a resident (of 朔城区). M1 moved
from 城区 to 南村镇 on 2020-07-01, so all of its 2020 visits count in 泽州县 (facilities as of the year's end).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from healthplan.utilization.dataset import EncounterDataset
from healthplan.utilization.engines import connect
from healthplan.utilization.flows import flows
from healthplan.utilization.metrics import COUNTS, METRICS, compute, compute_years
from healthplan.utilization.territory import Territory
from tests.utilization.conftest import FIXTURES, oracle_dataset

ORACLE = json.loads((FIXTURES / "oracle_2020.json").read_text(encoding="utf-8"))


def _close(got: float | None, expected: float | None) -> bool:
    return got is None if expected is None else got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.fixture
def oracle(tmp_path: Path, tiny_territory: Territory) -> EncounterDataset:
    return oracle_dataset(tmp_path, tiny_territory)


def test_every_metric_of_every_area_matches_the_hand_count(oracle: EncounterDataset,
                                                           tiny_territory: Territory) -> None:
    result = compute(connect(), oracle, tiny_territory, 2020)
    got = {a.org_unit: a for a in result.areas}
    assert set(got) == set(ORACLE["areas"])
    for code, expected in ORACLE["areas"].items():
        for metric in METRICS:
            assert _close(got[code].value(metric), expected[metric.code]), (code, metric.code)
        assert got[code].counts == pytest.approx(expected["counts"]), code


def test_weight_scales_counts_but_not_rates_except_occupancy(tmp_path: Path, tiny_territory: Territory) -> None:
    weighted = compute(connect(), oracle_dataset(tmp_path, tiny_territory, weight=2.5), tiny_territory, 2020)
    area = next(a for a in weighted.areas if a.org_unit == "140500")
    expected = ORACLE["areas"]["140500"]
    assert area.counts["resident_total"] == 30  # 12 records × 2.5
    assert area.counts["cost_oop"] == pytest.approx(7655.25 * 2.5)
    assert area.counts["bed_days_open"] == expected["counts"]["bed_days_open"]  # beds are not sampled
    by_code = {m.code: m for m in METRICS}
    assert area.value(by_code["county_visit_rate"]) == pytest.approx(expected["county_visit_rate"])
    assert area.value(by_code["bed_occupancy_rate"]) == pytest.approx(expected["bed_occupancy_rate"] * 2.5)


def test_json_shape(oracle: EncounterDataset, tiny_territory: Territory) -> None:
    data: dict[str, Any] = compute(connect(), oracle, tiny_territory, 2020).to_json()
    assert list(data) == ["year", "engine", "weight", "areas"]
    assert (data["year"], data["engine"], data["weight"]) == (2020, "duckdb", 1.0)
    first = data["areas"][0]
    assert list(first)[:3] == ["org_unit", "name", "level"]
    assert [k for k in first if k not in ("org_unit", "name", "level", "counts")] == [m.code for m in METRICS]
    assert set(first["counts"]) == {c.key for c in COUNTS}
    assert [a["org_unit"] for a in data["areas"]] == ["140502", "140525", "140602", "140500", "140600"]


def test_several_years_at_once_equal_one_at_a_time(oracle: EncounterDataset, tiny_territory: Territory) -> None:
    connection = connect()
    together = compute_years(connection, oracle, tiny_territory, [2019, 2020, 2021])
    assert [r.to_json() for r in together] == [compute(connection, oracle, tiny_territory, y).to_json()
                                               for y in (2019, 2020, 2021)]
    y2019 = {a.org_unit: a.counts for a in together[0].areas}
    assert y2019["140525"]["ambulatory"] == 1 and y2019["140502"] == {}  # 城区: no encounter at all in 2019


def test_a_year_outside_the_dataset_is_an_error(oracle: EncounterDataset, tiny_territory: Territory) -> None:
    from healthplan.domain.problems import HealthplanError

    with pytest.raises(HealthplanError, match="2018"):
        compute(connect(), oracle, tiny_territory, 2018)


def test_flows_match_the_hand_count(oracle: EncounterDataset, tiny_territory: Territory) -> None:
    matrix = flows(connect(), oracle, tiny_territory, 2020)
    got = {(f.origin, f.destination): (f.encounters, f.stays) for f in matrix.flows}
    expected = {(o, d): tuple(v) for o, row in ORACLE["flows"].items() for d, v in row.items()}
    assert got == expected
    by_key = {(f.origin, f.destination): f for f in matrix.flows}
    assert by_key[("140525", "140525")].share == pytest.approx(5 / 7 * 100)  # its county_visit_rate
    assert by_key[("140525", "140100")].inside_city is False
    assert by_key[("140525", "140100")].destination_name == "登记范围外 140100"
    assert by_key[("140502", "140602")].inside_city is False and by_key[("140525", "140502")].inside_city
