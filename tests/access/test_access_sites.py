"""New sites for a mixed urban/rural standard, existing facilities kept open."""

from __future__ import annotations

import pytest

from healthplan.access.population import township_demand
from healthplan.access.sites import propose
from healthplan.access.standards import load_standards
from healthplan.domain.problems import HealthplanError
from tests.access.access_toys import STRAIGHT, region, seat, site, three_townships

EMERGENCY = load_standards().get("emergency")


def test_mclp_adds_the_site_that_covers_most() -> None:
    reg = three_townships()
    existing = [site("S", 112.0, 35.0, part="A")]
    candidates = [site("K1", 112.05, 35.0), site("K2", 112.3, 35.0), site("K3", 112.5, 35.2)]
    proposal = propose(EMERGENCY, township_demand(reg), existing, candidates, STRAIGHT, reg, new_sites=1)
    assert [s.code for s in proposal.new] == ["K2"]  # the only candidate that reaches B2
    data = proposal.to_json()
    assert (data["covered_before"], data["covered_after"], data["gain"]) == (1500, 1700, 200)
    assert data["optimal"] and data["gap"] == pytest.approx(0.0)
    assert [s["code"] for s in data["existing"]] == ["S"]


def test_urban_limit_is_used_for_urban_points() -> None:
    # the urban township is 0.1° (≈9 km) from the only station: beyond its 5 km, though within a rural 10 km
    reg = region([seat("A1", "A", 112.0, 35.0, 1000), seat("B1", "B", 112.1, 35.0, 10)])
    existing = [site("S", 112.1, 35.0)]
    proposal = propose(EMERGENCY, township_demand(reg), existing, [site("K", 112.01, 35.0, part="A")], STRAIGHT,
                       reg, model="lscp")
    assert [s.code for s in proposal.new] == ["K"]
    assert proposal.after.covered.all() and not proposal.before.covered[0]


def test_lscp_fewest_sites_and_strict_bound() -> None:
    reg = three_townships()
    candidates = [site("K1", 112.0, 35.0, part="A"), site("K2", 112.1, 35.0), site("K3", 112.3, 35.0),
                  site("K4", 112.2, 35.0)]
    lenient = propose(EMERGENCY, township_demand(reg), [], candidates, STRAIGHT, reg, model="lscp")
    strict = propose(EMERGENCY, township_demand(reg), [], candidates, STRAIGHT, reg, model="lscp", bound="strict")
    assert len(lenient.new) == 2 and lenient.after.covered.all()
    assert len(strict.new) >= len(lenient.new) and strict.after.covered_strict.all()


def test_count_standards_have_no_sites() -> None:
    reg = three_townships()
    with pytest.raises(HealthplanError):
        propose(load_standards().get("township_health_center"), township_demand(reg), [], [site("K", 112.0, 35.0)],
                STRAIGHT, reg)
