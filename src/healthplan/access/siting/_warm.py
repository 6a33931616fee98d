"""Greedy constructions (and a swap local search for p-median) used only as MIP warm starts.

Why: handing HiGHS a good incumbent before branching lets it prune, and fix variables by reduced cost, from
the first node; a heuristic answer is never returned as a result on its own.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def greedy_set_cover(
    cover: NDArray[np.bool_], need: NDArray[np.bool_], is_open: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Open the site covering most still-uncovered needed rows until every coverable needed row is covered."""
    chosen = is_open.copy()
    left = need & ~cover[:, chosen].any(axis=1) & cover.any(axis=1)
    while left.any():
        gain = cover[left].sum(axis=0)
        gain[chosen] = -1
        best = int(np.argmax(gain))
        chosen[best] = True
        left &= ~cover[:, best]
    return chosen


def greedy_max_cover(
    cover: NDArray[np.bool_], weights: NDArray[np.float64], is_open: NDArray[np.bool_], p: int
) -> NDArray[np.bool_]:
    """Add the site with the largest newly covered weight until ``p`` sites are open."""
    chosen = is_open.copy()
    uncovered = ~cover[:, chosen].any(axis=1)
    while int(chosen.sum()) < p:
        gain = weights[uncovered] @ cover[uncovered]
        gain[chosen] = -np.inf
        best = int(np.argmax(gain))
        chosen[best] = True
        uncovered &= ~cover[:, best]
    return chosen


def greedy_median(
    cost: NDArray[np.float64], weights: NDArray[np.float64], is_open: NDArray[np.bool_], p: int
) -> NDArray[np.bool_]:
    """Add the site that lowers total weighted cost most until ``p`` sites are open (weights must be > 0)."""
    chosen = is_open.copy()
    nearest = cost[:, chosen].min(axis=1) if chosen.any() else np.full(cost.shape[0], np.inf)
    while int(chosen.sum()) < p:
        closed = np.flatnonzero(~chosen)
        total = weights @ np.minimum(nearest[:, None], cost[:, closed])
        best = int(closed[np.argmin(total)])
        chosen[best] = True
        nearest = np.minimum(nearest, cost[:, best])
    return chosen


def swap_median(
    cost: NDArray[np.float64],
    weights: NDArray[np.float64],
    is_open: NDArray[np.bool_],
    movable: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Improve a p-median solution by best-improvement swaps (Teitz & Bart 1968, Whitaker's fast interchange).

    Only ``movable`` open sites may close.  Swapping in ``j`` for ``r`` changes the cost by
    ``-gain[j] + loss[j, r]``: ``gain`` is what ``j`` saves demand nearer to it than to its current site, and
    ``loss`` is the extra cost for the demand of ``r`` that ``j`` does not serve better, which must fall back to
    ``min(d_ij, second nearest)``.  Weights must be > 0 and every demand point must reach an open site.
    """
    chosen = is_open.copy()
    rows = np.arange(cost.shape[0])
    while True:
        open_idx = np.flatnonzero(chosen)
        leaving = np.flatnonzero(chosen & movable)
        entering = np.flatnonzero(~chosen)
        if leaving.size == 0 or entering.size == 0:
            return chosen
        sub = cost[:, open_idx]
        order = np.argsort(sub, axis=1)
        near = open_idx[order[:, 0]]
        d1 = sub[rows, order[:, 0]]
        d2 = sub[rows, order[:, 1]] if open_idx.size > 1 else np.full(cost.shape[0], np.inf)
        cand = cost[:, entering]
        gain = weights @ np.maximum(d1[:, None] - cand, 0.0)
        fallback = weights[:, None] * np.maximum(np.minimum(cand, d2[:, None]) - d1[:, None], 0.0)
        # Summed per leaving site with a mask (not a 0/1 matrix product, where inf * 0 would give nan).
        loss = np.stack([fallback[near == r].sum(axis=0) for r in leaving], axis=1)
        delta = loss - gain[:, None]
        j, r = np.unravel_index(int(np.argmin(delta)), delta.shape)
        if delta[j, r] >= -1e-9 * max(1.0, float(weights @ d1)):
            return chosen
        chosen[entering[j]] = True
        chosen[leaving[r]] = False
