"""Chinese numerals as documents number their parts, both ways."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthplan.govdoc.numerals import from_chinese, to_chinese


@given(st.integers(min_value=1, max_value=999))
def test_chinese_numerals_round_trip(number: int) -> None:
    assert from_chinese(to_chinese(number)) == number


def test_chinese_numerals() -> None:
    assert [to_chinese(n) for n in (1, 6, 9, 10, 11, 12, 20, 21, 39, 100, 101, 110, 999)] == [
        "一", "六", "九", "十", "十一", "十二", "二十", "二十一", "三十九", "一百", "一百零一", "一百一十", "九百九十九"]
    for text in ("十十", "", "四a", "一百十", "零", "一百零", "百", "一百零十"):
        assert from_chinese(text) is None, text


@pytest.mark.parametrize("number", [0, 1000, -3])
def test_out_of_range(number: int) -> None:
    with pytest.raises(ValueError):
        to_chinese(number)
