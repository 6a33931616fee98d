"""Location set covering problem (LSCP, Toregas et al. 1971).

Why: answers "how few facilities, in addition to the ones we already have, put every resident within the
service standard (e.g. 5 km to an emergency station)?"  Demand points no candidate can reach within the
standard are reported in ``uncoverable`` and left out of the model instead of making it infeasible.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike

from healthplan.access.siting._highs import Mip, SolverOptions, solve
from healthplan.access.siting._inputs import prepare, within
from healthplan.access.siting._warm import greedy_set_cover
from healthplan.access.siting.result import SitingResult, build_result

FORMULATION = "set covering: min sum y_j s.t. sum_{j: d_ij<=S} y_j >= 1 per distinct coverage set; y binary"


def lscp(
    cost: ArrayLike,
    service_distance: float,
    *,
    weights: ArrayLike | None = None,
    fixed: Iterable[int] = (),
    options: SolverOptions | None = None,
) -> SitingResult:
    """Fewest open sites (fixed ones included and kept open) covering every coverable positive-weight demand.

    A demand point is covered when ``cost[i, j] <= service_distance`` for an open site ``j``.  Points with zero
    weight do not force a site.  ``objective`` is the total number of open sites.
    """
    started = time.perf_counter()
    instance = prepare(cost, weights, fixed)
    cover = within(instance.cost, service_distance)
    is_fixed = instance.fixed_mask()
    m = instance.n_candidates
    need = (instance.weights > 0) & cover.any(axis=1) & ~cover[:, is_fixed].any(axis=1)
    # Demand points with the same coverage set give the same constraint; keep one of each.
    sets = np.unique(cover[need], axis=0) if need.any() else np.zeros((0, m), dtype=np.bool_)
    rows, cols = np.nonzero(sets)
    mip = Mip(
        cost=np.ones(m),
        lower=is_fixed.astype(np.float64),
        upper=np.ones(m),
        integer=np.ones(m, dtype=np.bool_),
        row_lower=np.ones(sets.shape[0]),
        row_upper=np.full(sets.shape[0], np.inf),
        rows=rows.astype(np.int64),
        cols=cols.astype(np.int64),
        values=np.ones(rows.shape[0]),
    )
    warm = greedy_set_cover(cover, need, is_fixed)
    outcome = solve(mip, warm.astype(np.float64), options or SolverOptions())
    return build_result(
        model="LSCP",
        formulation=FORMULATION,
        instance=instance,
        service_distance=service_distance,
        outcome=outcome,
        warm_start_objective=float(warm.sum()),
        started=started,
    )
