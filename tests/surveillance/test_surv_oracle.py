"""The detectors against R ``surveillance`` 1.20.3 outputs (tests/fixtures/surveillance).

The files at the top of the fixture folder are the project's reference oracles (see their README); those in
``extra/`` were made with the same R version by ``extra/generate.R`` to cover more controls and edge cases.
R's ``salmNewport`` has dates (see surv_data) and Farrington's reference weeks follow them, so the dates
are passed to it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import replace
from typing import cast

import numpy as np
import pytest

from healthplan.surveillance.detectors import (
    FARRINGTON_NOUFAILY,
    FARRINGTON_ORIGINAL,
    DetectorResult,
    EarsMethod,
    FarringtonControl,
    cusum,
    ears,
    farrington,
    farrington_noufaily,
)
from tests.surveillance.surv_data import FIXTURES, SALM, SALM_DATES, load

RTOL = 1e-6


SYNTH = load("extra/synthetic_series.csv")["observed"]
SYNTH_DATES = np.datetime64("2009-01-05") + 7 * np.arange(SYNTH.size)
MONTHLY = load("extra/monthly_series.csv")["observed"]
MONTHLY_DATES = np.arange("2005-01", "2015-01", dtype="datetime64[M]").astype("datetime64[D]")
ZEROS = np.zeros(698)
ZEROS[695] = 1.0
ZERO_DATES = np.datetime64("2001-01-01") + 7 * np.arange(ZEROS.size)


def r_range(first: int, last: int) -> np.ndarray:
    """R's 1-based ``first:last`` as 0-based positions."""
    return np.arange(first - 1, last)


LAST_104 = r_range(SALM.size - 103, SALM.size)


def assert_matches_r(result: DetectorResult, name: str) -> None:
    """Same positions, observations, NA positions and alarms as R; thresholds within RTOL."""
    oracle = load(name)
    np.testing.assert_array_equal(result.index, oracle["t"] - 1)
    np.testing.assert_array_equal(result.observed, oracle["observed"])
    expected = oracle["upperbound"]
    np.testing.assert_array_equal(np.isnan(result.upperbound), np.isnan(expected))
    np.testing.assert_allclose(result.upperbound, expected, rtol=RTOL, atol=0, equal_nan=True)
    alarm = np.ma.filled(result.alarm.astype(np.float64), np.nan)
    np.testing.assert_array_equal(alarm, oracle["alarm"])


METHODS: list[EarsMethod] = ["C1", "C2", "C3"]


@pytest.mark.parametrize("method", METHODS)
def test_ears_salmnewport(method: EarsMethod) -> None:
    result = ears(SALM, LAST_104, method=method, baseline=7, alpha=0.001)
    assert_matches_r(result, f"salmNewport_ears{method}.csv")


def test_farrington_original_salmnewport() -> None:
    result = farrington(SALM, LAST_104, FARRINGTON_ORIGINAL, dates=SALM_DATES)
    assert_matches_r(result, "salmNewport_farrington_original.csv")


def test_farrington_nbplugin_salmnewport() -> None:
    result = farrington(SALM, LAST_104, FARRINGTON_NOUFAILY, dates=SALM_DATES)
    assert_matches_r(result, "salmNewport_farrington_nbplugin.csv")


def test_farrington_noufaily_keeps_five_years_when_available() -> None:
    result = farrington_noufaily(SALM, LAST_104, dates=SALM_DATES)
    assert_matches_r(result, "salmNewport_farrington_nbplugin.csv")


def test_cusum_salmnewport() -> None:
    result = cusum(SALM, LAST_104, k=1.04, h=2.26)
    assert_matches_r(result, "salmNewport_cusum.csv")


def test_farrington_needs_the_dates_of_salmnewport() -> None:
    """Without dates the reference weeks are 52 positions apart, which is not what R did here."""
    result = farrington(SALM, LAST_104, FARRINGTON_ORIGINAL)
    oracle = load("salmNewport_farrington_original.csv")["upperbound"]
    assert not np.allclose(result.upperbound, oracle, rtol=RTOL, equal_nan=True)


