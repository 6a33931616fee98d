"""Data sets (报表): the shipped definitions, rule evaluation, period checks and located problems in the YAML."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from healthplan.domain.data import RecordedAt
from healthplan.domain.datasets import DataSet, Op, Rule, Section, Severity, parse_data_sets
from healthplan.domain.periods import PeriodType
from healthplan.domain.problems import HealthplanError, NotFound, ValidationFailed
from healthplan.domain.registry import Level
from healthplan.store.datasets import (
    approval_data_set_of,
    approval_data_sets,
    data_sets,
    get_approval_data_set,
    get_data_set,
    load_data_sets,
)


def core_element_codes() -> set[str]:
    """Read straight from the packaged file, not through the loader under test."""
    text = resources.files("healthplan.store").joinpath("data_elements.yaml").read_text(encoding="utf-8")
    return {item["code"] for item in yaml.safe_load(text)}


def test_shipped_data_sets() -> None:
    assert list(data_sets()) == ["resources_yearly", "capability_yearly", "services_yearly", "area_yearly",
                                 "services_monthly", "population_yearly", "public_health_yearly"]
    assert list(approval_data_sets()) == ["resources_yearly", "capability_yearly", "services_yearly", "area_yearly"]
    resources_yearly = get_data_set("resources_yearly")
    assert [s.name for s in resources_yearly.sections] == ["床位", "人员", "设备", "科室设置（有=1，无=0）"]
    assert resources_yearly.recorded_at is RecordedAt.FACILITY and resources_yearly.period_type is PeriodType.YEAR
    area = get_data_set("area_yearly")
    assert (area.rows, area.recorded_at) == (Level.COUNTY, RecordedAt.AREA)
    monthly = get_data_set("services_monthly")
    assert monthly.period_type is PeriodType.MONTH and not monthly.approval
    assert [r.code for r in monthly.rules] == ["occupied_le_open"]  # shared with services_yearly by a YAML anchor
    assert monthly.rules[0] == get_data_set("services_yearly").rules[1]


def test_every_element_of_every_data_set_is_a_core_data_element() -> None:
    core = core_element_codes()
    for ds in data_sets().values():
        assert ds.elements and set(ds.elements) <= core, (ds.code, set(ds.elements) - core)
        for rule in ds.rules:
            assert set(rule.elements) <= set(ds.elements), (ds.code, rule.code)


def test_each_element_has_at_most_one_approval_data_set() -> None:
    owners: dict[str, list[str]] = {}
    for ds in approval_data_sets().values():
        for element in ds.elements:
            owners.setdefault(element, []).append(ds.code)
    assert all(len(codes) == 1 for codes in owners.values()), owners
    assert approval_data_set_of("svc.visits") is get_data_set("services_yearly")  # not services_monthly
    assert approval_data_set_of("dept.geriatrics") is get_data_set("resources_yearly")
    assert approval_data_set_of("no.such.element") is None


def test_lookups_name_the_choices() -> None:
    with pytest.raises(NotFound, match="resources_yearly"):
        get_data_set("yearly-resource")
    assert get_data_set("yearly-resources") is get_data_set("resources_yearly")  # the name the issue gives it
    assert get_approval_data_set("yearly-resources") is get_data_set("resources_yearly")
    assert get_approval_data_set("area_yearly") is get_data_set("area_yearly")
    with pytest.raises(NotFound, match="只用于 Excel 模板"):
        get_approval_data_set("services_monthly")


def rule(op: Op, severity: Severity = Severity.ERROR) -> Rule:
    return Rule("r", ("a", "b"), op, ("c",), "甲 + 乙 对 丙", "a + b against c", severity)


@pytest.mark.parametrize(("op", "left", "right", "holds"), [
    (Op.LE, 10, 10, True), (Op.LE, 11, 10, False),
    (Op.LT, 9, 10, True), (Op.LT, 10, 10, False),
    (Op.GE, 10, 10, True), (Op.GE, 9, 10, False),
    (Op.GT, 11, 10, True), (Op.GT, 10, 10, False),
    (Op.EQ, 10, 10, True), (Op.EQ, 10.5, 10, False),
])
def test_each_op_compares_the_sums(op: Op, left: float, right: float, holds: bool) -> None:
    violation = rule(op).check({"a": left - 4, "b": 4, "c": right})
    assert (violation is None) is holds
    if violation is not None:
        assert (violation.left, violation.right) == (left, right)


def test_eq_tolerates_rounding_of_decimal_sums() -> None:
    assert rule(Op.EQ).check({"a": 0.1, "b": 0.2, "c": 0.3}) is None


@pytest.mark.parametrize("values", [{"a": 50, "b": 60}, {"a": 50, "c": 1}, {"b": 60, "c": 1},
                                    {"a": 50, "b": None, "c": 1}, {}])
def test_a_rule_is_skipped_while_an_element_is_missing(values: dict[str, float | None]) -> None:
    assert rule(Op.LE).check(values) is None


def test_an_entered_zero_is_a_value() -> None:
    violation = rule(Op.LE).check({"a": 0, "b": 1, "c": 0})
    assert violation is not None and violation.left == 1


def test_severity_decides_whether_a_violation_blocks() -> None:
    error = rule(Op.LE).check({"a": 5, "b": 6, "c": 10})
    warning = rule(Op.LE, Severity.WARNING).check({"a": 5, "b": 6, "c": 10})
    assert error is not None and error.blocking
    assert warning is not None and not warning.blocking
    assert error.message() == "甲 + 乙 对 丙：11 ≤ 10 不成立"
    assert error.message(english=True) == "a + b against c: 11 ≤ 10 does not hold"
    assert warning.to_json()["severity"] == "warning" and warning.to_json()["elements"] == ["a", "b", "c"]


@given(st.dictionaries(st.sampled_from("abc"), st.integers(-10**6, 10**6)), st.sampled_from(list(Op)))
def test_a_violation_is_exactly_a_filled_rule_that_fails(values: dict[str, float], op: Op) -> None:
    violation = rule(op).check(values)
    filled = set(values) == {"a", "b", "c"}
    assert (violation is not None) == (filled and not op.holds(values["a"] + values["b"], values["c"]))


def test_data_set_violations_use_the_shipped_rules() -> None:
    ds = get_data_set("resources_yearly")
    broken = ds.violations({"beds.negative_pressure": 12, "beds.infectious": 10, "beds.open": 120,
                            "beds.actual": 100})
    assert [(v.rule.code, v.blocking) for v in broken] == [("np_le_infectious", True), ("open_le_actual", False)]


def test_periods_follow_the_period_type() -> None:
    yearly, monthly = get_data_set("resources_yearly"), get_data_set("services_monthly")
    assert yearly.check_period("2024") == "2024" and yearly.period(2024).code == "2024"
    assert monthly.check_period("202403") == "202403"
    with pytest.raises(HealthplanError, match=r"按年填报.*2024Q3 是季"):
        yearly.check_period("2024Q3")
    with pytest.raises(HealthplanError, match="is reported monthly"):
        monthly.period(2024)
    with pytest.raises(HealthplanError, match="期间无效"):
        yearly.check_period("2024-03")
    with pytest.raises(HealthplanError, match="--year"):
        yearly.period()


def test_approval_periods_are_the_years_a_period_touches() -> None:
    assert DataSet.approval_periods("2024Q3") == ["2024"]
    assert DataSet.approval_periods("2020W53") == ["2020", "2021"]  # 2020-12-28 to 2021-01-03


def test_json_shape() -> None:
    shape = get_data_set("services_monthly").to_json()
    assert shape["period_type"] == "monthly" and shape["rows"] == "facility" and shape["recorded_at"] == "facility"
    assert shape["approval"] is False and shape["data_elements"] == list(get_data_set("services_monthly").elements)
    assert shape["rules"] == [{"code": "occupied_le_open", "name": "实际占用总床日数一般不超过实际开放总床日数（加床时除外）",
                               "name_en": "occupied bed-days usually do not exceed open bed-days (unless extra beds)",
                               "left": ["svc.bed_days_occupied"], "op": "le", "right": ["svc.bed_days_open"],
                               "severity": "warning"}]


def test_defaults_for_a_minimal_definition() -> None:
    (ds,) = parse_data_sets([{"code": "x", "name": "x", "sections": [{"name": "s", "elements": ["a"]}]}]).values()
    assert (ds.rows, ds.period_type, ds.approval, ds.rules) == (Level.FACILITY, PeriodType.YEAR, False, ())
    assert ds.sections == (Section("s", "", ("a",)),)


GOOD = """\
- code: forms
  name: 表
  approval: true
  sections:
    - {name: 床位, elements: [beds.actual, beds.icu]}
  rules:
    - {code: icu, left: [beds.icu], op: le, right: [beds.actual], name: 重症 ≤ 实有}
