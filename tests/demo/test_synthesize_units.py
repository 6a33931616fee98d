"""Unit properties of the generator's building blocks: the GCJ-02 inverse, point-in-polygon, apportionment
and the exact-rounding calibration."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from healthplan.demo.synthesize import geo
from healthplan.demo.synthesize.calibrate import (
    apportion,
    numerator_for,
    pair_near,
    reproduces,
    round_half_up,
)

lons = st.floats(min_value=110.0, max_value=115.0)
lats = st.floats(min_value=34.0, max_value=41.0)


@given(lons, lats)
def test_gcj02_inverse_is_within_a_metre(lon: float, lat: float) -> None:
    wgs = geo.gcj02_to_wgs84(lon, lat)
    back = geo.wgs84_to_gcj02(*wgs)
    assert geo.distance_km(back, (lon, lat)) < 0.001
    assert 0.05 < geo.distance_km(wgs, (lon, lat)) < 1.5  # the datum shift is hundreds of metres in Shanxi


def test_point_in_polygon_with_hole() -> None:
    outer = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]
    hole = [(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0), (1.0, 1.0)]
    shape: geo.MultiPolygon = [[outer, hole]]
    assert geo.contains(shape, (0.5, 0.5))
    assert not geo.contains(shape, (2.0, 2.0))
    assert not geo.contains(shape, (5.0, 2.0))


@given(st.integers(min_value=0, max_value=10_000), st.lists(st.floats(min_value=0.01, max_value=100.0),
                                                            min_size=1, max_size=30))
def test_apportion_adds_up_and_is_proportional(total: int, weights: list[float]) -> None:
    parts = apportion(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    assert all(abs(p - total * w / weight_sum) < 1 + 1e-6 for p, w in zip(parts, weights, strict=True))


@given(st.lists(st.tuples(st.floats(min_value=0.01, max_value=100.0), st.integers(min_value=0, max_value=50)),
                min_size=1, max_size=30), st.data())
def test_apportion_respects_caps(items: list[tuple[float, int]], data: st.DataObject) -> None:
    weights = [w for w, _ in items]
    caps = [c for _, c in items]
    total = data.draw(st.integers(min_value=0, max_value=sum(caps)))
    parts = apportion(total, weights, caps)
    assert sum(parts) == total
    assert all(p <= c for p, c in zip(parts, caps, strict=True))


@given(st.integers(min_value=100_000, max_value=5_000_000), st.integers(min_value=100, max_value=900))
def test_numerator_reproduces_a_two_decimal_ratio(population: int, hundredths: int) -> None:
    value = hundredths / 100
    n = numerator_for(value, population, 1000, 2)
    assert round_half_up(Fraction(n * 1000, population), 2) == round_half_up(Fraction(hundredths, 100), 2)


def test_pair_near_finds_a_denominator_when_one_unit_is_too_coarse() -> None:
    numerator, denominator = pair_near(70.07, 283, 100, 2)
    assert reproduces(numerator, denominator, 100, 70.07, 2)
    assert abs(denominator - 283) <= 5
