"""The expression language: grammar, semantic checks with columns, and never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthplan.engine.compiler import Compiler
from healthplan.engine.expression import CountAreas, ExpressionError, SumTerm, parse
from healthplan.store.values import core_data_elements

ELEMENTS = {e.code: e for e in core_data_elements()}
COMPILER = Compiler(ELEMENTS)


@pytest.mark.parametrize("text", [
    "sum(beds.actual) / sum(pop.resident) * 1000",
    "count(facilities where category = 'general_hospital' and level >= 2 and dept.geriatrics = 1)",
    "count(areas at county where count(facilities where category = 'emergency_center') >= 1)",
    "count(areas at township where urban_rural = 'rural' and sum(pop.resident) > 1000)",
    "sum(beds.actual where hospital and ownership = 'public' and host = 'city')",
    "sum(staff.total where public_health_institution or primary_care)",
    "sum(beds.actual where not (category in ('clinic', 'village_clinic')) and has(dept.emergency))",
    "sum(beds.actual where in_group('JC-YGT-140525'))",
    "if(sum(beds.actual) > 10 and not sum(beds.open) < 1, round(sum(beds.actual) / 3, 2), -1)",
    "abs(sum(beds.actual) - previous(sum(beds.actual))) + baseline(sum(beds.actual))",
    "min(sum(beds.actual), max(1, 2, 3)) - -4",
    "value(health.life_expectancy)",
    "sum(beds.actual where category = '综合医院' and level = '三级' and grade = 'A')",
    "count(facilities where central = 1)",
])
def test_valid_expressions_compile(text: str) -> None:
    compiled = COMPILER.compile(text)
    assert compiled.sql


@pytest.mark.parametrize(("text", "column", "fragment"), [
    ("sum(beds.actual", 16, "expected"),
    ("sum(beds) + 1", 5, "data element"),
    ("1 + * 2", 5, "unexpected"),
    ("sum(beds.actul)", 1, "unknown data element 'beds.actul'"),
    ("sum(beds.actual where category = 'hospitl')", 34, "not a valid category"),
    ("sum(beds.actual where level = 7)", 31, "level must be 0-3"),
    ("sum(beds.actual where category >= 'clinic')", 35, "= or !="),
    ("count(areas at county where category = 'cdc')", 29, "area filters"),
    ("sum(beds.actual where sum(beds.open) > 1)", 23, "cannot be used inside a facility filter"),
    ("round(sum(beds.actual), sum(beds.open))", 1, "integer constant"),
    ("abs(1, 2)", 1, "takes 1 argument"),
    ("", 1, "empty"),
    ("sum(beds.actual where dept.geriatrics = 'yes')", 41, "compare with numbers"),
])
def test_errors_point_at_the_column(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        COMPILER.compile(text)
    assert info.value.column == column
    assert fragment in info.value.en
    assert info.value.zh.startswith(f"第 {column} 列")


def test_baseline_needs_a_plan() -> None:
    with pytest.raises(ExpressionError, match="baseline"):
        COMPILER.compile("baseline(sum(beds.actual))", allow_baseline=False)


def test_terms_are_shared_between_numerator_and_denominator() -> None:
    refs: dict = {}  # type: ignore[type-arg]
    COMPILER.compile("sum(pop.resident)", refs=refs)
    COMPILER.compile("sum(beds.actual) / sum( pop.resident )", refs=refs)
    assert len(refs) == 2


def test_parse_builds_terms() -> None:
    tree = parse("count(areas at county where sum(beds.actual) > 5)")
    assert isinstance(tree, CountAreas) and tree.level == "county"
    assert isinstance(parse("sum(beds.actual)"), SumTerm)


TOKENS = ["sum(", "count(", "value(", "previous(", "baseline(", "if(", "min(", "max(", "abs(", "round(", ")",
          "(", ",", "+", "-", "*", "/", " where ", " and ", " or ", " not ", " in ", "facilities", "areas at county",
          "beds.actual", "pop.resident", "dept.geriatrics", "foo.bar", "category", "level", "'general_hospital'",
          "'x'", "1", "2.5", "0", ">=", "=", "<", "!=", "hospital", "has(", "in_group(", "'g'", "$", "中文", " "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25) | st.text(max_size=40))
def test_random_expressions_compile_or_fail_with_a_position(parts: list[str] | str) -> None:
    text = parts if isinstance(parts, str) else "".join(parts)
    try:
        COMPILER.compile(text)
    except ExpressionError as exc:
        assert 1 <= exc.column <= len(text) + 1
        assert exc.zh and exc.en
