"""Coverage by area type, distance distributions, and the metamorphic law: a new facility never lowers coverage."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthplan.access.coverage import Coverage, assess, count_sites, weighted_quantile
from healthplan.access.population import township_demand
from healthplan.access.region import Region, Site, site_places
from healthplan.access.standards import load_standards
from tests.access.access_toys import STRAIGHT, region, seat, site, three_townships

STANDARDS = load_standards()
EMERGENCY = STANDARDS.get("emergency")


def run(sites: list[Site], reg: Region | None = None) -> Coverage:
    reg = reg or three_townships()
    demand = township_demand(reg)
    cost = STRAIGHT.matrix(demand.places, site_places(sites), "km")
    return assess(EMERGENCY, demand, sites, cost, reg, STRAIGHT)


def test_urban_and_rural_limits() -> None:
    result = run([site("S", 112.0, 35.0, part="A")])
    covered = dict(zip(result.demand.ids, result.covered, strict=True))
    strict = dict(zip(result.demand.ids, result.covered_strict, strict=True))
    assert covered == {"A1": True, "B1": True, "B2": False}  # B2 is ≈27 km away, beyond the rural 20 km
    assert strict == {"A1": True, "B1": True, "B2": False}
    city = result.areas[-1]
    assert (city.code, city.population, city.covered, city.not_covered) == ("C", 1700, 1500, 200)
    assert [a.code for a in result.areas] == ["A", "B", "C"]
    assert [s.code for s in result.beyond()] == ["B2"]
    assert result.method == "great_circle"
    assert result.to_json()["distance_method"] == "great_circle"
    b1 = next(s for s in result.seats if s.code == "B1")
    assert b1.distance == pytest.approx(9.1, abs=0.1) and b1.nearest == "机构S"


def test_between_the_strict_and_the_lenient_limit() -> None:
    # a station at 112.15°E: B1 ≈4.6 km, B2 ≈13.7 km (within 20 but not 10), A1 ≈13.7 km (beyond the urban 5)
    result = run([site("S", 112.15, 35.0)])
    assert result.covered.tolist() == [False, True, True]
    assert result.covered_strict.tolist() == [False, True, False]
    assert [s.code for s in result.beyond(strict=True)] == ["A1", "B2"]


def test_no_facility_means_nobody_covered() -> None:
    result = run([])
    assert not result.covered.any() and result.areas[-1].median is None


def test_weighted_quantile() -> None:
    values = np.array([1.0, 2.0, 3.0, 10.0])
    weights = np.array([1.0, 1.0, 1.0, 7.0])
    assert weighted_quantile(values, weights, 0.5) == 10.0
    assert weighted_quantile(values, weights, 0.2) == 2.0
    assert weighted_quantile(values, np.zeros(4), 0.5) is None


def test_count_standard_per_township() -> None:
    reg = three_townships()
    centres = [site("H1", 112.0, 35.0, township="A1", part="A"), site("H2", 112.1, 35.0, township="B1")]
    result = count_sites(STANDARDS.get("township_health_center"), township_demand(reg), centres, reg)
    assert result.covered.tolist() == [True, True, False]
    assert result.areas[-1].not_covered == 200


points = st.tuples(st.floats(112.0, 112.5), st.floats(35.0, 35.4))


@settings(max_examples=60, deadline=None)
@given(st.lists(points, min_size=1, max_size=8), st.lists(points, min_size=0, max_size=5), points)
def test_adding_a_facility_never_lowers_coverage(homes: list[tuple[float, float]],
                                                 stations: list[tuple[float, float]],
                                                 extra: tuple[float, float]) -> None:
    reg = region([seat(f"T{i}", "A" if i % 2 else "B", lon, lat, 100 + i) for i, (lon, lat) in enumerate(homes)])
    sites = [site(f"S{j}", lon, lat) for j, (lon, lat) in enumerate(stations)]
    before = run(sites, reg)
    after = run([*sites, site("NEW", *extra)], reg)
    assert (after.covered >= before.covered).all()
    assert (after.covered_strict >= before.covered_strict).all()
    assert (after.value <= before.value).all()
    for a, b in zip(after.areas, before.areas, strict=True):
        assert a.covered >= b.covered and a.covered_strict >= b.covered_strict
