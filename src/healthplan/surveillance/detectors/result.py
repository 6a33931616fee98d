"""The result type shared by the detectors and the handling of the evaluated positions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.intp]
AlarmArray = np.ma.MaskedArray[Any, np.dtype[np.bool_]]


@dataclass(frozen=True, eq=False)
class DetectorResult:
    """Per evaluated time point: position, observation, threshold and alarm.

    ``index`` holds 0-based positions into the input series (R's ``control$range`` minus one).
    ``upperbound`` is NaN and ``alarm`` masked wherever R reports NA.
    """

    index: IndexArray
    observed: FloatArray
    upperbound: FloatArray
    alarm: AlarmArray


def as_counts(observed: ArrayLike) -> FloatArray:
    """A count series as a 1-D float array; NaN marks a missing count."""
    y = np.asarray(observed, dtype=np.float64)
    if y.ndim != 1:
        raise ValueError("the series must be one-dimensional")
    return y


def positions(at: ArrayLike | None, n: int, first: int) -> IndexArray:
    """Validate the 0-based positions to evaluate, sorted ascending; ``None`` means ``first .. n-1``.

    ``first`` is the earliest position with enough history, as R's default ``range`` starts there.
    """
    if at is None:
        return np.arange(first, n, dtype=np.intp)
    idx = np.sort(np.atleast_1d(np.asarray(at)))
    if idx.size and not np.issubdtype(idx.dtype, np.integer):
        raise TypeError("positions must be integers")
    idx = idx.astype(np.intp)
    if idx.size and (idx[0] < first or idx[-1] >= n):
        raise ValueError(f"positions must lie in [{first}, {n - 1}]: the series is too short")
    if np.any(np.diff(idx) == 0):
        raise ValueError("positions must be distinct")
    return idx


def make_alarm(alarm: NDArray[np.bool_], missing: NDArray[np.bool_]) -> AlarmArray:
    """Alarms as a masked array, masked where R reports NA."""
    return np.ma.MaskedArray(alarm & ~missing, mask=missing.copy())
