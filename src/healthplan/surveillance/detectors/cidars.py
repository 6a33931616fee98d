"""CIDARS (China Infectious Disease Automated-alert and Response System) early-warning methods.

Moving-percentile method, on a daily series: the count of the latest ``window`` (7) days ending on day ``d``
is compared with the percentile ``Px`` of the counts of 7-day blocks in each of the previous ``years``
years: the block ending on the same calendar date (29 February maps to 28 February), and ``neighbours``
blocks on each side of it, directly before and after (so 3 years x 3 blocks = 9 values by default).
Blocks may cross the turn of the year.  The percentile uses linear interpolation between order statistics
(R's ``quantile`` type 7, numpy's default ``"linear"``): with ``m`` sorted values ``v_0 <= ... <= v_{m-1}``,
``P = v_j + f (v_{j+1} - v_j)`` where ``j + f = (x / 100) (m - 1)``.  An alarm needs the current count to
be strictly greater than the percentile, so a count equal to it does not signal.  ``min_cases`` (default
0: none) also asks for at least that many cases in the block — on sparse series (a township's few cases
a week) Px of mostly-empty history blocks is 0 or 1 and a lone pair of cases would signal; Farrington's
``limit54`` plays the same part.

Fixed-threshold method, for class-A and similar diseases: an alarm on every day with at least ``threshold``
(1) cases.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from .result import DetectorResult, as_counts, make_alarm, positions


def _same_date_years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return dt.date(day.year - years, 2, 28)


def cidars_percentile(
    counts: ArrayLike,
    start: dt.date,
    at: ArrayLike | None = None,
    *,
    percentile: float = 80.0,
    years: int = 3,
    neighbours: int = 1,
    window: int = 7,
    min_cases: float = 0.0,
) -> DetectorResult:
    """Moving-percentile alarms for a daily series.

    Args:
        counts: daily case counts for consecutive days starting on ``start``; NaN marks a missing day.
        start: the date of ``counts[0]``.
        at: 0-based days to evaluate; default: every day from the first complete window on.
        percentile: the ``Px`` of the historical block counts used as threshold (0-100).
        years: how many previous years give historical blocks (``N``).
        neighbours: blocks taken on each side of the same-date block in every year.
        window: block length in days.
        min_cases: the fewest cases in the current block that may signal (0: no minimum); the threshold
            reported stays Px.

    ``observed`` in the result is the moving ``window``-day count; the threshold is NaN (alarm masked)
    where any historical block reaches before the series start or contains a missing day.
    """
    if not 0.0 <= percentile <= 100.0:
        raise ValueError("percentile must lie in [0, 100]")
    if years < 1 or neighbours < 0 or window < 1:
        raise ValueError("need years >= 1, neighbours >= 0 and window >= 1")
    if (2 * neighbours + 1) * window > 365:
        raise ValueError("the blocks taken around one date must span less than a year")
    if min_cases < 0:
        raise ValueError("min_cases must be non-negative")
    y = as_counts(counts)
    t = positions(at, y.size, window - 1)
    block = np.full(y.size, np.nan)  # block[e]: the count of the window ending on day e
    if y.size >= window:
        block[window - 1 :] = sliding_window_view(y, window).sum(axis=1)
    offsets = window * np.arange(-neighbours, neighbours + 1)
    upper = np.full(t.size, np.nan)
    for i, day_index in enumerate(t):
        day = start + dt.timedelta(days=int(day_index))
        anchors = [(_same_date_years_back(day, n) - start).days for n in range(1, years + 1)]
        ends = (np.array(anchors)[:, None] + offsets).ravel()
        if ends.min() >= window - 1:
            history = block[ends]
            if not np.isnan(history).any():
                upper[i] = np.percentile(history, percentile)
    current = block[t]
    missing = np.isnan(upper) | np.isnan(current)
    return DetectorResult(t, current, upper, make_alarm((current > upper) & (current >= min_cases), missing))


def cidars_fixed(counts: ArrayLike, at: ArrayLike | None = None, *, threshold: float = 1.0) -> DetectorResult:
    """Fixed-threshold alarms: a signal on every day with at least ``threshold`` cases.

    ``upperbound`` holds ``threshold``; unlike the other detectors the alarm rule is ``count >= threshold``.
    Missing days (NaN) have a masked alarm.
    """
    y = as_counts(counts)
    t = positions(at, y.size, 0)
    observed = y[t]
    alarm = make_alarm(observed >= threshold, np.isnan(observed))
    return DetectorResult(t, observed, np.full(t.size, float(threshold)), alarm)