EXTRA_CASES: dict[str, Callable[[], DetectorResult]] = {
    "farrington_original_nodates": lambda: farrington(SALM, LAST_104, FARRINGTON_ORIGINAL),
    "farrington_nbplugin_nodates": lambda: farrington(SALM, LAST_104, FARRINGTON_NOUFAILY),
    "farrington_muan": lambda: farrington(
        SALM, LAST_104, replace(FARRINGTON_NOUFAILY, threshold_method="muan", alpha=0.05), dates=SALM_DATES
    ),
    "farrington_delta_periods": lambda: farrington(
        SALM,
        LAST_104,
        replace(FARRINGTON_ORIGINAL, no_periods=10, b=5, past_weeks_not_included=26, powertrans="1/2"),
        dates=SALM_DATES,
    ),
    "farrington_noreweight_none": lambda: farrington(
        SALM,
        LAST_104,
        replace(FARRINGTON_ORIGINAL, reweight=False, powertrans="none", limit54=(0, 4), alpha=0.05),
        dates=SALM_DATES,
    ),
    "farrington_synthetic": lambda: farrington(
        SYNTH, r_range(200, 320), replace(FARRINGTON_ORIGINAL, b=2, p_threshold_trend=1.0), dates=SYNTH_DATES
    ),
    "farrington_monthly": lambda: farrington(
        MONTHLY,
        r_range(61, 120),
        replace(FARRINGTON_ORIGINAL, b=4, w=2, past_weeks_not_included=2, alpha=0.05),
        dates=MONTHLY_DATES,
        freq=12,
    ),
    "farrington_zeros": lambda: farrington(
        ZEROS,
        r_range(690, 698),
        FarringtonControl(
            no_periods=10,
            alpha=0.01,
            b=5,
            w=4,
            weights_threshold=2.58,
            past_weeks_not_included=26,
            p_threshold_trend=1.0,
            threshold_method="nbPlugin",
            limit54=(0, 5),
        ),
        dates=ZERO_DATES,
    ),
    "earsC1_synthetic": lambda: ears(SYNTH, r_range(8, 320), method="C1", alpha=0.01),
    "earsC2_synthetic": lambda: ears(SYNTH, r_range(10, 320), method="C2", baseline=5, min_sigma=0.5),
    "earsC3_synthetic": lambda: ears(SYNTH, r_range(12, 320), method="C3"),
    "cusum_synthetic": lambda: cusum(SYNTH, r_range(100, 140), k=0.5, h=4.0),
    "cusum_synthetic_na": lambda: cusum(SYNTH, r_range(140, 170)),
}


def test_extra_cases_cover_every_generated_file() -> None:
    cases = [row["case"] for row in csv.DictReader((FIXTURES / "extra" / "cases.csv").open(newline=""))]
    assert sorted(cases) == sorted(EXTRA_CASES)


@pytest.mark.parametrize("name", sorted(EXTRA_CASES))
def test_extra_case(name: str) -> None:
    assert_matches_r(EXTRA_CASES[name](), f"extra/{name}.csv")


def test_farrington_zeros_gives_no_threshold_where_no_model_converges() -> None:
    result = EXTRA_CASES["farrington_zeros"]()
    assert np.isnan(result.upperbound).all()
    assert result.alarm.mask.all()


RANDOM_SERIES = np.genfromtxt(FIXTURES / "extra" / "random_series.csv", delimiter=",", skip_header=1)
RANDOM_RESULTS = load("extra/random_results.csv")
RANDOM_ALGOS = ["orig", "nb", "C1", "C2", "C3", "cusum"]


def run_random(algo: str, j: int) -> DetectorResult:
    """Series ``j`` (1-based) of random_series.csv with the controls of generate.R."""
    y = RANDOM_SERIES[:, j - 1]
    last30 = np.arange(y.size - 30, y.size)
    dates = np.datetime64("2010-01-04") + 7 * (j % 3) + 7 * np.arange(y.size)
    if algo == "orig":
        return farrington(y, last30, FARRINGTON_ORIGINAL, dates=dates)
    if algo == "nb":
        return farrington(y, last30, replace(FARRINGTON_NOUFAILY, b=3 if j % 2 == 0 else 5), dates=dates)
    if algo == "cusum":
        return cusum(y, last30)
    return ears(y, last30, method=cast(EarsMethod, algo))


@pytest.mark.parametrize("algo", RANDOM_ALGOS)
def test_random_series(algo: str) -> None:
    """Every algorithm on 24 random weekly series (Poisson, negative binomial, sparse, trend, NA)."""
    for j in range(1, RANDOM_SERIES.shape[1] + 1):
        rows = (RANDOM_RESULTS["algo"] == algo) & (RANDOM_RESULTS["series"] == j)
        result = run_random(algo, j)
        np.testing.assert_array_equal(result.index, RANDOM_RESULTS["t"][rows] - 1)
        expected = RANDOM_RESULTS["upperbound"][rows]
        np.testing.assert_array_equal(np.isnan(result.upperbound), np.isnan(expected), err_msg=f"series {j}")
        np.testing.assert_allclose(result.upperbound, expected, rtol=RTOL, atol=0, equal_nan=True)
        alarm = np.ma.filled(result.alarm.astype(np.float64), np.nan)
        np.testing.assert_array_equal(alarm, RANDOM_RESULTS["alarm"][rows], err_msg=f"series {j}")
