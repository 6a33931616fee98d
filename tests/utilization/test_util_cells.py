"""The vectorised cell parsers and code checks, against Python's own reading of the same text (hypothesis)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from healthplan.utilization import cells
from healthplan.utilization.duplicates import FirstOccurrence, Hasher, repeated
from healthplan.utilization.schema import EncounterType, Referral
from healthplan.utilization.territory import Territory
from tests.utilization.conftest import AREAS, BEDS, FACILITIES

TERRITORY = Territory(AREAS, FACILITIES, BEDS)
QUICK = settings(deadline=None, max_examples=60)  # a shared, busy machine: no per-example deadline
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@QUICK
@given(st.lists(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))),
       st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"]))
def test_dates_read_back(days: list[dt.date], fmt: str) -> None:
    values, bad = cells.dates(pa.array([d.strftime(fmt) for d in days], pa.string()))
    assert values.to_pylist() == days and not any(bad.to_pylist())


@QUICK
@given(st.lists(st.text(max_size=12)))
def test_a_cell_is_a_date_exactly_when_python_reads_it(texts: list[str]) -> None:
    values, bad = cells.dates(pa.array(texts, pa.string()))

    def python(text: str) -> dt.date | None:
        for fmt in cells.DATE_FORMATS:
            try:
                return dt.datetime.strptime(text.strip(), fmt).date()
            except ValueError:
                continue
        return None

    for text, value, is_bad in zip(texts, values.to_pylist(), bad.to_pylist(), strict=True):
        expected = python(text) if text.strip() else None
        if expected is not None:
            assert value == expected, text
        assert is_bad == (value is None and bool(text.strip())), text


@QUICK
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False)))
def test_numbers_read_back(numbers: list[float]) -> None:
    values, bad = cells.numbers(pa.array([repr(n) for n in numbers], pa.string()))
    assert values.to_pylist() == numbers and not any(bad.to_pylist())


@QUICK
@given(st.lists(st.text(max_size=8)))
def test_a_cell_is_a_number_exactly_when_it_looks_like_one(texts: list[str]) -> None:
    values, bad = cells.numbers(pa.array(texts, pa.string()))
    for text, value, is_bad in zip(texts, values.to_pylist(), bad.to_pylist(), strict=True):
        readable = bool(_NUMBER.fullmatch(text.strip()))
        assert (value is not None) == readable, text
        assert is_bad == (bool(text.strip()) and not readable), text
        if readable:
            assert value == float(text.strip())


@QUICK
@given(st.lists(st.sampled_from([*(m.value for m in EncounterType), *(m.label for m in EncounterType), "", "  ",
                                 "门急诊", "Outpatient"])))
def test_codes_and_labels(texts: list[str]) -> None:
    values, bad = cells.coded(pa.array(texts, pa.string()), EncounterType)
    for text, value, is_bad in zip(texts, values.to_pylist(), bad.to_pylist(), strict=True):
        try:
            expected: str | None = EncounterType.from_text(text).value
        except ValueError:
            expected = None
        assert value == expected and is_bad == (expected is None and bool(text.strip()))


def test_empty_referral_means_none() -> None:
    values, bad = cells.coded(pa.array(["", None, "下转"], pa.string()), Referral, Referral.NONE)
    assert values.to_pylist() == ["none", "none", "down"] and not any(bad.to_pylist())


@QUICK
@given(st.from_regex(r"[1-9][0-9]{5}", fullmatch=True))
def test_codes_outside_the_registered_cities_are_places_elsewhere(code: str) -> None:
    inside = code[:4] in ("1405", "1406")
    registered_area = code in {a.code for a in AREAS}
    assert TERRITORY.valid_place(pa.array([code])).to_pylist() == [not inside and not registered_area]
    assert TERRITORY.valid_residence(pa.array([code])).to_pylist() == [not inside or registered_area]


def test_registered_codes() -> None:
    codes = pa.array(["H1", "M1", "140525100", "140502", "140599001", "140100001", "H1 ", None, "1401"])
    assert TERRITORY.valid_place(codes).to_pylist() == [True, True, False, False, False, False, False, False, False]
    assert TERRITORY.valid_residence(codes).to_pylist() == [False, False, True, True, False, True, False, False,
                                                            False]


@QUICK
@given(st.lists(st.sampled_from(["a", "b", "c", "", "长治", "a" * 40]), max_size=60), st.integers(1, 7))
def test_duplicates_keep_the_first_row_of_each_id(ids: list[str], batch: int) -> None:
    hasher = Hasher()
    chunks = [pa.array(ids[i:i + batch], pa.string()) for i in range(0, len(ids), batch)]
    seen = FirstOccurrence(repeated(hasher(c) for c in chunks), hasher)
    flagged: list[bool] = []
    for start, chunk in zip(range(0, len(ids), batch), chunks, strict=True):
        mask, _ = seen.check(chunk, "f", start)
        flagged += np.asarray(mask).tolist()
    assert flagged == [ids.index(text) != i for i, text in enumerate(ids)]
