"""公文 heading numbers 一、（一）1．（1） and their counting."""

from __future__ import annotations

import pytest

from healthplan.govdoc.headings import Numbering, heading_number


def test_heading_numbers_follow_the_official_document_style() -> None:
    assert [heading_number(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2．", "（2）"]
    assert heading_number(1, 11) == "十一、" and heading_number(2, 20) == "（二十）"


def test_a_heading_restarts_the_levels_below_it() -> None:
    numbering = Numbering()
    labels = [numbering.next(level) for level in (1, 2, 3, 3, 2, 3, 1, 3, 2, 4)]
    assert labels == ["一、", "（一）", "1．", "2．", "（二）", "1．", "二、", "1．", "（一）", "（1）"]


@pytest.mark.parametrize("level", [0, 5])
def test_levels_outside_the_four_are_refused(level: int) -> None:
    with pytest.raises(ValueError):
        heading_number(level, 1)
    with pytest.raises(ValueError):
        Numbering().next(level)
