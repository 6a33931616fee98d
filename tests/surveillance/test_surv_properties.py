"""Invariants of the detectors on arbitrary count series (hypothesis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from healthplan.surveillance.detectors import (
    FARRINGTON_NOUFAILY,
    FARRINGTON_ORIGINAL,
    DetectorResult,
    EarsMethod,
    FarringtonControl,
    cidars_fixed,
    cidars_percentile,
    cusum,
    ears,
    farrington,
    farrington_noufaily,
)


def counts(min_size: int, max_size: int, max_value: int = 60) -> st.SearchStrategy[np.ndarray]:
    return st.lists(st.integers(0, max_value), min_size=min_size, max_size=max_size).map(
        lambda values: np.array(values, dtype=float)
    )


def check_common(result: DetectorResult) -> None:
    """Non-negative thresholds; an alarm is masked exactly where the threshold is missing."""
    finite = ~np.isnan(result.upperbound)
    assert np.all(result.upperbound[finite] >= 0)
    np.testing.assert_array_equal(result.alarm.mask, ~finite)


@given(counts(12, 80), st.sampled_from(["C1", "C2", "C3"]), st.floats(0.001, 0.2))
def test_ears_alarm_iff_above_threshold(y: np.ndarray, method: EarsMethod, alpha: float) -> None:
    result = ears(y, method=method, alpha=alpha, min_sigma=0.5)
    check_common(result)
    assert not result.alarm.mask.any()  # min_sigma > 0 keeps every threshold defined
    np.testing.assert_array_equal(result.alarm.filled(False), result.observed > result.upperbound)


@given(st.integers(12, 60), st.sampled_from(["C1", "C2", "C3"]))
def test_ears_zeros(n: int, method: EarsMethod) -> None:
    result = ears(np.zeros(n), method=method)
    assert not result.alarm.any()
    if method != "C3":  # R's C3 divides 0 by a zero sd: NaN, i.e. NA
        np.testing.assert_array_equal(result.upperbound, 0.0)


@given(counts(2, 80), st.floats(0.0, 3.0), st.floats(0.5, 6.0))
def test_cusum_invariants(y: np.ndarray, k: float, h: float) -> None:
    y[0] += 1  # a positive in-control mean
    result = cusum(y, np.arange(1, y.size), k=k, h=h)
    check_common(result)
    assert np.all(result.cusum >= 0)
    np.testing.assert_array_equal(result.alarm.filled(False), result.cusum >= h)
    np.testing.assert_array_equal(result.upperbound, np.ceil(result.upperbound))
    # the upper bound is the smallest count that raises an alarm
    np.testing.assert_array_equal(result.alarm.filled(False), result.observed >= result.upperbound)


@given(st.integers(2, 40))
def test_cusum_zeros_do_not_crash(n: int) -> None:
    result = cusum(np.zeros(n))
    assert result.alarm.mask.all()  # m = 0: R's standardised counts are 0/0
    np.testing.assert_array_equal(result.upperbound, 0.0)


WEEKS = 52 * 3 + 12


@settings(max_examples=25, deadline=None)
@given(counts(WEEKS, WEEKS, max_value=25), st.booleans())
def test_farrington_alarm_iff_above_threshold(y: np.ndarray, noufaily: bool) -> None:
    control = replace(FARRINGTON_NOUFAILY, b=3) if noufaily else FARRINGTON_ORIGINAL
    result = farrington(y, np.arange(WEEKS - 8, WEEKS), control, freq=52)
    finite = ~np.isnan(result.upperbound)
    assert np.all(result.upperbound[finite] >= 0)
    assert not result.alarm[~finite].any()
    expected = finite & (result.observed > result.upperbound) & (result.observed != 0)
    np.testing.assert_array_equal(result.alarm.filled(False), expected)


@settings(max_examples=10, deadline=None)
@given(st.sampled_from([FARRINGTON_ORIGINAL, FARRINGTON_NOUFAILY]), st.integers(0, 3))
def test_farrington_zeros_and_near_zeros_do_not_crash(control: FarringtonControl, ones: int) -> None:
    y = np.zeros(52 * 5 + 10)
    y[-ones - 1 : -1] = 1.0
    dates = np.datetime64("2015-01-05") + 7 * np.arange(y.size)
    result = farrington(y, np.arange(y.size - 4, y.size), control, dates=dates)
    assert not result.alarm.filled(False).any()


@settings(max_examples=40, deadline=None)
@given(counts(3 * 366 + 40, 3 * 366 + 60, max_value=5), st.floats(0, 100), st.integers(1, 2))
def test_cidars_threshold_within_history(y: np.ndarray, percentile: float, neighbours: int) -> None:
    start = dt.date(2019, 12, 1)
    result = cidars_percentile(y, start, [y.size - 1], percentile=percentile, years=2, neighbours=neighbours)
    check_common(result)
    assert not result.alarm.mask.any()
    assert bool(result.alarm[0]) == (result.observed[0] > result.upperbound[0])


@given(counts(0, 15))
def test_short_series_give_results_of_matching_shape(y: np.ndarray) -> None:
    results: list[DetectorResult] = [ears(y, method=method) for method in ("C1", "C2", "C3")]
    results += [
        cusum(y),
        farrington(y),
        farrington_noufaily(y),
        cidars_percentile(y, dt.date(2024, 1, 1)),
        cidars_fixed(y),
    ]
    for result in results:
        sizes = {result.index.size, result.observed.size, result.upperbound.size, result.alarm.size}
        assert len(sizes) == 1
