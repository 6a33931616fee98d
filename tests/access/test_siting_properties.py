"""Property tests: the MIPs agree with brute-force enumeration on tiny random instances (<= 8 candidates)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from healthplan.access.siting import lscp, mclp, p_median

SERVICE = 10.0


@dataclass(frozen=True, eq=False)
class Tiny:
    cost: NDArray[np.float64]
    weights: NDArray[np.float64]
    fixed: tuple[int, ...]
    p: int

    def site_sets(self, size: int) -> Iterator[list[int]]:
        """Every set of ``size`` open sites that contains the fixed ones."""
        others = [j for j in range(self.cost.shape[1]) if j not in self.fixed]
        for extra in itertools.combinations(others, size - len(self.fixed)):
            yield [*self.fixed, *extra]


@st.composite
def tiny_instances(draw: st.DrawFn) -> Tiny:
    n = draw(st.integers(1, 7))
    m = draw(st.integers(1, 8))
    entries = st.one_of(st.integers(0, 25).map(float), st.just(np.inf))
    cost = np.array(draw(st.lists(entries, min_size=n * m, max_size=n * m)), dtype=np.float64).reshape(n, m)
    weights = np.array(draw(st.lists(st.integers(0, 9), min_size=n, max_size=n)), dtype=np.float64)
    fixed = tuple(sorted(draw(st.sets(st.integers(0, m - 1), max_size=min(m, 3)))))
    p = draw(st.integers(max(len(fixed), 1), m))
    return Tiny(cost=cost, weights=weights, fixed=fixed, p=p)


@settings(max_examples=80, deadline=None)
@given(tiny_instances())
def test_p_median_matches_enumeration(tiny: Tiny) -> None:
    served = tiny.weights > 0
    if not np.isfinite(tiny.cost[served]).any(axis=1).all():
        with pytest.raises(ValueError, match="reach no candidate"):
            p_median(tiny.cost, tiny.p, weights=tiny.weights, fixed=tiny.fixed)
        return
    best = min(
        float(tiny.weights[served] @ tiny.cost[served][:, sites].min(axis=1))
        for sites in tiny.site_sets(tiny.p)
    )
    result = p_median(tiny.cost, tiny.p, weights=tiny.weights, fixed=tiny.fixed)
    if np.isinf(best):
        assert result.status == "Infeasible" and not result.optimal
        return
    assert result.optimal
    assert result.objective == pytest.approx(best, abs=1e-6)
    assert len(result.sites) == tiny.p and set(tiny.fixed) <= set(result.sites)


@settings(max_examples=80, deadline=None)
@given(tiny_instances())
def test_mclp_matches_enumeration(tiny: Tiny) -> None:
    cover = tiny.cost <= SERVICE
    best = max(float(tiny.weights[cover[:, sites].any(axis=1)].sum()) for sites in tiny.site_sets(tiny.p))
    result = mclp(tiny.cost, SERVICE, tiny.p, weights=tiny.weights, fixed=tiny.fixed)
    assert result.optimal
    assert result.objective == pytest.approx(best, abs=1e-6)
    assert result.covered_weight == pytest.approx(best, abs=1e-6)
    assert len(result.sites) == tiny.p and set(tiny.fixed) <= set(result.sites)
    assert result.uncoverable == tuple(np.flatnonzero(~cover.any(axis=1)))


@settings(max_examples=80, deadline=None)
@given(tiny_instances())
def test_lscp_matches_enumeration(tiny: Tiny) -> None:
    cover = tiny.cost <= SERVICE
    need = (tiny.weights > 0) & cover.any(axis=1)
    best = next(
        size
        for size in range(len(tiny.fixed), tiny.cost.shape[1] + 1)
        if any(cover[need][:, sites].any(axis=1).all() for sites in tiny.site_sets(size))
    )
    result = lscp(tiny.cost, SERVICE, weights=tiny.weights, fixed=tiny.fixed)
    assert result.optimal
    assert result.objective == best == len(result.sites)
    assert set(tiny.fixed) <= set(result.sites)
    assert result.covered[need].all()
