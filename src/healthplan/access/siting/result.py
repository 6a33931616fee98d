"""The answer every siting model returns.

Why: planners compare LSCP, MCLP and p-median runs side by side, so all three report the same things: how the
solver ended (status, MIP gap, bound, time), which sites are open (existing vs new), where each demand point is
served and whether it lies within the service standard.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from healthplan.access.siting._highs import MipOutcome
from healthplan.access.siting._inputs import Instance, within

ModelName = Literal["LSCP", "MCLP", "p-median"]


@dataclass(frozen=True, eq=False)
class SitingResult:
    """Outcome of one exact siting solve.

    ``objective`` is recomputed from the chosen sites (number of sites for LSCP, covered weight for MCLP, total
    weighted cost for p-median); ``dual_bound`` and ``mip_gap`` are HiGHS's proof of how far from optimal it can
    be.  ``assignment[i]`` is the nearest open candidate for demand ``i`` (``-1`` if none is reachable) and
    ``covered[i]`` says whether that cost is within ``service_distance``.  ``uncoverable`` lists demand points
    no candidate at all can cover, so no choice of sites could help them.
    """

    model: ModelName
    formulation: str
    status: str
    optimal: bool
    objective: float
    dual_bound: float
    mip_gap: float
    solve_seconds: float
    total_seconds: float
    sites: tuple[int, ...]
    new_sites: tuple[int, ...]
    fixed_sites: tuple[int, ...]
    assignment: NDArray[np.intp]
    assigned_cost: NDArray[np.float64]
    service_distance: float
    covered: NDArray[np.bool_]
    covered_weight: float
    total_weight: float
    uncoverable: tuple[int, ...]
    warm_start_objective: float

    @property
    def n_uncovered(self) -> int:
        """Demand points outside the service standard in this solution."""
        return int((~self.covered).sum())

    @property
    def covered_share(self) -> float:
        """Share of total demand weight within the service standard."""
        return self.covered_weight / self.total_weight if self.total_weight > 0 else 1.0


def nearest_open(
    cost: NDArray[np.float64], is_open: NDArray[np.bool_]
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Index of and cost to the nearest open candidate for every demand point (``-1``/``inf`` if none)."""
    open_idx = np.flatnonzero(is_open)
    if open_idx.size == 0:
        return np.full(cost.shape[0], -1, dtype=np.intp), np.full(cost.shape[0], np.inf)
    sub = cost[:, open_idx]
    best = np.argmin(sub, axis=1)
    best_cost = sub[np.arange(cost.shape[0]), best]
    assignment = np.where(np.isfinite(best_cost), open_idx[best], -1).astype(np.intp)
    return assignment, best_cost


def build_result(
    *,
    model: ModelName,
    formulation: str,
    instance: Instance,
    service_distance: float,
    outcome: MipOutcome,
    warm_start_objective: float,
    started: float,
) -> SitingResult:
    """Assemble a :class:`SitingResult` from the site columns (the first ``m``) of the HiGHS solution."""
    if outcome.values is None:
        mask = np.zeros(instance.n_candidates, dtype=np.bool_)
        objective = float("nan")
    else:
        mask = np.asarray(outcome.values[: instance.n_candidates] > 0.5, dtype=np.bool_)
        objective = solution_objective(model, instance, mask, service_distance)
    assignment, assigned_cost = nearest_open(instance.cost, mask)
    covered = within(assigned_cost, service_distance)
    fixed = instance.fixed_mask()
    return SitingResult(
        model=model,
        formulation=formulation,
        status=outcome.status,
        optimal=outcome.optimal,
        objective=objective,
        dual_bound=outcome.dual_bound,
        mip_gap=outcome.mip_gap,
        solve_seconds=outcome.seconds,
        total_seconds=time.perf_counter() - started,
        sites=tuple(int(j) for j in np.flatnonzero(mask)),
        new_sites=tuple(int(j) for j in np.flatnonzero(mask & ~fixed)),
        fixed_sites=tuple(int(j) for j in instance.fixed),
        assignment=assignment,
        assigned_cost=assigned_cost,
        service_distance=float(service_distance),
        covered=covered,
        covered_weight=float(instance.weights[covered].sum()),
        total_weight=float(instance.weights.sum()),
        uncoverable=tuple(
            int(i) for i in np.flatnonzero(~within(instance.cost, service_distance).any(axis=1))
        ),
        warm_start_objective=warm_start_objective,
    )


def solution_objective(
    model: ModelName, instance: Instance, is_open: NDArray[np.bool_], service_distance: float
) -> float:
    """The model's objective for a given set of open sites, computed directly rather than read from HiGHS."""
    if model == "LSCP":
        return float(is_open.sum())
    _, assigned_cost = nearest_open(instance.cost, is_open)
    if model == "MCLP":
        return float(instance.weights[within(assigned_cost, service_distance)].sum())
    served = instance.weights > 0
    return float(instance.weights[served] @ assigned_cost[served])
