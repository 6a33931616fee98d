"""Scoring rules and ranking, with shares worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthplan.assess.elements import ELEMENTS
from healthplan.assess.result import ItemScore, SubjectResult, ranked
from healthplan.assess.rules import Linear, PassFail, Steps
from healthplan.assess.scheme import IndicatorScheme, TargetScheme, load_scheme, scheme_path, shipped
from healthplan.domain.problems import NotFound, ValidationFailed
from healthplan.engine.catalog import Catalog
from healthplan.engine.compiler import Compiler
from healthplan.store.values import core_data_elements

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def test_linear() -> None:
    assert Linear(0, 3).share(2) == pytest.approx(2 / 3)
    assert (Linear(0, 3).share(-1), Linear(0, 3).share(5)) == (0.0, 1.0)
    assert Linear(12, 9).share(10) == pytest.approx(2 / 3)  # lower is better: 平均住院日 12 → 9
    assert Linear(0, 3).requirement() == "≥3 得满分，0 起计分"


def test_steps_and_pass() -> None:
    emr = Steps(((2, 0.5), (3, 0.75), (4, 1.0)))
    assert [emr.share(v) for v in (1, 2, 3, 3.9, 4, 6)] == [0.0, 0.5, 0.75, 0.75, 1.0, 1.0]
    assert Steps(((10, 0.5), (8, 1.0)), lower_better=True).share(9) == 0.5
    assert emr.requirement() == "≥2 得50%，≥3 得75%，≥4 得100%"
    assert (PassFail("ge", 1).share(1), PassFail("ge", 1).share(0), PassFail("lt", 5).share(4)) == (1.0, 0.0, 1.0)


@given(finite, finite, finite, finite)
def test_linear_shares_stay_in_range_and_keep_order(floor: float, target: float, a: float, b: float) -> None:
    if abs(target - floor) < 1e-6:
        return
    rule = Linear(floor, target)
    low, high = sorted((a, b), key=lambda v: v if target > floor else -v)
    assert 0.0 <= rule.share(low) <= rule.share(high) <= 1.0


def _result(code: str, points: float) -> SubjectResult:
    return SubjectResult(code, code, (ItemScore("x", "x", "d", 10, points, "", "", points / 10, ""),), ())


def test_ties_share_a_rank() -> None:
    results = ranked([_result("a", 5), _result("b", 9), _result("c", 5), _result("d", 1),
                      SubjectResult("e", "e", (), ())])
    assert [(r.org_unit, r.rank, r.score) for r in results] == [
        ("b", 1, 90.0), ("a", 2, 50.0), ("c", 2, 50.0), ("d", 4, 10.0), ("e", 5, None)]


def _catalog() -> tuple[Catalog, Compiler]:
    elements = {e.code: e for e in [*core_data_elements(), *ELEMENTS]}
    return Catalog((), elements), Compiler(elements)


def test_shipped_schemes_load() -> None:
    assert set(shipped()) == {"district-hospital-capability", "jincheng-county-targets"}
    catalog, compiler = _catalog()
    capability = load_scheme(scheme_path("district-hospital-capability"), catalog, compiler)
    assert isinstance(capability, IndicatorScheme)
    assert sum(i.weight for i in capability.items) == 100
    assert {d.name for d in capability.dimensions} == {"设施条件", "科室设置", "专科与中心建设", "信息化支撑"}
    emr = next(i for i in capability.items if i.code == "emr_level")
    assert emr.rule_for("14050200003").share(3) == 1.0 and emr.rule_for("14050000004").share(3) == 0.75
    stroke = next(i for i in capability.items if i.code == "stroke_center")
    assert not stroke.applies("14050000004", 2023) and stroke.applies("14050000004", 2024)
    assert not stroke.applies("14050200003", 2024)
    county = load_scheme(scheme_path("jincheng-county-targets"), catalog, compiler)
    assert isinstance(county, TargetScheme) and county.weights == {"binding": 2.0, "expected": 1.0}
    with pytest.raises(NotFound):
        scheme_path("no-such-scheme")


BAD = """scheme:
  code: bad
  name: 有错的方案
  subjects: {kind: facilities, codes: [F1]}
dimensions:
  - {code: a, name: 甲}
items:
  - {code: x, name: 甲项, indicator: no_such_indicator, dimension: a, weight: 5, rule: {type: pass, op: ge, value: 1}}
  - {code: y, name: 乙项, numerator: "sum(beds.actual", dimension: a, weight: 5, rule: {type: linear, floor: 1, target: 1}}
  - {code: z, name: 丙项, indicator: beds.actual, dimension: b, weight: -1, rule: {type: ladder}}
"""


def test_scheme_problems_are_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    catalog, compiler = _catalog()
    with pytest.raises(ValidationFailed) as caught:
        load_scheme(path, catalog, compiler)
    located = {(p.row, p.column) for p in caught.value.problems}
    assert located == {(8, "indicator"), (9, "numerator"), (9, "target"), (10, "dimension"), (10, "weight"),
                       (10, "type")}
    assert all(p.source == "bad.yaml" and p.zh and p.en for p in caught.value.problems)
