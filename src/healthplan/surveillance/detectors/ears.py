"""EARS C1, C2 and C3 (CDC Early Aberration Reporting System) as R ``surveillance::earsC`` computes them.

For time point ``t`` with a baseline of ``b`` counts:

* C1 compares ``y_t`` with the mean and standard deviation of ``y_{t-b} .. y_{t-1}``;
* C2 does the same with a 2-step lag, baseline ``y_{t-b-2} .. y_{t-3}``;
* C3 uses the package's formula ``U_t = y_t + S2_t * (z - sum_{l=1,2} max(0, C2_{t-l} - 1))``, floored at 0,
  where ``C2_t = (y_t - mean2_t) / S2_t`` is the C2 statistic (this differs from the CDC's textbook C3).

The threshold of C1/C2 is ``mean + z * max(sd, min_sigma)`` with ``z = qnorm(1 - alpha)`` and the sample
standard deviation.  An alarm is raised when ``y_t > U_t``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from .result import DetectorResult, FloatArray, IndexArray, as_counts, make_alarm, positions

EarsMethod = Literal["C1", "C2", "C3"]

_DEFAULT_ALPHA: dict[str, float] = {"C1": 0.001, "C2": 0.001, "C3": 0.025}
_MAX_LAG = {"C1": 0, "C2": 2, "C3": 4}  # history needed beyond the baseline


def _baseline_stats(y: FloatArray, t: IndexArray, baseline: int, lag: int) -> tuple[FloatArray, FloatArray]:
    """Mean and sample sd of ``y[t-lag-baseline] .. y[t-lag-1]`` for every position in ``t``."""
    windows = y[(t - lag - baseline)[:, None] + np.arange(baseline)]
    return windows.mean(axis=1), windows.std(axis=1, ddof=1)


def ears(
    observed: ArrayLike,
    at: ArrayLike | None = None,
    *,
    method: EarsMethod = "C1",
    baseline: int = 7,
    alpha: float | None = None,
    min_sigma: float = 0.0,
) -> DetectorResult:
    """Run EARS C1, C2 or C3 on a count series.

    Args:
        observed: counts per day/week; NaN marks a missing count (its thresholds become NaN, as in R).
        at: 0-based positions to evaluate; default: every position with enough history
            (``baseline``, ``baseline + 2`` or ``baseline + 4`` earlier counts for C1, C2, C3).
        method: "C1", "C2" or "C3".
        baseline: number of past counts in the reference window (R requires at least 3).
        alpha: one-sided error level giving ``z = qnorm(1 - alpha)``; default 0.001 for C1/C2, 0.025 for C3.
        min_sigma: floor of the standard deviation, guarding against a zero sd in flat baselines.

    For C3 each position is computed from its own history; R's vectorised code agrees with this only for
    a contiguous ``at`` (the only kind it handles correctly).
    """
    if method not in _MAX_LAG:
        raise ValueError("method must be 'C1', 'C2' or 'C3'")
    if baseline < 3:
        raise ValueError("the minimum baseline is 3")
    if min_sigma < 0:
        raise ValueError("min_sigma must be non-negative")
    y = as_counts(observed)
    t = positions(at, y.size, baseline + _MAX_LAG[method])
    z = float(stats.norm.ppf(1.0 - (_DEFAULT_ALPHA[method] if alpha is None else alpha)))
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "C3":
            sd_t = np.maximum(_baseline_stats(y, t, baseline, 2)[1], min_sigma)
            penalty = np.zeros(t.size)
            for lag in (1, 2):
                mean_l, sd_l = _baseline_stats(y, t - lag, baseline, 2)
                c2 = (y[t - lag] - mean_l) / np.maximum(sd_l, min_sigma)
                penalty = penalty + np.maximum(0.0, c2 - 1.0)
            upper = np.maximum(0.0, y[t] + sd_t * (z - penalty))
        else:
            mean, sd = _baseline_stats(y, t, baseline, _MAX_LAG[method])
            upper = mean + z * np.maximum(sd, min_sigma)
    missing = np.isnan(upper) | np.isnan(y[t])
    return DetectorResult(t, y[t], upper, make_alarm(y[t] > upper, missing))
