"""CIDARS moving-percentile and fixed-threshold methods on hand-built daily series."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from healthplan.surveillance.detectors import cidars_fixed, cidars_percentile

START = dt.date(2019, 1, 1)


def daily(until: dt.date) -> np.ndarray:
    return np.zeros((until - START).days + 1)


def at(day: dt.date) -> int:
    return (day - START).days


def put(counts: np.ndarray, day: dt.date, cases: float) -> None:
    counts[at(day)] += cases


def test_percentile_of_nine_blocks_by_hand() -> None:
    """Blocks ending 2022-03-08/15/22, 2021-..., 2020-... hold 1..9 cases: P80 = 7 + 0.4 = 7.4, P50 = 5."""
    day = dt.date(2023, 3, 15)
    counts = daily(day)
    value = 1.0
    for year in (2022, 2021, 2020):
        for offset in (-7, 0, 7):
            put(counts, dt.date(year, 3, 15) + dt.timedelta(days=offset), value)
            value += 1
    put(counts, day, 7)
    result = cidars_percentile(counts, START, [at(day)])
    assert result.upperbound[0] == pytest.approx(7.4)
    assert result.observed[0] == 7
    assert not result.alarm[0]
    put(counts, day - dt.timedelta(days=6), 1)  # still inside the current 7-day window
    assert bool(cidars_percentile(counts, START, [at(day)]).alarm[0])
    median = cidars_percentile(counts, START, [at(day)], percentile=50)
    assert median.upperbound[0] == 5.0


def test_count_equal_to_threshold_does_not_signal() -> None:
    day = dt.date(2023, 6, 1)
    counts = daily(day) + 1.0  # every block counts 7
    result = cidars_percentile(counts, START, [at(day)])
    assert result.upperbound[0] == 7.0
    assert result.observed[0] == 7.0
    assert not result.alarm[0]


def test_block_edges_are_exact() -> None:
    """Cases just outside the 9 historical blocks (21 days around each anchor) are not counted."""
    day = dt.date(2023, 3, 15)
    counts = daily(day)
    for year in (2022, 2021, 2020):
        anchor = dt.date(year, 3, 15)
        put(counts, anchor - dt.timedelta(days=14), 100)  # last day before the earlier neighbour block
        put(counts, anchor + dt.timedelta(days=8), 100)  # first day after the later neighbour block
        put(counts, anchor - dt.timedelta(days=13), 2)  # first day of the earlier neighbour block
        put(counts, anchor + dt.timedelta(days=7), 2)  # last day of the later neighbour block
    result = cidars_percentile(counts, START, [at(day)])
    # per year the block counts are 2, 0, 2: sorted 0,0,0,2,2,2,2,2,2 -> P80 (position 6.4) = 2
    assert result.upperbound[0] == 2.0


def test_blocks_cross_the_turn_of_the_year() -> None:
    """On 2023-01-02 the current block is 2022-12-27 .. 2023-01-02 and the history straddles New Year."""
    day = dt.date(2023, 1, 2)
    counts = daily(day)
    for year in (2022, 2021, 2020):
        put(counts, dt.date(year - 1, 12, 27), 3)  # in the same-date block, previous calendar year
        put(counts, dt.date(year, 1, 9), 1)  # in the later neighbour block (ends 9 January)
        put(counts, dt.date(year - 1, 12, 20), 5)  # in the earlier neighbour block (ends 26 December)
    put(counts, dt.date(2022, 12, 27), 4)
    result = cidars_percentile(counts, START, [at(day)], percentile=50)
    # per year: 5, 3, 1 -> sorted 1,1,1,3,3,3,5,5,5: P50 = 3
    assert result.upperbound[0] == 3.0
    assert result.observed[0] == 4.0
    assert bool(result.alarm[0])


def test_29_february_uses_28_february_in_common_years() -> None:
    day = dt.date(2024, 2, 29)
    counts = daily(day)
    for year in (2023, 2022, 2021):
        put(counts, dt.date(year, 2, 28), 10)  # last day of the same-date block
        put(counts, dt.date(year, 3, 1), 1000)  # first day of the later neighbour block
    result = cidars_percentile(counts, START, [at(day)], years=3, neighbours=0)
    assert result.upperbound[0] == 10.0


def test_leap_day_is_one_of_the_seven_days() -> None:
    """The block ending 2024-03-03 runs 2024-02-26 .. 2024-03-03 and contains 29 February; the block
    ending 2023-03-03 runs 2023-02-25 .. 2023-03-03."""
    day = dt.date(2024, 3, 3)
    counts = daily(day)
    put(counts, dt.date(2024, 2, 29), 2)
    put(counts, dt.date(2024, 2, 25), 50)  # outside the current block
    put(counts, dt.date(2023, 2, 25), 6)
    put(counts, dt.date(2023, 2, 24), 50)  # outside the historical block
    result = cidars_percentile(counts, START, [at(day)], years=1, neighbours=0)
    assert result.observed[0] == 2.0
    assert result.upperbound[0] == 6.0


def test_configurable_years_and_neighbours() -> None:
    day = dt.date(2023, 8, 20)
    counts = daily(day)
    for n, year in enumerate((2022, 2021, 2020, 2019), start=1):
        put(counts, dt.date(year, 8, 20), n)
        put(counts, dt.date(year, 8, 6), 10 * n)  # ends the block two steps earlier
    two_each_side = cidars_percentile(counts, START, [at(day)], years=2, neighbours=2, percentile=100)
    assert two_each_side.upperbound[0] == 20.0
    one_year = cidars_percentile(counts, START, [at(day)], years=1, neighbours=0)
    assert one_year.upperbound[0] == 1.0
    four_years = cidars_percentile(counts, START, [at(day)], years=4, neighbours=0, percentile=0)
    assert four_years.upperbound[0] == 1.0


def test_not_enough_history_or_missing_days_give_no_threshold() -> None:
    counts = daily(dt.date(2022, 12, 31)) + 1.0
    early = cidars_percentile(counts, START, [at(dt.date(2021, 6, 1)), at(dt.date(2022, 1, 10))])
    assert np.isnan(early.upperbound[0])
    assert bool(np.ma.getmaskarray(early.alarm)[0])
    # the earlier neighbour block 3 years back (ending 2019-01-03) starts before the series
    assert np.isnan(early.upperbound[1])
    assert cidars_percentile(counts, START, [at(dt.date(2022, 1, 20))]).upperbound[0] == 7.0
    counts[at(dt.date(2020, 6, 3))] = np.nan
    gap = cidars_percentile(counts, START, [at(dt.date(2022, 6, 1))])
    assert np.isnan(gap.upperbound[0])
    assert bool(np.ma.getmaskarray(gap.alarm)[0])


def test_default_positions_start_with_the_first_full_window() -> None:
    counts = daily(dt.date(2019, 1, 20))
    result = cidars_percentile(counts, START)
    assert result.index[0] == 6
    assert result.alarm.mask.all()


def test_minimum_cases_in_the_block() -> None:
    """An empty history makes P80 = 0: two cases signal, unless at least three are asked for (the
    threshold shown stays P80); three cases then signal."""
    day = dt.date(2023, 3, 15)
    counts = daily(day + dt.timedelta(days=1))
    put(counts, day - dt.timedelta(days=3), 2)
    put(counts, day + dt.timedelta(days=1), 1)
    plain = cidars_percentile(counts, START, [at(day), at(day) + 1])
    assert plain.upperbound.tolist() == [0.0, 0.0] and plain.alarm.tolist() == [True, True]
    minimum = cidars_percentile(counts, START, [at(day), at(day) + 1], min_cases=3)
    assert minimum.upperbound.tolist() == [0.0, 0.0] and minimum.alarm.tolist() == [False, True]
    with pytest.raises(ValueError, match="min_cases"):
        cidars_percentile(counts, START, min_cases=-1)


def test_invalid_parameters() -> None:
    counts = daily(dt.date(2023, 1, 1))
    with pytest.raises(ValueError):
        cidars_percentile(counts, START, percentile=120)
    with pytest.raises(ValueError):
        cidars_percentile(counts, START, years=0)
    with pytest.raises(ValueError, match="less than a year"):
        cidars_percentile(counts, START, neighbours=30, window=7)


def test_fixed_threshold_signals_every_case() -> None:
    counts = np.array([0, 1, 0, 3, np.nan, 0])
    result = cidars_fixed(counts)
    np.testing.assert_array_equal(result.alarm.filled(False), [False, True, False, True, False, False])
    np.testing.assert_array_equal(result.alarm.mask, [False, False, False, False, True, False])
    np.testing.assert_array_equal(result.upperbound, 1.0)
    assert not cidars_fixed(counts, threshold=4).alarm.any()
