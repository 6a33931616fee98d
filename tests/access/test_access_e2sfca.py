"""E2SFCA scores against PySAL ``access`` on the same inputs (reference in tests/fixtures/access/e2sfca)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from healthplan.access.e2sfca import DEFAULT_ZONES, e2sfca, step_weights

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "access" / "e2sfca"


def _rows(name: str) -> list[dict[str, str]]:
    with (FIXTURE / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(("column", "zones"), [("default", DEFAULT_ZONES), ("custom", ((15.0, 1.0), (25.0, 0.5)))])
def test_matches_pysal_access(column: str, zones: tuple[tuple[float, float], ...]) -> None:
    demand = _rows("demand.csv")
    supply = _rows("supply.csv")
    pairs = {(r["origin"], r["dest"]): float(r["cost"]) for r in _rows("cost.csv")}
    cost = np.array([[pairs[(d["geoid"], s["geoid"])] for s in supply] for d in demand])
    ours = e2sfca(cost, [float(d["pop"]) for d in demand], [float(s["beds"]) for s in supply], zones)
    reference = {r["geoid"]: float(r[column]) for r in _rows("pysal_reference.csv")}
    assert ours == pytest.approx([reference[d["geoid"]] for d in demand], rel=1e-12, abs=1e-15)


def test_step_weights_take_the_zone_a_bound_closes() -> None:
    weights = step_weights([0, 10, 10.01, 20, 29.99, 30, 30.01, np.inf])
    assert weights.tolist() == [1, 1, 0.68, 0.68, 0.22, 0.22, 0, 0]


def test_supply_is_conserved_when_everyone_reaches_everything() -> None:
    # with weight 1 everywhere the scores, weighted by population, add up to the total supply
    cost = np.zeros((3, 2))
    population = np.array([100.0, 300.0, 600.0])
    scores = e2sfca(cost, population, [10.0, 40.0])
    assert population @ scores == pytest.approx(50.0)
    assert scores == pytest.approx([0.05, 0.05, 0.05])


def test_unreached_supply_counts_for_nothing() -> None:
    cost = np.array([[5.0, 100.0]])
    assert e2sfca(cost, [10.0], [20.0, 1000.0]).tolist() == [2.0]
    with pytest.raises(ValueError):
        e2sfca(cost, [10.0, 5.0], [20.0, 1.0])
