"""Rules files: the shipped ones load, bad ones are rejected as a whole with located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthplan.allocation.ruleset import (
    FreezeRule,
    LineRule,
    MinimumRule,
    ShareRule,
    load_rules,
    shipped_rules,
)
from healthplan.domain.problems import ValidationFailed
from healthplan.engine.catalog import Catalog
from healthplan.engine.compiler import Compiler
from healthplan.store.values import core_data_elements


@pytest.fixture(scope="module")
def tools() -> tuple[Catalog, Compiler]:
    elements = {e.code: e for e in core_data_elements()}
    return Catalog((), elements), Compiler(elements)


def test_jincheng_rules_extend_the_national_ones(tools: tuple[Catalog, Compiler]) -> None:
    rules = load_rules(shipped_rules("jincheng-14th-health-services"), *tools)
    by_code = {r.code: r for r in rules.rules}
    assert isinstance(by_code["bed_freeze"], FreezeRule)
    assert not by_code["bed_freeze"].clause.verified  # second-hand: reported as 待核对
    assert by_code["bed_freeze"].clause.status == "待核对"
    county = by_code["infectious_beds_county"]
    assert isinstance(county, MinimumRule)
    assert county.floor("140502") == 80 and county.floor("140521") == 20 and county.floor("140500") is None
    assert "城区要求不低于80张床位" in county.clause.text
    # the plan's own clause replaces the national one of the same code
    share = by_code["negative_pressure_ambulances"]
    assert isinstance(share, ShareRule) and share.low == 40 and "晋城" in share.clause.document
    ambulances = by_code["ambulances_per_30000"]
    assert isinstance(ambulances, LineRule)
    assert ambulances.value == pytest.approx(10000 / 30000)  # 1 per 30,000 in the per-10,000 indicator
    assert rules.parameter("age65_weight").value == 2.5


def test_unknown_plan_gets_the_national_rules(tools: tuple[Catalog, Compiler]) -> None:
    path = shipped_rules("some-other-plan")
    assert path.name == "national.yaml"
    assert load_rules(path, *tools).lines


def test_shuozhou_rules_load(tools: tuple[Catalog, Compiler]) -> None:
    rules = load_rules(shipped_rules("shuozhou-14th-public-health"), *tools)
    line = next(r for r in rules.lines if r.code == "ambulances_per_20000")
    assert line.value == pytest.approx(0.5)


def test_every_problem_is_reported_with_its_line(tmp_path: Path, tools: tuple[Catalog, Compiler]) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        "rules:\n"
        "  - code: no_source\n"
        "    kind: line\n"
        "    name: 缺出处\n"
        "    indicator: beds_per_1000\n"
        "    value: 7\n"
        "  - code: bad_expression\n"
        "    kind: minimum\n"
        "    name: 表达式错误\n"
        "    document: d\n"
        "    clause: c\n"
        "    verified: true\n"
        "    indicator: {numerator: 'sum(beds.nonsense'}\n"
        "    minimum: 1\n"
        "  - code: unknown_indicator\n"
        "    kind: line\n"
        "    name: 未知指标\n"
        "    document: d\n"
        "    clause: c\n"
        "    verified: true\n"
        "    indicator: no_such_indicator\n"
        "    value: 1\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_rules(bad, *tools)
    problems = caught.value.problems
    assert {p.row for p in problems} == {2, 7, 15}
    assert all(p.source == str(bad) for p in problems)
    assert any(p.column == "document" for p in problems)
    assert any(p.column == "indicator" and "no_such_indicator" in p.en for p in problems)


def test_a_share_basis_must_not_name_a_freeze_rule(tmp_path: Path, tools: tuple[Catalog, Compiler]) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "extends: national\n"
        "rules:\n"
        "  - {code: odd, kind: share, name: x, document: d, clause: c, verified: true,\n"
        "     indicator: negative_pressure_ambulance_share, low: 10, basis: bed_freeze}\n", encoding="utf-8")
    (tmp_path / "national.yaml").write_text(shipped_rules(None).read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_rules(path, *tools)
    assert [p.column for p in caught.value.problems] == ["basis"]


def test_extends_loop_is_an_error(tmp_path: Path, tools: tuple[Catalog, Compiler]) -> None:
    (tmp_path / "a.yaml").write_text("extends: b\nrules: []\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a\nrules: []\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_rules(tmp_path / "a.yaml", *tools)
    assert "loop" in caught.value.problems[0].en


@pytest.mark.parametrize(("plan", "region"), [("jincheng-14th-health-services", "jincheng"),
                                               ("shuozhou-14th-public-health", "shuozhou")])
def test_plan_rules_name_the_demo_areas(tools: tuple[Catalog, Compiler], plan: str, region: str) -> None:
    """Every area a shipped plan's rules name is an area of that demo region, and every county is named."""
    import csv
    from importlib import resources

    folder = resources.files("healthplan.demo").joinpath("data", region)
    with folder.joinpath("orgunits.csv").open(encoding="utf-8") as handle:
        units = {row["code"]: row for row in csv.DictReader(handle)}
    rules = load_rules(shipped_rules(plan), *tools)
    floors = next(r for r in rules.rules if r.code == "infectious_beds_county")
    assert isinstance(floors, MinimumRule)
    counties = {c for c, u in units.items() if u["level"] == "county" and "开发区" not in u["name"]}
    assert set(floors.minimum) == counties
