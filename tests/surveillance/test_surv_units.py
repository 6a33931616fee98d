"""Unit tests: the R package's own test vectors (tests/testthat of surveillance 1.20.3) and the pieces of
Farrington's method (GLM fit, weights, reference points, blocks) checked against R or by hand."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pytest

from healthplan.surveillance.detectors import (
    FARRINGTON_NOUFAILY,
    FARRINGTON_ORIGINAL,
    FarringtonControl,
    Threshold,
    cusum,
    ears,
    farrington,
    farrington_noufaily,
    fit_quasipoisson,
    threshold_delta,
    threshold_noufaily,
)
from healthplan.surveillance.detectors.farrington import (
    _blocks,
    _reference_positions,
    _window,
    reweighting_weights,
)
from tests.surveillance.surv_data import SALM, SALM_DATES


def as_tuple(t: Threshold) -> tuple[float, float, float, float]:
    return (t.lower, t.upper, t.prob, t.score)


# --- EARS -------------------------------------------------------------------------------------------


def test_ears_c1_2011_vector() -> None:
    """test-earsC.R: C1, alpha = 0.05, the ISO weeks of 2011 of salmNewport (states summed)."""
    iso_years = np.array([d.astype(dt.date).isocalendar()[0] for d in SALM_DATES])
    in2011 = np.flatnonzero(iso_years == 2011)
    result = ears(SALM, in2011, method="C1", alpha=0.05)
    np.testing.assert_allclose(result.upperbound[:4], [3.278854, 3.278854, 3.436517, 3.855617], atol=1e-6)


def test_ears_arguments_checked_as_in_r() -> None:
    with pytest.raises(ValueError, match="baseline"):
        ears(SALM, [527], baseline=2)
    with pytest.raises(ValueError, match="min_sigma"):
        ears(SALM, [527], min_sigma=-2)
    with pytest.raises(ValueError, match="too short"):
        ears(SALM, np.arange(365, 417), baseline=1500)


def test_ears_default_range_as_in_r() -> None:
    """test-earsC.R: with baseline 10 the default range leaves out the first 10 points."""
    assert ears(SALM, method="C1", baseline=10).index.size == SALM.size - 10
    assert ears(SALM, method="C2").index[0] == 9
    assert ears(SALM, method="C3").index[0] == 11


def test_ears_c1_by_hand() -> None:
    y = np.array([1, 2, 3, 4, 5, 6, 7, 20], dtype=float)
    result = ears(y, [7], alpha=0.05)
    expected = 4.0 + 1.6448536269514722 * math.sqrt(28.0 / 6.0)
    assert result.upperbound[0] == pytest.approx(expected, rel=1e-12)
    assert bool(result.alarm[0])


def test_ears_flat_baseline_c3_is_undefined_like_r() -> None:
    """A zero sd makes C2 = 0/0 or ±Inf; R propagates NaN through pmax, so C3 gives NA."""
    y = np.full(20, 2.0)
    result = ears(y, method="C3")
    assert np.isnan(result.upperbound).all()
    assert result.alarm.mask.all()


# --- CUSUM ------------------------------------------------------------------------------------------


def test_cusum_by_hand() -> None:
    y = np.array([4, 4, 4, 4, 10, 10, 0, 4], dtype=float)
    result = cusum(y, np.arange(4, 8), k=1.0, h=2.0)
    # m = 4, sd = 2: standardised 3, 3, -2, 0 -> C = 2, 4, 1, 0
    np.testing.assert_allclose(result.cusum, [2.0, 4.0, 1.0, 0.0])
    np.testing.assert_array_equal(result.alarm, [True, True, False, False])
    # ceiling(2 * (h + k - C_{t-1}) + 4) with C_{t-1} = 0, 2, 4, 1
    np.testing.assert_array_equal(result.upperbound, [10.0, 6.0, 2.0, 8.0])
    assert result.m == 4.0


# --- Farrington threshold functions: test-farringtonFlexible.R -------------------------------------------


@pytest.mark.parametrize(
    ("powertrans", "expected"),
    [
        ("none", (1.3073128, 8.6926872, 0.0907246, 0.8124165)),
        ("1/2", (1.9891097, 9.3744842, 0.1189986, 0.6857951)),
        ("2/3", (1.8084477, 9.1154825, 0.1094727, 0.7289546)),
    ],
)
def test_threshold_delta_vectors(powertrans: str, expected: tuple[float, ...]) -> None:
    result = threshold_delta(5.0, 0.2, 1.0, powertrans, 0.05, 8.0)  # type: ignore[arg-type]
    np.testing.assert_allclose(as_tuple(result), expected, atol=1e-6, rtol=0)


def test_threshold_delta_rejects_unknown_exponent() -> None:
    with pytest.raises(ValueError, match="powertrans"):
        threshold_delta(5.0, 0.2, 1.0, "2/88", 0.05, 8.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("method", "phi", "expected"),
    [
        ("muan", 1.5, (8.0, 24.0, 0.8597797, 0.4193982)),
        ("muan", 1.0, (9.0, 22.0, 0.9093099, 0.4605347)),
        ("nbPlugin", 1.5, (1.0, 10.0, 0.03763657, 1.11918153)),
        ("nbPlugin", 1.0, (2.0, 9.0, 0.01369527, 1.27061541)),
    ],
)
def test_threshold_noufaily_vectors(method: str, phi: float, expected: tuple[float, ...]) -> None:
    result = threshold_noufaily(math.log(5), math.log(2), phi, 0.05, 11.0, method)  # type: ignore[arg-type]
    np.testing.assert_allclose(as_tuple(result), expected, atol=1e-6, rtol=0)


def test_threshold_noufaily_infinite_mean_gives_na() -> None:
    result = threshold_noufaily(1000.0, 1.0, 1.5, 0.05, 3.0, "nbPlugin")
    assert all(math.isnan(v) for v in as_tuple(result))


# --- weights ----------------------------------------------------------------------------------------


def test_weights_all_below_threshold_are_one() -> None:
    np.testing.assert_array_equal(reweighting_weights(np.zeros(10), 0.0), np.ones(10))


def test_weights_checked_by_hand() -> None:
    s = np.array([0.0] * 5 + [2.0] * 5)
    weights = reweighting_weights(s, 0.0)
    np.testing.assert_allclose(weights, [1.6] * 5 + [0.4] * 5)


# --- quasi-Poisson GLM, against R's glm() ------------------------------------------------------------


def test_glm_matches_r() -> None:
    y = np.array([2, 3, 6, 7, 8, 9, 10, 12, 15, 4], dtype=float)
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 3], dtype=float)
    g = np.array([1, 1, 2, 2, 3, 3, 1, 2, 3, 1])
    design = np.column_stack([np.ones(10), x, g == 2, g == 3]).astype(float)
    fit = fit_quasipoisson(design, y)
    assert fit.converged
    np.testing.assert_allclose(
        fit.coef, [0.869967726847056, 0.182587917794349, 0.255294825539083, 0.229780155128405], rtol=1e-10
    )
    assert fit.dispersion == pytest.approx(0.146467836194597, rel=1e-10)
    se = np.sqrt(np.diag(fit.cov_unscaled) * fit.dispersion)
    np.testing.assert_allclose(
        se, [0.125071022879846, 0.020612409988873, 0.121001277855619, 0.125944344806588], rtol=1e-10
    )
    assert fit.p_value(1) == pytest.approx(0.000115124087403751, rel=1e-8)
    np.testing.assert_allclose(
        fit.hat,
        [
            0.242462995561822,
            0.234745600706034,
            0.344109106935504,
            0.323579913677644,
            0.341078649643440,
            0.319641444162217,
            0.629314461952405,
            0.699096232101654,
            0.627817437212657,
            0.238154158046623,
        ],
        rtol=1e-10,
    )
    eta, se_eta = fit.predict_link(np.array([1.0, 11.0, 0.0, 1.0]))
    assert eta == pytest.approx(3.1082149777133, rel=1e-12)
    assert se_eta == pytest.approx(0.103150031388955, rel=1e-10)


def test_glm_weighted_matches_r() -> None:
    y = np.array([2, 3, 6, 7, 8, 9, 10, 12, 15, 4], dtype=float)
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 3], dtype=float)
    weights = np.array([1, 2, 1, 0.5, 1, 1, 3, 1, 1, 1])
    fit = fit_quasipoisson(np.column_stack([np.ones(10), x]), y, weights)
    np.testing.assert_allclose(fit.coef, [0.865364420000867, 0.208363065750454], rtol=1e-10)
    assert fit.dispersion == pytest.approx(0.207169958942045, rel=1e-10)


def test_glm_exact_fit_has_zero_residuals() -> None:
    """test-farringtonFlexible.R: y = exp(x) is fitted exactly."""
    x = np.array([0, 1, 2, 1, 3, 0, 2], dtype=float)
    fit = fit_quasipoisson(np.column_stack([np.ones(x.size), x]), np.exp(x))
    np.testing.assert_allclose(fit.coef, [0.0, 1.0], atol=1e-8)
    np.testing.assert_allclose(fit.mu, np.exp(x), rtol=1e-8)


def test_glm_drops_collinear_columns() -> None:
    x = np.arange(8, dtype=float)
    y = np.array([1, 2, 2, 3, 5, 6, 8, 9], dtype=float)
    full = fit_quasipoisson(np.column_stack([np.ones(8), x]), y)
    aliased = fit_quasipoisson(np.column_stack([np.ones(8), x, 2 * x]), y)
    np.testing.assert_allclose(aliased.mu, full.mu, rtol=1e-10)
    assert aliased.coef[2] == 0.0
    assert aliased.df_residual == full.df_residual


def test_glm_all_zero_counts_converge_to_zero_means() -> None:
    fit = fit_quasipoisson(np.ones((6, 1)), np.zeros(6))
    assert fit.converged
    assert np.all(fit.mu < 1e-8)


# --- reference points and blocks ---------------------------------------------------------------------

WEEKLY = np.datetime64("1990-06-07") + 7 * np.arange(1301)


def position(dates: np.ndarray, day: str) -> int:
    k = int(np.searchsorted(dates, np.datetime64(day)))
    assert dates[k] == np.datetime64(day)
    return k


def test_reference_points_weekly_dates() -> None:
    """test-farringtonFlexible.R: 2013-06-06 with b = 3 gives the nearest Thursdays a year apart."""
    k = position(WEEKLY, "2013-06-06")
    refs = _reference_positions(k, 3, 52, WEEKLY)
    assert refs is not None
    expected = ["2013-06-06", "2012-06-07", "2011-06-09", "2010-06-03"]
    np.testing.assert_array_equal(WEEKLY[refs], np.array(expected, dtype="datetime64[D]"))


def test_reference_points_monthly_without_dates() -> None:
    refs = _reference_positions(47, 3, 12, None)
    assert refs is not None
    np.testing.assert_array_equal(refs + 1, [48, 36, 24, 12])
    assert _reference_positions(47, 8, 12, None) is None


def test_reference_points_of_29_february_follow_r() -> None:
    """R's seq(as.Date("2012-02-29"), by = "-1 year") gives 2011-03-01; the weekday is then matched."""
    daily = np.datetime64("2008-01-01") + np.arange(2000)
    k = position(daily, "2012-02-29")
    refs = _reference_positions(k, 4, 365, daily)
    assert refs is not None
    expected = ["2012-02-29", "2011-03-01", "2010-03-01", "2009-03-01", "2008-02-29"]
    np.testing.assert_array_equal(daily[refs], np.array(expected, dtype="datetime64[D]"))


