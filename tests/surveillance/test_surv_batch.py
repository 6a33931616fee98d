"""The many-series detectors give what the single-series detectors give, row by row (and so what R gives)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from healthplan.surveillance.detectors import (
    FARRINGTON_NOUFAILY,
    FARRINGTON_ORIGINAL,
    DetectorResult,
    FarringtonControl,
    cidars_fixed,
    cidars_percentile,
    ears,
    farrington,
)
from healthplan.surveillance.detectors.batch import (
    BatchResult,
    cidars_fixed_many,
    cidars_percentile_many,
    ears_many,
    farrington_many,
)
from tests.surveillance.surv_data import SALM, SALM_DATES, load

RNG = np.random.default_rng(7)
WEEKLY = np.vstack([SALM] + [RNG.negative_binomial(2, 2 / (2 + m), SALM.size).astype(float)
                             for m in (0.3, 1.0, 4.0, 15.0)])
WEEKLY[2, 470] = np.nan  # a missing count inside some fits' windows
WEEKLY[3, 300:330] = 0.0
LAST_104 = np.arange(SALM.size - 104, SALM.size)
DAILY = RNG.poisson(1.5, (6, 4 * 365)).astype(float)
DAILY[1, 50:60] = np.nan
DAILY_START = dt.date(2019, 1, 1)


def assert_same(batch: BatchResult, singles: list[DetectorResult], rtol: float = 1e-12) -> None:
    for i, single in enumerate(singles):
        row = batch.row(i)
        np.testing.assert_array_equal(row.index, single.index)
        np.testing.assert_array_equal(row.observed, single.observed)
        np.testing.assert_array_equal(np.isnan(row.upperbound), np.isnan(single.upperbound))
        np.testing.assert_allclose(row.upperbound, single.upperbound, rtol=rtol, equal_nan=True)
        np.testing.assert_array_equal(np.ma.getmaskarray(row.alarm), np.ma.getmaskarray(single.alarm))
        np.testing.assert_array_equal(row.alarm.filled(False), single.alarm.filled(False))


@pytest.mark.parametrize("method", ["C1", "C2", "C3"])
def test_ears_many(method: str) -> None:
    batch = ears_many(WEEKLY, LAST_104, method=method)  # type: ignore[arg-type]
    assert_same(batch, [ears(y, LAST_104, method=method) for y in WEEKLY], rtol=0)  # type: ignore[arg-type]


@pytest.mark.parametrize("control", [
    FARRINGTON_ORIGINAL, FARRINGTON_NOUFAILY, replace(FARRINGTON_ORIGINAL, trend=False),
    replace(FARRINGTON_NOUFAILY, threshold_method="muan"), replace(FARRINGTON_ORIGINAL, powertrans="none",
                                                                   reweight=False),
    FarringtonControl(),
], ids=["original", "noufaily", "no-trend", "muan", "plain", "r-defaults"])
def test_farrington_many(control: FarringtonControl) -> None:
    batch = farrington_many(WEEKLY, LAST_104, control, dates=SALM_DATES)
    assert_same(batch, [farrington(y, LAST_104, control, dates=SALM_DATES) for y in WEEKLY])


def test_farrington_many_matches_r() -> None:
    for name, control in (("salmNewport_farrington_original.csv", FARRINGTON_ORIGINAL),
                          ("salmNewport_farrington_nbplugin.csv", FARRINGTON_NOUFAILY)):
        oracle = load(name)
        row = farrington_many(WEEKLY, LAST_104, control, dates=SALM_DATES).row(0)
        np.testing.assert_allclose(row.upperbound, oracle["upperbound"], rtol=1e-6, equal_nan=True)
        np.testing.assert_array_equal(np.ma.filled(row.alarm.astype(float), np.nan), oracle["alarm"])


def test_farrington_many_without_dates_and_default_range() -> None:
    batch = farrington_many(WEEKLY[:2], control=FARRINGTON_ORIGINAL)
    assert_same(batch, [farrington(y, control=FARRINGTON_ORIGINAL) for y in WEEKLY[:2]])


def test_cidars_many() -> None:
    at = np.arange(3 * 365 + 20, DAILY.shape[1])
    for params in ({}, {"percentile": 50.0, "years": 2, "neighbours": 2}, {"min_cases": 12.0}):
        batch = cidars_percentile_many(DAILY, DAILY_START, at, **params)  # type: ignore[arg-type]
        assert_same(batch, [cidars_percentile(y, DAILY_START, at, **params)  # type: ignore[arg-type]
                            for y in DAILY], rtol=0)
    batch = cidars_fixed_many(DAILY, at, threshold=3)
    assert_same(batch, [cidars_fixed(y, at, threshold=3) for y in DAILY], rtol=0)


def test_matrix_input_is_required() -> None:
    with pytest.raises(ValueError, match="two-dimensional"):
        ears_many(SALM)
