"""The three county-splitting methods and the whole-unit apportionment behind them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthplan.allocation.split import Method, apportion, increments, need_weights


def test_apportion_is_largest_remainder() -> None:
    # quotas 3.5, 2.1, 4.4 -> floors 3, 2, 4 and the one unit left goes to the largest remainder (3.5)
    assert apportion(10, [35, 21, 44]) == [4, 2, 4]
    assert apportion(0, [1, 2]) == [0, 0]
    assert apportion(3, [1, 1, 1, 1]) == [1, 1, 1, 0]  # ties go to the earlier area


def test_apportion_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        apportion(5, [0, 0])
    with pytest.raises(ValueError):
        apportion(-1, [1])
    with pytest.raises(ValueError):
        apportion(1, [1, float("nan")])


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.floats(0.001, 1e6), min_size=1, max_size=12))
def test_apportion_adds_up_and_stays_within_one_of_the_quota(total: int, weights: list[float]) -> None:
    shares = apportion(total, weights)
    assert sum(shares) == total
    mass = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        quota = total * weight / mass
        assert math.floor(quota) <= share <= math.ceil(quota) + 1e-9


def test_need_weights_count_the_elderly_more() -> None:
    assert need_weights([1000, 1000], [0.1, 0.2], 2.5) == pytest.approx([1150, 1300])
    assert need_weights([1000], [0.3], 1.0) == [1000]
    with pytest.raises(ValueError):
        need_weights([1000], [15.0], 2.5)  # a percentage, not a fraction
    with pytest.raises(ValueError):
        need_weights([1000], [0.1], 0)


def test_methods_differ_as_planners_expect() -> None:
    current = [600.0, 100.0]  # county A is above the standard, county B below it
    needed = [400.0, 400.0]  # each county at the standard ratio
    population = [100.0, 100.0]
    need = [100.0, 300.0]
    city = sum(needed) - sum(current)  # +100
    assert increments(Method.POPULATION, city, needed, current, population, need) == [50, 50]
    assert increments(Method.NEED, city, needed, current, population, need) == [25, 75]
    # equalize closes B's gap in full and takes nothing from A: more than the city increment
    assert increments(Method.EQUALIZE, city, needed, current, population, need) == [0, 300]


def test_no_city_increment_means_no_split() -> None:
    assert increments(Method.POPULATION, -20.0, [5.0, 5.0], [10.0, 10.0], [1.0, 1.0], [1.0, 1.0]) == [0, 0]
    assert increments(Method.POPULATION, 0.4, [5.0], [5.0], [1.0], [1.0]) == [1]  # a part of a bed is a bed
