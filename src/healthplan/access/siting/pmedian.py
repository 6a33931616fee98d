"""p-median: open ``p`` sites minimising total demand-weighted distance to the nearest open site.

Why: the classic efficiency model for placing health facilities (Hakimi 1964; ReVelle & Swain 1970).  The
textbook "strong" formulation needs an assignment variable per demand-candidate pair; instead we use the
distance-level ("radius") formulation of Cornuéjols, Nemhauser & Wolsey (1980) in the compact form studied by
Elloumi (2010, "A tighter formulation of the p-median problem", J. Comb. Optim. 19:69-83).  For demand ``i``
let ``D_i^1 < D_i^2 < ...`` be its distinct finite distances to candidates and ``z_i^k = 1`` when no open site
lies within ``D_i^k``::

    min  sum_i w_i (D_i^1 + sum_k (D_i^{k+1} - D_i^k) z_i^k)
    s.t. z_i^1 + sum_{j: d_ij = D_i^1} y_j >= 1
         z_i^k - z_i^{k-1} + sum_{j: d_ij = D_i^k} y_j >= 0      (k = 2..K_i, with z_i^{K_i} = 0)
         sum_j y_j = p,  y binary,  z >= 0 continuous.

Written with consecutive-level differences each ``y_j`` appears once per demand point, so the matrix has
O(n m) nonzeros, and there is one ``z`` per distinct distance rather than one ``x`` per pair.  Its LP bound
equals the strong formulation's (``z_i^k`` is one minus the share of ``i`` assigned within ``D_i^k``).
Elloumi's reduction stops demand ``i`` at level ``K_i``, the first distance within which some site is surely
open: ``m - p + 1`` candidates (at most ``m - p`` can be closed) or a fixed site.  Integer distances, as in
OR-Library, give few levels.  Before the model is built, a Lagrangian bound (``reduction.py``) shuts the
candidates no solution better than the warm start can use and opens those every such solution needs; only the
rest enter the model.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from healthplan.access.siting._highs import Mip, SolverOptions, solve
from healthplan.access.siting._inputs import Instance, check_p, prepare
from healthplan.access.siting._warm import greedy_median, swap_median
from healthplan.access.siting.reduction import Reduction, lagrangian_reduction
from healthplan.access.siting.result import SitingResult, build_result, solution_objective

# The swap-improved warm start is already a strong incumbent, so HiGHS's own primal heuristics mostly cost time
# here (about half the solve time on OR-Library pmed6/16/17); and once the Lagrangian reduction has removed most
# candidates, HiGHS's presolve finds little more at a cost (pmed6/12/17/22: 1.5-2x faster without it).
# ``options.highs`` can switch either back on.
HIGHS_DEFAULTS: dict[str, bool | int | float | str] = {
    "presolve": "off",
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_root_reduced_cost": False,
}

FORMULATION = (
    "distance-level formulation (Cornuejols, Nemhauser & Wolsey 1980; Elloumi 2010) with consecutive-level "
    "differences and levels cut at the (m-p+1)-th nearest candidate or the nearest fixed site; candidates fixed "
    "beforehand by a Lagrangian bound against the warm start"
)


def p_median(
    cost: ArrayLike,
    p: int,
    *,
    weights: ArrayLike | None = None,
    fixed: Iterable[int] = (),
    service_distance: float = np.inf,
    options: SolverOptions | None = None,
) -> SitingResult:
    """Open exactly ``p`` sites (fixed ones included) minimising the weighted cost to the nearest open site.

    ``service_distance`` only affects the coverage report (``covered``/``covered_weight``), not the choice.
    Every positive-weight demand point must reach at least one candidate (finite cost).
    """
    started = time.perf_counter()
    instance = prepare(cost, weights, fixed)
    check_p(instance, p)
    if p < 1:
        raise ValueError("p-median needs p >= 1")
    served = np.flatnonzero(instance.weights > 0)
    stranded = served[~np.isfinite(instance.cost[served]).any(axis=1)]
    if stranded.size:
        raise ValueError(f"demand points {stranded.tolist()} have positive weight but reach no candidate")
    served_cost, served_weight = instance.cost[served], instance.weights[served]
    warm = greedy_median(served_cost, served_weight, instance.fixed_mask(), p)
    if np.isfinite(served_weight @ served_cost[:, warm].min(axis=1)):
        warm = swap_median(served_cost, served_weight, warm, ~instance.fixed_mask())
    reduction = lagrangian_reduction(served_weight[:, None] * served_cost, instance.fixed_mask(), p,
                                     float(served_weight @ served_cost[:, warm].min(axis=1)))
    if reduction.closed[warm].any() or not warm[reduction.opened].all():  # rounding: keep the model whole
        reduction = Reduction(np.zeros_like(warm), np.zeros_like(warm), reduction.lower_bound)
    mip, start = _level_model(instance, served, p, warm, reduction)
    chosen = options or SolverOptions()
    outcome = solve(mip, start, replace(chosen, highs={**HIGHS_DEFAULTS, **chosen.highs}))
    return build_result(
        model="p-median",
        formulation=FORMULATION,
        instance=instance,
        service_distance=service_distance,
        outcome=outcome,
        warm_start_objective=solution_objective("p-median", instance, warm, service_distance),
        started=started,
    )


def _level_model(
    instance: Instance, served: NDArray[np.intp], p: int, warm: NDArray[np.bool_], reduction: Reduction
) -> tuple[Mip, NDArray[np.float64]]:
    """Build the distance-level MIP over the candidates the reduction left open to choice, and the column
    vector of the warm start ``warm``."""
    m = instance.n_candidates
    is_fixed = instance.fixed_mask() | reduction.opened
    usable = ~reduction.closed
    m_usable = int(usable.sum())
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    vals: list[NDArray[np.float64]] = []
    z_cost: list[NDArray[np.float64]] = []
    z_start: list[NDArray[np.float64]] = []
    row_lower: list[NDArray[np.float64]] = []
    offset = 0.0
    n_row, n_col = 0, m
    for i in served:
        dist = instance.cost[i]
        weight = float(instance.weights[i])
        cand = np.flatnonzero(np.isfinite(dist) & usable)
        levels, level_of = np.unique(dist[cand], return_inverse=True)
        level_of = level_of.reshape(-1)
        n_levels = min(levels.size, int(np.searchsorted(np.cumsum(np.bincount(level_of)), m_usable - p + 1)) + 1)
        near_fixed = cand[is_fixed[cand]]
        if near_fixed.size:
            n_levels = min(n_levels, int(np.searchsorted(levels, dist[near_fixed].min())) + 1)
        keep = level_of < n_levels
        n_z = n_levels - 1
        z_index = np.arange(n_z, dtype=np.int64)
        rows += [n_row + level_of[keep], n_row + z_index, n_row + z_index + 1]
        cols += [cand[keep].astype(np.int64), n_col + z_index, n_col + z_index]
        vals += [np.ones(int(keep.sum())), np.ones(n_z), -np.ones(n_z)]
        z_cost.append(weight * np.diff(levels[:n_levels]))
        row_lower.append(np.concatenate([[1.0], np.zeros(n_z)]))
        offset += weight * float(levels[0])
        open_by_level = np.cumsum(np.bincount(level_of[keep], weights=warm[cand[keep]], minlength=n_levels))
        z_start.append((open_by_level[:n_z] < 0.5).astype(np.float64))
        n_row += n_levels
        n_col += n_z
    n_z_total = n_col - m
    # last row: sum_j y_j = p
    rows.append(np.full(m, n_row, dtype=np.int64))
    cols.append(np.arange(m, dtype=np.int64))
    vals.append(np.ones(m))
    row_lower.append(np.array([float(p)]))
    lower_rows = np.concatenate(row_lower)
    upper_rows = np.full(n_row + 1, np.inf)
    upper_rows[-1] = float(p)
    mip = Mip(
        cost=np.concatenate([np.zeros(m), *z_cost]),
        lower=np.concatenate([is_fixed.astype(np.float64), np.zeros(n_z_total)]),
        upper=np.concatenate([usable.astype(np.float64), np.full(n_z_total, np.inf)]),
        integer=np.concatenate([np.ones(m, dtype=np.bool_), np.zeros(n_z_total, dtype=np.bool_)]),
        row_lower=lower_rows,
        row_upper=upper_rows,
        rows=np.concatenate(rows),
        cols=np.concatenate(cols),
        values=np.concatenate(vals),
        offset=offset,
    )
    start = np.concatenate([warm.astype(np.float64), *z_start])
    return mip, start
