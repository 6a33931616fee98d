"""DHIS2 period codes and ADX ISO 8601 intervals ↔ healthplan periods (examples from the DHIS2 docs' table)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthplan.domain.periods import Period
from healthplan.interop.dhis2.periods import PeriodNotSupported, from_adx, from_dhis2, to_adx


@pytest.mark.parametrize(("code", "adx"), [
    ("2017", "2017-01-01/P1Y"), ("2017Q4", "2017-10-01/P3M"), ("201710", "2017-10-01/P1M"),
    ("2024W5", "2024-01-29/P7D"), ("2020W1", "2019-12-30/P7D"), ("20171001", "2017-10-01/P1D"),
])
def test_dhis2_periods_and_adx_intervals(code: str, adx: str) -> None:
    period = from_dhis2(code)
    assert period.code == code
    assert to_adx(period) == adx
    assert from_adx(adx) == period


def test_adx_accepts_datetimes_and_weeks_written_as_p1w() -> None:
    assert from_adx("2024-01-01T00:00:00Z/P1Y").code == "2024"
    assert from_adx("2024-01-29/P1W").code == "2024W5"


@pytest.mark.parametrize(("text", "words"), [
    ("2024S1", "six-monthly"), ("2024AprilS2", "six-monthly"), ("202401B", "bi-monthly"),
    ("2024BiW3", "bi-weekly"), ("2024April", "financial year"), ("2024SunW3", "not starting on Monday"),
    ("2024Q5", "invalid period"), ("24", "invalid period"),
])
def test_dhis2_only_period_types_are_refused_by_name(text: str, words: str) -> None:
    with pytest.raises(PeriodNotSupported, match=words):
        from_dhis2(text)


@pytest.mark.parametrize("text", ["2017-11-01/P2M", "2017-01-01/P6M", "2017-10-01/P1Y", "2017-09-01/P3M",
                                  "2017-10-04/P7D", "2017-10-02/P1M", "2017-02-30/P1D", "201710"])
def test_adx_periods_without_an_exact_equivalent_are_refused(text: str) -> None:
    with pytest.raises(PeriodNotSupported):
        from_adx(text)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    day = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
    kind = draw(st.sampled_from(["year", "quarter", "month", "week", "day"]))
    iso = day.isocalendar()
    code = {"year": f"{day.year}", "quarter": f"{day.year}Q{(day.month + 2) // 3}", "month": f"{day:%Y%m}",
            "week": f"{iso.year}W{iso.week}", "day": f"{day:%Y%m%d}"}[kind]
    return Period.parse(code)


@given(periods())
def test_every_period_survives_both_conversions(period: Period) -> None:
    assert from_adx(to_adx(period)) == period
    assert from_dhis2(period.code) == period
