"""Enhanced two-step floating catchment area (E2SFCA) accessibility scores (Luo & Qi 2009).

Why: a radius standard says only whether someone is near *a* facility; E2SFCA also weighs how much supply
(beds, doctors) is reachable and how many others compete for it. Step 1 gives each facility ``j`` a
supply-to-demand ratio ``R_j = S_j / Σ_i P_i w(d_ij)``; step 2 sums the ratios a point can reach,
``A_i = Σ_j R_j w(d_ij)``. The weight ``w`` is a step function of travel cost by catchment zone — the
default zones 0–10, 10–20, 20–30 (minutes) weigh 1, 0.68 and 0.22 — and is 0 beyond the last zone. This is
the definition PySAL ``access`` uses (``Access.enhanced_two_stage_fca``), which the tests check against.
A facility nobody reaches gets ratio 0 (PySAL leaves it undefined).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

# (upper bound of the zone, weight); a cost equal to a bound belongs to that zone
DEFAULT_ZONES: tuple[tuple[float, float], ...] = ((10.0, 1.0), (20.0, 0.68), (30.0, 0.22))


def step_weights(cost: ArrayLike, zones: Sequence[tuple[float, float]] = DEFAULT_ZONES) -> NDArray[np.float64]:
    """The zone weight of every cost (0 beyond the last zone or for an unreachable, ``inf``, pair)."""
    bounds = sorted(zones)
    if not bounds or any(w < 0 for _, w in bounds) or any(b < 0 for b, _ in bounds):
        raise ValueError("zones need non-negative bounds and weights")
    values = np.asarray(cost, dtype=np.float64)
    weights = np.zeros_like(values)
    assigned = np.zeros(values.shape, dtype=np.bool_)
    for bound, weight in bounds:
        here = ~assigned & (values <= bound)
        weights[here] = weight
        assigned |= here
    return weights


def e2sfca(cost: ArrayLike, demand: ArrayLike, supply: ArrayLike,
           zones: Sequence[tuple[float, float]] = DEFAULT_ZONES) -> NDArray[np.float64]:
    """Accessibility score of every demand point: reachable supply per person (multiply by 1000 for per-1000)."""
    matrix = np.asarray(cost, dtype=np.float64)
    people = np.asarray(demand, dtype=np.float64).reshape(-1)
    capacity = np.asarray(supply, dtype=np.float64).reshape(-1)
    if matrix.shape != (people.size, capacity.size):
        raise ValueError(f"cost matrix {matrix.shape} does not match {people.size} demand × {capacity.size} supply")
    if (people < 0).any() or (capacity < 0).any():
        raise ValueError("demand and supply must be non-negative")
    weight = step_weights(matrix, zones)
    reached = people @ weight
    ratio = np.divide(capacity, reached, out=np.zeros_like(capacity), where=reached > 0)
    return np.asarray(weight @ ratio, dtype=np.float64)
