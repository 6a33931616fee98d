"""The Lagrangian reduction of the p-median never removes what an optimal solution needs (brute force)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from healthplan.access.siting import p_median
from healthplan.access.siting.reduction import lagrangian_reduction


@st.composite
def instances(draw: st.DrawFn) -> tuple[np.ndarray, int, np.ndarray]:
    n = draw(st.integers(3, 9))
    m = draw(st.integers(3, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    cost = rng.integers(0, 30, size=(n, m)).astype(float) * rng.integers(1, 4, size=(n, 1))  # weighted, ties
    if draw(st.booleans()):  # some pairs out of reach, every demand keeps one candidate
        unreachable = rng.random((n, m)) < 0.3
        unreachable[np.arange(n), rng.integers(0, m, n)] = False
        cost[unreachable] = np.inf
    p = draw(st.integers(1, m - 1))
    fixed = np.zeros(m, dtype=bool)
    if draw(st.booleans()) and p > 1:
        fixed[rng.integers(0, m)] = True
    return cost, p, fixed


def _costs(cost: np.ndarray, p: int, fixed: np.ndarray) -> dict[tuple[int, ...], float]:
    """Every feasible choice of p sites (the fixed ones among them) with its cost, by brute force."""
    subsets = (s for s in itertools.combinations(range(cost.shape[1]), p) if fixed[list(s)].sum() == fixed.sum())
    return {s: float(cost[:, list(s)].min(axis=1).sum()) for s in subsets}


@settings(max_examples=150, deadline=None)
@given(instances())
def test_fixings_keep_every_solution_as_good_as_the_incumbent(case: tuple[np.ndarray, int, np.ndarray]) -> None:
    cost, p, fixed = case
    m = cost.shape[1]
    costs = _costs(cost, p, fixed)
    optimum = min(costs.values())
    assume(np.isfinite(optimum))  # some subset serves every demand
    for incumbent in (optimum, max(c for c in costs.values() if np.isfinite(c))):
        reduction = lagrangian_reduction(cost, fixed, p, incumbent)
        assert reduction.lower_bound <= optimum + 1e-9
        for sites, value in costs.items():
            chosen = np.zeros(m, dtype=bool)
            chosen[list(sites)] = True
            if (chosen & reduction.closed).any() or (~chosen & reduction.opened).any():
                assert value > incumbent - 1e-9  # only solutions no better than the incumbent are cut off
        assert not (reduction.closed & fixed).any()


@settings(max_examples=60, deadline=None)
@given(instances())
def test_p_median_with_the_reduction_is_still_optimal(case: tuple[np.ndarray, int, np.ndarray]) -> None:
    cost, p, fixed = case
    optimum = min(_costs(cost, p, fixed).values())
    assume(np.isfinite(optimum))
    result = p_median(cost, p, fixed=np.flatnonzero(fixed).tolist())
    assert result.optimal and result.objective == optimum
