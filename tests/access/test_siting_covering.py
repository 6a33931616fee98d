"""LSCP and MCLP on hand-made cases and on the spopt San Francisco oracle."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.typing import NDArray

from healthplan.access.siting import SolverOptions, lscp, mclp
from tests.access.siting_oracles import StoreProblem


def line(n_points: int) -> NDArray[np.float64]:
    """Demand points and candidates both at 0, 1, ..., n-1 on a line."""
    x = np.arange(n_points, dtype=np.float64)
    return np.abs(x[:, None] - x[None, :])


def test_lscp_line_needs_one_site_per_three_points() -> None:
    result = lscp(line(7), 1.0)
    assert result.optimal and result.status == "Optimal"
    assert result.objective == 3
    assert len(result.sites) == 3
    assert result.covered.all()
    assert result.uncoverable == ()
    assert result.mip_gap == pytest.approx(0.0)


def test_lscp_keeps_fixed_site_even_when_it_costs_an_extra_site() -> None:
    assert lscp(line(6), 1.0).objective == 2
    result = lscp(line(6), 1.0, fixed=[0])
    assert 0 in result.sites
    assert result.fixed_sites == (0,)
    assert result.objective == 3
    assert len(result.new_sites) == 2 and 0 not in result.new_sites
    assert result.covered.all()


def test_lscp_reports_demand_no_candidate_can_cover() -> None:
    cost = np.vstack([line(4), np.full((1, 4), 50.0)])  # demand point 4 is 50 from every candidate
    result = lscp(cost, 1.0)
    assert result.optimal
    assert result.uncoverable == (4,)
    assert result.objective == 2
    np.testing.assert_array_equal(result.covered, [True, True, True, True, False])
    assert result.n_uncovered == 1
    assert result.covered_weight == 4 and result.total_weight == 5


def test_lscp_ignores_zero_weight_demand() -> None:
    cost = np.array([[0.0, 9.0], [9.0, 0.0]])
    result = lscp(cost, 1.0, weights=[1.0, 0.0])
    assert result.sites == (0,)
    assert not result.covered[1]


def test_lscp_with_everything_covered_by_fixed_sites() -> None:
    result = lscp(line(3), 1.0, fixed=[1])
    assert result.sites == (1,) and result.new_sites == ()
    assert result.optimal


def test_mclp_prefers_heavy_demand_and_counts_fixed_coverage() -> None:
    weights = [10.0, 1.0, 1.0, 1.0, 20.0]
    best = mclp(line(5), 1.0, 1, weights=weights)
    assert best.sites == (3,) and best.objective == 22
    with_fixed = mclp(line(5), 1.0, 2, weights=weights, fixed=[0])
    assert with_fixed.sites == (0, 3)
    assert with_fixed.objective == 33 == with_fixed.covered_weight
    only_fixed = mclp(line(5), 1.0, 1, weights=weights, fixed=[0])
    assert only_fixed.sites == (0,) and only_fixed.objective == 11


def test_mclp_reports_uncoverable_and_keeps_p_sites() -> None:
    cost = np.vstack([line(4), np.full((1, 4), 50.0)])
    result = mclp(cost, 1.0, 1, weights=[1.0, 5.0, 5.0, 1.0, 100.0])
    assert result.uncoverable == (4,)
    assert len(result.sites) == 1 and result.objective == 11


@pytest.mark.parametrize(
    ("p", "fixed", "weights", "message"),
    [
        (5, [], None, "p=5"),
        (1, [0, 1], None, "p=1"),
        (1, [9], None, "fixed site"),
        (1, [], [1.0, -1.0, 1.0, 1.0], "weights"),
        (1, [], [1.0], "weights"),
    ],
)
def test_bad_inputs_are_rejected(p: int, fixed: list[int], weights: list[float] | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mclp(line(4), 1.0, p, weights=weights, fixed=fixed)


def test_nan_cost_is_rejected() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        lscp(np.array([[np.nan]]), 1.0)


def test_sf_mclp_matches_spopt(sf_stores: StoreProblem) -> None:
    result = mclp(sf_stores.cost, 5000.0, 4, weights=sf_stores.population)
    assert result.optimal and result.mip_gap == pytest.approx(0.0, abs=1e-9)
    assert result.objective == pytest.approx(875_247)
    assert result.total_weight == pytest.approx(955_113)
    assert result.covered_share == pytest.approx(875_247 / 955_113)
    assert result.n_uncovered == 21
    assert (~result.covered).sum() / result.covered.size == pytest.approx(1 - 0.897561, abs=1e-6)
    assert sorted(sf_stores.stores[j] for j in result.sites) == [
        "Store_11",
        "Store_12",
        "Store_15",
        "Store_2",
    ]


def test_sf_mclp_with_an_existing_store_matches_enumeration(sf_stores: StoreProblem) -> None:
    cover = sf_stores.cost <= 5000.0
    existing = sf_stores.stores.index("Store_1")
    result = mclp(sf_stores.cost, 5000.0, 4, weights=sf_stores.population, fixed=[existing])
    others = [j for j in range(len(sf_stores.stores)) if j != existing]
    best = max(
        sf_stores.population[cover[:, [existing, *extra]].any(axis=1)].sum()
        for extra in itertools.combinations(others, 3)
    )
    assert existing in result.sites and len(result.sites) == 4
    assert result.objective == pytest.approx(best)


def test_sf_lscp_covers_every_coverable_tract(sf_stores: StoreProblem) -> None:
    result = lscp(sf_stores.cost, 5000.0, weights=sf_stores.population)
    cover = sf_stores.cost <= 5000.0
    smaller = itertools.chain.from_iterable(
        itertools.combinations(range(len(sf_stores.stores)), k) for k in range(int(result.objective))
    )
    coverable = cover.any(axis=1)
    assert result.optimal
    assert result.uncoverable == tuple(np.flatnonzero(~coverable))
    assert result.covered[coverable].all()
    assert not any(cover[:, list(sites)][coverable].any(axis=1).all() for sites in smaller)


def test_unknown_highs_option_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="no_such_option"):
        lscp(line(3), 1.0, options=SolverOptions(highs={"no_such_option": 1}))