def test_farrington_raises_when_history_is_too_short() -> None:
    with pytest.raises(ValueError, match="reference points"):
        farrington(SALM, [200], FarringtonControl(b=10), dates=SALM_DATES)


@pytest.mark.parametrize("p", [1, 8])
def test_blocks_reference_windows(p: int) -> None:
    """test-farringtonFlexible.R: the windows hold w + 1 + b (2w + 1) points of level p."""
    b, w = 3, 3
    k = position(WEEKLY, "2013-06-06")
    refs = _reference_positions(k, b, 52, WEEKLY)
    assert refs is not None
    levels = _blocks(refs, WEEKLY.size, w, p)
    assert np.count_nonzero(levels == p) == w + 1 + b * (2 * w + 1)
    assert set(np.unique(levels[levels > 0])) == set(range(1, p + 1))
    if p > 1:
        counts = np.bincount(levels[(levels > 0) & (levels < p)])[1:]
        assert np.all(np.abs(np.diff(counts)) <= b)


def test_window_for_the_glm() -> None:
    """test-farringtonFlexible.R: dated weekly data give wtime steps of 1 and no_periods levels; a missing
    count is left out."""
    b, w = 3, 3
    control = FarringtonControl(b=b, w=w, no_periods=10, past_weeks_not_included=w)
    y = np.full(WEEKLY.size, 30.0)
    k = position(WEEKLY, "2013-05-30")
    refs = _reference_positions(k, b, 52, WEEKLY)
    assert refs is not None
    data = _window(y, k, refs, WEEKLY, control)
    assert data is not None
    np.testing.assert_array_equal(np.diff(data.wtime), 1.0)
    assert np.unique(data.levels).size == 10
    full = data.y.size
    y[k - 40] = np.nan
    data = _window(y, k, refs, WEEKLY, control)
    assert data is not None
    assert data.y.size == full - 1


def test_farrington_default_range_as_in_r() -> None:
    y = np.arange(52 * 3 + 10, dtype=float) % 7
    result = farrington(y, control=FARRINGTON_ORIGINAL)
    assert result.index[0] == 52 * 3 + 3  # R: (freq * b + w + 1):n, 1-based


def test_noufaily_falls_back_to_three_years_on_short_series() -> None:
    rng = np.random.default_rng(3)
    y = rng.poisson(6.0, 52 * 4 + 10).astype(float)
    last = np.arange(y.size - 5, y.size)
    expected = farrington(y, last, replace(FARRINGTON_NOUFAILY, b=3))
    result = farrington_noufaily(y, last)
    np.testing.assert_array_equal(result.upperbound, expected.upperbound)
    with pytest.raises(ValueError, match="reference points"):
        farrington(y, last, FARRINGTON_NOUFAILY)