"""


def located(text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        load_data_sets(text)
    return [f"{p.located()} {p.zh}" for p in info.value.problems]


def test_a_good_file_loads() -> None:
    (ds,) = load_data_sets(GOOD).values()
    assert ds.rules[0].op is Op.LE and ds.approval


def test_problems_are_located_at_line_and_key() -> None:
    bad = GOOD.replace("op: le", "op: lte").replace("beds.icu]}", "beds.icu, beds.nope]}") + """\
- code: Other-Set
  name: 月报
  period_type: monthly
  approval: true
  rows: hamlet
  sections:
    - {name: 床位, elements: [beds.actual, beds.actual]}
  rules:
    - {code: r, left: [beds.open], op: le, right: [beds.actual], name: x, severity: fatal}
    - {code: r, left: [], op: le, right: [beds.actual], name: y}
"""
    problems = located(bad)
    expected = [
        "datasets.yaml:5:elements 未知的数据元“beds.nope”",
        "datasets.yaml:7:op “op”应为 le/lt/ge/gt/eq 之一",
        "datasets.yaml:8:code 报表代码“Other-Set”只能用小写字母",
        "datasets.yaml:14:elements 数据元“beds.actual”在本报表中出现两次",
        "datasets.yaml:16:severity “severity”应为 error/warning 之一",
        "datasets.yaml:16:left 规则“r”用到本报表不收集的数据元：beds.open",
        "datasets.yaml:17:left “left”应为非空的数据元代码列表",
        "datasets.yaml:8:rules 规则代码重复：r",
        "datasets.yaml:8:approval 审核按年进行",
        "datasets.yaml:8:rows “rows”应为",
        "datasets.yaml:8:sections 数据元“beds.actual”已由参与审核的报表“forms”收集",
    ]
    for prefix in expected:
        assert any(p.startswith(prefix) for p in problems), (prefix, problems)
    assert len(problems) == len(expected), problems


def test_an_alias_names_one_data_set_only() -> None:
    (ds,) = load_data_sets(GOOD.replace("  name: 表\n", "  name: 表\n  aliases: [old-forms]\n")).values()
    assert ds.aliases == ("old-forms",) and ds.to_json()["aliases"] == ["old-forms"]
    other = "- code: old_forms\n  name: 旧\n  aliases: [forms, Bad Alias]\n  sections:\n    - {name: s, elements: [beds.open]}\n"
    assert located(GOOD + other) == ["datasets.yaml:8:aliases 别名“Bad Alias”只能用小写字母、数字、下划线和连字符，以字母开头",
                                     "datasets.yaml:8:aliases 名称“forms”已是报表“forms”的代码或别名"]


def test_duplicate_codes_and_broken_yaml() -> None:
    assert located(GOOD + GOOD.replace("approval: true", "approval: false"))[0].startswith(
        "datasets.yaml:8:code 报表代码“forms”重复")
    assert located("- code: x\n  name: [unclosed\n")[0].startswith("datasets.yaml:3 YAML 格式错误")
    assert located("code: x\n") == ["datasets.yaml 文件应为报表列表"]
    assert located("- just text\n") == ["datasets.yaml 每个报表应为一个映射"]
