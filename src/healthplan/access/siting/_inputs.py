"""Validation shared by the siting models.

Why: the MIP builders assume a clean non-negative cost matrix, non-negative weights and a valid set of fixed
(existing) sites; checking once here keeps every model's errors identical and early.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True, eq=False)
class Instance:
    """A validated location instance: ``cost[i, j]`` from demand ``i`` to candidate ``j``."""

    cost: NDArray[np.float64]
    weights: NDArray[np.float64]
    fixed: NDArray[np.intp]

    @property
    def n_candidates(self) -> int:
        return int(self.cost.shape[1])

    def fixed_mask(self) -> NDArray[np.bool_]:
        """Boolean mask over candidates of the sites that must stay open."""
        mask = np.zeros(self.n_candidates, dtype=np.bool_)
        mask[self.fixed] = True
        return mask


def prepare(cost: ArrayLike, weights: ArrayLike | None, fixed: Iterable[int]) -> Instance:
    """Check and normalise the common inputs; ``inf`` cost means "cannot reach"."""
    matrix = np.array(cost, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("cost must be a 2-D demand-by-candidate matrix")
    n_demand, n_candidates = matrix.shape
    if n_candidates == 0:
        raise ValueError("at least one candidate site is needed")
    if np.isnan(matrix).any() or (matrix < 0).any():
        raise ValueError("costs must be non-negative (inf marks an unreachable pair)")
    if weights is None:
        weight = np.ones(n_demand, dtype=np.float64)
    else:
        weight = np.array(weights, dtype=np.float64).reshape(-1)
        if weight.shape[0] != n_demand:
            raise ValueError(f"{weight.shape[0]} weights for {n_demand} demand points")
        if not np.isfinite(weight).all() or (weight < 0).any():
            raise ValueError("weights must be finite and non-negative")
    fixed_sites = np.array(sorted(set(int(j) for j in fixed)), dtype=np.intp)
    if fixed_sites.size and (fixed_sites[0] < 0 or fixed_sites[-1] >= n_candidates):
        raise ValueError(f"fixed site outside 0..{n_candidates - 1}")
    return Instance(cost=matrix, weights=weight, fixed=fixed_sites)


def check_p(instance: Instance, p: int) -> None:
    """``p`` counts all open sites, fixed ones included, so it must lie between ``len(fixed)`` and ``m``."""
    if not instance.fixed.size <= p <= instance.n_candidates:
        raise ValueError(
            f"p={p} must lie between the number of fixed sites ({instance.fixed.size}) "
            f"and the number of candidates ({instance.n_candidates})"
        )


def within(cost: NDArray[np.float64], service_distance: float) -> NDArray[np.bool_]:
    """Which pairs are within the standard; an unreachable (``inf``) pair never is, even for ``S = inf``."""
    return np.asarray(np.isfinite(cost) & (cost <= service_distance), dtype=np.bool_)
