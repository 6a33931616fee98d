"""p-median against the OR-Library proven optima and the spopt San Francisco answer."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest

from healthplan.access.siting import OrlibPMedian, SolverOptions, p_median
from tests.access.siting_oracles import StoreProblem

# pmed1-20 prove optimal within a few seconds each (the goal is 10 s; benchmarks/locate/bench.py times
# them); benchmarks/siting/pmedian_orlib.py runs all 40.
ORLIB_IN_TESTS = list(range(1, 21))


@pytest.mark.parametrize("number", ORLIB_IN_TESTS)
def test_orlib_proven_optimum(
    number: int, load_orlib: Callable[[int], OrlibPMedian], orlib_optima: dict[str, float]
) -> None:
    instance = load_orlib(number)
    result = p_median(instance.cost_matrix(), instance.p)
    assert result.optimal and result.status == "Optimal"
    assert result.objective == pytest.approx(orlib_optima[f"pmed{number}"])
    assert result.dual_bound == pytest.approx(result.objective, abs=1e-6)
    assert len(result.sites) == instance.p
    assert result.warm_start_objective >= result.objective
    assert result.assigned_cost.sum() == pytest.approx(result.objective)


def test_sf_pmedian_matches_spopt(sf_stores: StoreProblem) -> None:
    result = p_median(sf_stores.cost, 4, weights=sf_stores.population)
    assert result.optimal
    assert result.objective == pytest.approx(2_848_268_129.71, abs=0.01)
    assert result.objective / result.total_weight == pytest.approx(2982.12686, abs=1e-5)
    assert sorted(sf_stores.stores[j] for j in result.sites) == [
        "Store_11",
        "Store_12",
        "Store_15",
        "Store_2",
    ]
    assert all(result.assignment[i] in result.sites for i in range(result.assignment.size))


def test_sf_pmedian_keeps_existing_stores(sf_stores: StoreProblem) -> None:
    existing = [sf_stores.stores.index("Store_1"), sf_stores.stores.index("Store_19")]
    result = p_median(
        sf_stores.cost, 4, weights=sf_stores.population, fixed=existing, service_distance=5000.0
    )
    others = [j for j in range(len(sf_stores.stores)) if j not in existing]
    best = min(
        sf_stores.population @ sf_stores.cost[:, [*existing, *extra]].min(axis=1)
        for extra in itertools.combinations(others, 2)
    )
    assert set(existing) <= set(result.sites) and len(result.sites) == 4
    assert set(result.new_sites) == set(result.sites) - set(existing)
    assert result.objective == pytest.approx(best)
    assert result.covered_weight == pytest.approx(sf_stores.population[result.assigned_cost <= 5000.0].sum())


def test_unreachable_pairs_are_respected() -> None:
    inf = np.inf
    cost = np.array([[0.0, inf, 4.0], [inf, 0.0, 4.0], [3.0, 3.0, 0.0]])
    result = p_median(cost, 1)
    assert result.sites == (2,) and result.objective == 8.0
    two = p_median(cost, 2)
    assert two.objective == 3.0 and two.sites in {(0, 1), (0, 2), (1, 2)}


def test_infeasible_when_p_sites_cannot_reach_everyone() -> None:
    inf = np.inf
    result = p_median(np.array([[0.0, inf], [inf, 0.0]]), 1)
    assert not result.optimal and result.status == "Infeasible"
    assert np.isnan(result.objective) and result.sites == ()
    assert (result.assignment == -1).all()


def test_stranded_positive_weight_demand_is_an_error() -> None:
    cost = np.array([[0.0, 1.0], [np.inf, np.inf]])
    with pytest.raises(ValueError, match=r"\[1\]"):
        p_median(cost, 1)
    assert p_median(cost, 1, weights=[1.0, 0.0]).uncoverable == (1,)


def test_p_must_be_positive() -> None:
    with pytest.raises(ValueError, match="p >= 1"):
        p_median(np.zeros((2, 2)), 0)


def test_time_limit_returns_incumbent_with_gap(load_orlib: Callable[[int], OrlibPMedian]) -> None:
    instance = load_orlib(16)
    result = p_median(instance.cost_matrix(), instance.p, options=SolverOptions(time_limit=0.5))
    assert not result.optimal and result.status == "Time limit reached"
    assert len(result.sites) == instance.p
    assert result.mip_gap > 0 and result.dual_bound <= result.objective
