"""Poisson CUSUM on standardised counts, as R ``surveillance::cusum`` with ``trans = "standard"``.

The in-control mean ``m`` is the mean of all counts before the first evaluated position (R's ``m = NULL``).
Each count is standardised to ``x_t = (y_t - m) / sqrt(m)`` and accumulated as
``C_t = max(0, C_{t-1} + x_t - k)`` from ``C = 0`` before the first evaluated position.  An alarm is raised
when ``C_t >= h``; the statistic is not reset after an alarm.  The reported upper bound is the smallest
count that raises an alarm, ``ceiling(sqrt(m) * (h + k - C_{t-1}) + m)``, set to 0 where negative or NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .result import DetectorResult, FloatArray, as_counts, make_alarm, positions


@dataclass(frozen=True, eq=False)
class CusumResult(DetectorResult):
    """``cusum`` holds ``C_t`` (NaN where R's is NaN) and ``m`` the in-control mean (NaN if nothing was
    monitored)."""

    cusum: FloatArray
    m: float


def cusum(
    observed: ArrayLike,
    at: ArrayLike | None = None,
    *,
    k: float = 1.04,
    h: float = 2.26,
    m: float | None = None,
) -> CusumResult:
    """Run the standardised Poisson CUSUM over the positions ``at``.

    Args:
        observed: counts; NaN marks a missing count.
        at: 0-based positions to monitor, consecutive in practice; default: 1 .. n-1.
        k: reference value (allowance) subtracted from each standardised count.
        h: decision interval; an alarm is raised when the CUSUM reaches it.
        m: in-control mean; default: the mean of the counts before the first monitored position.
    """
    y = as_counts(observed)
    t = positions(at, y.size, 1 if m is None else 0)
    history = y[: t[0]] if t.size else np.array([np.nan])
    mean = float(np.mean(history)) if m is None else m
    with np.errstate(divide="ignore", invalid="ignore"):
        standardised = (y[t] - mean) / np.sqrt(mean)
    statistic = np.empty(t.size)
    previous = 0.0
    for i, x in enumerate(standardised):
        # max(0, NaN) is NaN in R: once undefined the CUSUM stays undefined, as there.
        step = previous + x - k
        previous = step if np.isnan(step) else max(0.0, step)
        statistic[i] = previous
    before = np.concatenate(([0.0], statistic))[:-1]
    with np.errstate(invalid="ignore"):
        upper = np.ceil(np.sqrt(mean) * (h + k - before) + mean)
    upper[np.isnan(upper) | (upper < 0)] = 0.0
    missing = np.isnan(statistic)
    return CusumResult(t, y[t], upper, make_alarm(statistic >= h, missing), statistic, mean)
