"""The roll-up rule (DESIGN §3.2) on a small region, against SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from healthplan.domain.indicators import Indicator
from healthplan.engine.analytics import Analytics
from healthplan.engine.catalog import Catalog
from healthplan.store import values
from healthplan.store.database import Database


def _engine(db: Database) -> tuple[Analytics, Catalog]:
    analytics = Analytics(db)
    analytics.load()
    return analytics, Catalog(data_elements=analytics.elements)


def value_of(db: Database, expr: str, org: str, period: str, denominator: str | None = None,
             factor: float = 1) -> float | None:
    analytics, _ = _engine(db)
    ind = Indicator("x", "x", expr, denominator, factor)
    (result,) = analytics.evaluate([ind], [period], [org])
    return result.value


def test_facility_values_sum_to_every_area(region: Database) -> None:
    assert value_of(region, "sum(beds.actual)", "140525100", "2020") == 40  # F3 closed in March: not counted
    assert value_of(region, "sum(beds.actual)", "140525", "2020") == 540
    assert value_of(region, "sum(beds.actual)", "140500", "2020") == 1540
    assert value_of(region, "sum(beds.actual)", "140000", "2020") == 1540


def test_value_recorded_at_a_node_wins_over_its_children(region: Database) -> None:
    with region.transaction() as s:
        values.write_values(s, [values.ValueWrite("beds.actual", "140525", "2020", 600)], "test")
    assert value_of(region, "sum(beds.actual)", "140525", "2020") == 600
    assert value_of(region, "sum(beds.actual)", "140525100", "2020") == 40  # below the override: unchanged
    assert value_of(region, "sum(beds.actual)", "140500", "2020") == 1600
    # a filter selects facilities, so the area's own value cannot enter a filtered sum
    assert value_of(region, "sum(beds.actual where hospital)", "140525", "2020") == 500


def test_city_population_recorded_at_city_wins(region: Database) -> None:
    assert value_of(region, "sum(pop.resident)", "140500", "2020") == 574665 + 414999
    with region.transaction() as s:
        values.write_values(s, [values.ValueWrite("pop.resident", "140500", "2020", 1_000_000)], "test")
    assert value_of(region, "sum(pop.resident)", "140500", "2020") == 1_000_000
    assert value_of(region, "sum(pop.resident)", "140000", "2020") == 1_000_000


def test_effective_dating_uses_version_at_period_end(region: Database) -> None:
    # F2 is level 2 until 2020-06-01, level 3 after
    assert value_of(region, "count(facilities where level = 3)", "140500", "2019") == 1
    assert value_of(region, "count(facilities where level = 3)", "140500", "2020") == 2
    assert value_of(region, "count(facilities where level >= 2)", "140500", "2019") == 2
    # F3 closed 2020-03-01, F4 opened 2020-01-01
    assert value_of(region, "count(facilities)", "140525100", "2019") == 1
    assert value_of(region, "count(facilities)", "140525100", "2020") == 1
    assert value_of(region, "count(facilities where category = 'village_clinic')", "140525", "2020") == 0
    assert value_of(region, "count(facilities where category = '村卫生室')", "140525", "2019") == 1


def test_flows_sum_sub_periods_and_count_facilities_closed_during_the_period(region: Database) -> None:
    # F1 reported Q1 + April; F3 reported Jan + Feb then closed; F4 a yearly figure
    assert value_of(region, "sum(svc.visits)", "140500", "2020") == 1000 + 300 + 100 + 80 + 2000
    assert value_of(region, "sum(svc.visits)", "140502", "2020Q2") == 300
    assert value_of(region, "sum(svc.visits)", "140525", "202001") == 100


def test_stock_takes_the_period_end_value(sqlite_region: Database) -> None:
    with sqlite_region.transaction() as s:
        w = values.ValueWrite
        values.write_values(s, [w("beds.actual", "F4", "202103", 42), w("beds.actual", "F4", "202106", 44),
                                w("beds.actual", "F4", "2021Q4", 48)], "test")
    assert value_of(sqlite_region, "sum(beds.actual)", "140525100", "2021") == 48
    assert value_of(sqlite_region, "sum(beds.actual)", "140525100", "2021Q2") == 44


def test_missing_is_not_zero(region: Database) -> None:
    assert value_of(region, "sum(staff.nurse)", "140500", "2020") is None
    assert value_of(region, "sum(beds.actual)", "140500", "2018") is None
    # recorded but no facility passes the filter: zero, not missing
    assert value_of(region, "sum(beds.actual where category = 'clinic')", "140500", "2020") == 0
    # a facility without a value for a filter's data element does not pass the filter
    assert value_of(region, "count(facilities where dept.geriatrics = 1)", "140500", "2020") == 1
    assert value_of(region, "count(facilities where not dept.geriatrics = 1)", "140500", "2020") == 1
    # ... unless the rest of the filter decides it (SQL's three-valued logic): F4, a 卫生院 with no
    # dept.geriatrics value, passes `primary_care or …` and `not (hospital and …)`
    assert value_of(region, "count(facilities where primary_care or dept.geriatrics = 1)", "140500", "2020") == 2
    assert value_of(region, "sum(beds.actual where primary_care or dept.geriatrics = 1)", "140500", "2020") == 1040
    assert value_of(region, "count(facilities where not (hospital and dept.geriatrics = 1))", "140500", "2020") == 2
    assert value_of(region, "count(facilities where hospital and dept.geriatrics = 1 or level = 3)", "140500",
                    "2020") == 2
    # and where the filter's element is recorded nowhere beneath, the count has no value
    assert value_of(region, "count(facilities where dept.geriatrics = 1)", "140525100", "2020") is None


def test_ratio_indicator_rolls_up_as_ratio_of_sums(region: Database) -> None:
    analytics, catalog = _engine(region)
    (city,) = analytics.evaluate([catalog.get("beds_per_1000")], ["2020"], ["140500"])
    assert city.numerator == 1540 and city.denominator == 574665 + 414999
    assert city.value == pytest.approx(1540 / (574665 + 414999) * 1000)
    (share,) = analytics.evaluate([catalog.get("geriatrics_dept_share")], ["2020"], ["140500"])
    assert (share.numerator, share.denominator, share.value) == (1, 2, 50)


def test_count_areas_with_nested_term(region: Database) -> None:
    expr = "count(areas at county where count(facilities where level = 3) >= 1)"
    assert value_of(region, expr, "140500", "2019") == 1
    assert value_of(region, expr, "140500", "2020") == 2
    assert value_of(region, "count(areas at county)", "140000", "2020") == 2
    assert value_of(region, "count(areas at county where sum(beds.actual) > 600)", "140500", "2020") == 1


def test_previous_and_functions(region: Database) -> None:
    assert value_of(region, "sum(beds.actual) - previous(sum(beds.actual))", "140500", "2020") == 1540 - 1305
    assert value_of(region, "round(sum(beds.actual) / 7, 1)", "F1", "2020") == pytest.approx(142.9)
    assert value_of(region, "if(sum(beds.actual) > 1000, 1, 0)", "140500", "2020") == 1
    assert value_of(region, "max(sum(beds.actual), 2000)", "140500", "2020") == 2000
    assert value_of(region, "min(sum(beds.actual), sum(staff.nurse))", "140500", "2020") is None
    assert value_of(region, "sum(beds.actual) / 0", "140500", "2020") is None


def test_facility_level_values(region: Database) -> None:
    assert value_of(region, "sum(beds.actual)", "F2", "2020") == 500
    assert value_of(region, "sum(beds.actual where level = 3)", "F2", "2019") == 0
    assert value_of(region, "count(facilities where level = 3)", "F2", "2020") == 1


def test_non_additive_elements_do_not_roll_up(sqlite_region: Database) -> None:
    with sqlite_region.transaction() as s:
        w = values.ValueWrite
        values.write_values(s, [w("health.life_expectancy", "140502", "2020", 79.1),
                                w("health.life_expectancy", "140525", "2020", 77.5)], "test")
    assert value_of(sqlite_region, "value(health.life_expectancy)", "140502", "2020") == 79.1
    assert value_of(sqlite_region, "value(health.life_expectancy)", "140500", "2020") is None
