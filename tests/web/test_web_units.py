"""Pure pieces of the web layer: the org tree, visibility, data-set rules, form parsing, i18n, safe redirects."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from healthplan.domain.data import ApprovalState, DataElement, Kind, ValueType
from healthplan.domain.datasets import parse_data_sets
from healthplan.domain.registry import Level
from healthplan.store.datasets import approval_data_set_of, approval_data_sets, get_approval_data_set
from healthplan.store.users import Role, User
from healthplan.web.entry import parse_fields
from healthplan.web.i18n import Translator
from healthplan.web.pages.account import safe_next
from healthplan.web.tree import OrgTree
from healthplan.web.uploads import safe_filename
from healthplan.web.visibility import Visibility

TREE = OrgTree(
    parent={"140000": None, "140500": "140000", "140525": "140500", "140581": "140500", "140525100": "140525",
            "F1": "140525100", "F2": "140581", "F3": "140500"},
    level={"140000": Level.PROVINCE, "140500": Level.CITY, "140525": Level.COUNTY, "140581": Level.COUNTY,
           "140525100": Level.TOWNSHIP, "F1": Level.FACILITY, "F2": Level.FACILITY, "F3": Level.FACILITY},
    name={"140000": "山西省", "140500": "晋城市", "140525": "泽州县", "140581": "高平市", "140525100": "南村镇",
          "F1": "卫生院", "F2": "医院", "F3": "市医院"})


def user(role: Role, scope: str) -> User:
    return User(1, "u", "u", role, scope, True)


def test_tree_scopes_and_approval_units() -> None:
    assert TREE.within("F1", "140525") and TREE.within("140525", "140525") and not TREE.within("F2", "140525")
    assert TREE.approval_unit("F1") == "140525"  # a facility in a township reports through its county
    assert TREE.approval_unit("140525100") == "140525"
    assert TREE.approval_unit("F3") == "140500"  # a facility right under the city reports through the city
    assert TREE.approval_unit("140500") == "140500"
    assert TREE.feeding("140500") == {"140500", "140525", "140581"}
    assert TREE.feeding("140000") == {"140000", "140500", "140525", "140581"}
    assert TREE.feeding("F1") == {"140525"}
    assert TREE.areas_below("140000", Level.COUNTY) == ["140525", "140581"]


def states(**overrides: ApprovalState) -> dict[tuple[str, str, str], ApprovalState]:
    result = {(ds, unit, "2024"): ApprovalState.APPROVED for ds in approval_data_sets()
              for unit in ("140500", "140525", "140581")}
    for unit, state in overrides.items():
        for ds in approval_data_sets():
            result[(ds, unit.removeprefix("u"), "2024")] = state
    return result


def test_unapproved_data_are_visible_to_their_own_area_and_above_only() -> None:
    beds = {"beds.actual"}
    submitted = states(u140581=ApprovalState.SUBMITTED)
    zezhou = Visibility(user(Role.EDITOR, "140525"), TREE, submitted, approval_data_sets())
    gaoping = Visibility(user(Role.EDITOR, "140581"), TREE, submitted, approval_data_sets())
    city = Visibility(user(Role.VIEWER, "140500"), TREE, submitted, approval_data_sets())
    assert zezhou.hidden("140581", "2024", beds) and zezhou.hidden("F2", "2024", beds)
    assert zezhou.hidden("140500", "2024", beds)  # the city's total contains 高平市's unapproved beds
    assert not zezhou.hidden("140525", "2024", beds) and not zezhou.hidden("F1", "2024", beds)
    assert zezhou.hidden("140581", "2024", {"pop.resident"})  # another report, equally unapproved
    assert not gaoping.hidden("140581", "2024", beds) and not city.hidden("140581", "2024", beds)
    assert zezhou.hidden("140581", "2023", beds)  # no state stored for 2023: a draft
    assert not zezhou.hidden("140581", "2024", {"no.such.element"})  # not collected by any report
    approved = Visibility(user(Role.EDITOR, "140525"), TREE, states(), approval_data_sets())
    assert not approved.hidden("140500", "2024", beds)
    assert not approved.hidden("140500", "2024Q3", beds)
    assert not approved.report_hidden(get_approval_data_set("resources_yearly"), "F2", "2024")
    assert zezhou.report_hidden(get_approval_data_set("resources_yearly"), "F2", "2024")


def test_every_element_is_collected_by_at_most_one_data_set() -> None:
    seen: dict[str, str] = {}
    for ds in approval_data_sets().values():
        for element in ds.elements:
            assert element not in seen, (element, ds.code, seen.get(element))
            seen[element] = ds.code
    assert approval_data_set_of("beds.negative_pressure") is get_approval_data_set("resources_yearly")


def test_rules_as_data() -> None:
    ds = get_approval_data_set("resources_yearly")
    broken = {v.rule.code for v in ds.violations({"beds.negative_pressure": 12, "beds.infectious": 10,
                                                  "staff.gp": 5, "staff.physician": 4})}
    assert broken == {"np_le_infectious", "gp_le_physician"}
    assert ds.violations({"beds.negative_pressure": 12}) == []  # the other side is not filled in yet
    warning = ds.violations({"beds.open": 120, "beds.actual": 100})
    assert [v.blocking for v in warning] == [False]
    sums = ds.violations({"staff.physician": 50, "staff.nurse": 60, "staff.pharmacist": 10,
                          "staff.health_technical": 100})
    assert [v.rule.code for v in sums] == ["professions_le_technicians"] and sums[0].left == 120
    custom = parse_data_sets([{"code": "x", "name": "x", "sections": [{"name": "s", "elements": ["a", "b"]}],
                               "rules": [{"code": "r", "left": ["a"], "op": "eq", "right": ["b"], "name": "a=b"}]}])
    assert custom["x"].violations({"a": 1, "b": 2})[0].message() == "a=b：1 = 2 不成立"


ELEMENTS = {e: DataElement(e, e, e, Kind.STOCK, ValueType.INTEGER, minimum=0)
            for e in get_approval_data_set("resources_yearly").elements}


@given(st.integers(min_value=0, max_value=10**9))
def test_integer_fields_round_trip(n: int) -> None:
    text = f"{n:,}" if n % 2 else str(n)
    values, problems = parse_fields(get_approval_data_set("resources_yearly"), ELEMENTS, {"beds.actual": text})
    assert problems == [] and values == {"beds.actual": n}


@given(st.text(max_size=12))
def test_any_field_text_is_a_number_or_a_located_problem(text: str) -> None:
    values, problems = parse_fields(get_approval_data_set("resources_yearly"), ELEMENTS, {"beds.icu": text})
    value = values["beds.icu"]
    if problems:
        assert [p.column for p in problems] == ["beds.icu"]
    else:
        assert value is None or (math.isfinite(value) and value >= 0 and value == int(value))


def test_translation_falls_back_to_chinese() -> None:
    assert Translator("en")("总览") == "Overview"
    assert Translator("en")("没有翻译的句子") == "没有翻译的句子"
    assert Translator("zh")("总览") == "总览" and Translator("fr").lang == "zh"


def test_redirects_stay_on_the_site_and_file_names_are_clean() -> None:
    assert safe_next("/data?x=1") == "/data?x=1"
    for bad in ("//evil.example", "https://evil.example", "\\\\evil", None, ""):
        assert safe_next(bad) == "/overview"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("卫生 资源;报表.xlsx") == "卫生_资源_报表.xlsx"
