"""Imports: every error located as file:row:column in both languages; all or nothing; idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from healthplan.domain.problems import ValidationFailed
from healthplan.interop.registry_import import import_facilities, import_org_units
from healthplan.interop.values_import import import_values
from healthplan.plans.files import import_plan
from healthplan.store import audit, registry
from healthplan.store.database import Database
from healthplan.store.plans import list_plans
from healthplan.store.values import read_values

ORG_UNITS = """code,name,level,parent_code,lat,lon,urban_rural
140000,山西省,province,,,,
140500,晋城市,city,140000,35.49,112.85,
140525,泽州县,county,140500,35.61,112.89,rural
140525100,南村镇,township,140525,,,rural
"""
FACILITIES = """code,name,parent_code,category,specialty,level,grade,ownership,host,urban_rural,lat,lon,valid_from,valid_to,groups
F1,泽州县人民医院,140525,general_hospital,,2,A,public,county,rural,35.6,112.9,2000-01-01,2020-06-01,JC-YGT-140525
F1,泽州县人民医院,140525,综合医院,,三级,甲等,公立,县办,rural,35.6,112.9,2020-06-01,,JC-YGT-140525
F2,南村镇卫生院,140525100,township_health_center,,0,,public,county,rural,,,2010-01-01,,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(call: object) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        call()  # type: ignore[operator]
    return [str(p) for p in info.value.problems]


def load_registry(db: Database, tmp_path: Path) -> None:
    import_org_units(write(tmp_path, "orgunits.csv", ORG_UNITS), db, "t")
    import_facilities(write(tmp_path, "facilities.csv", FACILITIES), db, "t")


def test_registry_import_is_idempotent(database: Database, tmp_path: Path) -> None:
    first = import_org_units(write(tmp_path, "orgunits.csv", ORG_UNITS), database, "t")
    assert (first.inserted, first.updated) == (4, 0)
    again = import_org_units(write(tmp_path, "orgunits.csv", ORG_UNITS), database, "t")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    fac = import_facilities(write(tmp_path, "facilities.csv", FACILITIES), database, "t")
    assert fac.inserted == 2
    assert import_facilities(tmp_path / "facilities.csv", database, "t").to_json() == \
        {"inserted": 0, "updated": 0, "unchanged": 2}
    with database.sessions() as s:
        history = registry.facility_history(s, "F1")
    assert [v.level for v in history] == [2, 3]
    assert history[1].grade is not None and history[1].grade.value == "A"


def test_org_unit_errors_are_located_and_nothing_is_written(database: Database, tmp_path: Path) -> None:
    bad = ORG_UNITS + "140526,,county,140599,95,112,suburb\n140525,重复,county,140500,,,\n"
    path = write(tmp_path, "bad.csv", bad)
    problems = problems_of(lambda: import_org_units(path, database, "t"))
    assert any(p.startswith("bad.csv:6:2: “name”不能为空 / name is required") for p in problems)
    assert any(p.startswith("bad.csv:6:5: 纬度 95.0 超出范围") for p in problems)
    assert any(p.startswith("bad.csv:6:7:") and "urban_rural" in p for p in problems)
    assert any(p.startswith("bad.csv:7:1:") and "already on row 4" in p for p in problems)
    with database.sessions() as s:
        assert registry.org_unit_codes(s) == {}
        assert audit.latest_id(s) == 0


def test_missing_column_and_parent_checks(database: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "cols.csv", "code,name,level\n1,a,city\n")
    assert problems_of(lambda: import_org_units(path, database, "t")) == [
        "cols.csv:1: 缺少必需的列“parent_code” / missing required column 'parent_code'"]
    path = write(tmp_path, "tree.csv", "code,name,level,parent_code\n1,省,province,\n2,县,county,3\n3,市,city,2\n")
    problems = problems_of(lambda: import_org_units(path, database, "t"))
    assert any("tree.csv:4:4:" in p and "is not above" in p for p in problems)


def test_facility_errors(database: Database, tmp_path: Path) -> None:
    import_org_units(write(tmp_path, "orgunits.csv", ORG_UNITS), database, "t")
    bad = FACILITIES + ("F3,某诊所,999999,clinic,,0,,private,,,,,2020-13-01,,\n"
                        "F1,泽州县人民医院,140525,general_hospital,,5,Z,public,county,,,,2019-01-01,,\n")
    path = write(tmp_path, "fac.csv", bad)
    problems = problems_of(lambda: import_facilities(path, database, "t"))
    assert any(p.startswith("fac.csv:5:3:") and "999999" in p for p in problems)
    assert any(p.startswith("fac.csv:5:13:") and "not a date" in p for p in problems)
    assert any(p.startswith("fac.csv:6:6:") and "level" in p for p in problems)
    assert any(p.startswith("fac.csv:6:7:") and "grade" in p for p in problems)
    assert any("overlap" in p for p in problems)
    with database.sessions() as s:
        assert "F2" not in registry.org_unit_codes(s)


def test_values_long_and_wide(database: Database, tmp_path: Path) -> None:
    load_registry(database, tmp_path)
    long = write(tmp_path, "values.csv", "data_element,org_unit,period,value\n"
                 "pop.resident,140525,2020,414999\nbeds.actual,F1,2020,500\n")
    assert import_values(long, database, "t").inserted == 2
    assert import_values(long, database, "t").inserted == 0
    wide = write(tmp_path, "wide.csv", "org_unit,period,beds.actual,执业(助理)医师,dept.geriatrics\n"
                 "F1,2020,520,180,1\nF2,2020,40,,0\n")
    changes = import_values(wide, database, "t")
    assert (changes.inserted, changes.updated) == (4, 1)
    with database.sessions() as s:
        assert [r[4] for r in read_values(s, "beds.actual")] == [520, 40]
        assert read_values(s, "staff.physician")[0][4] == 180


def test_wide_excel_with_period_option(database: Database, tmp_path: Path) -> None:
    load_registry(database, tmp_path)
    book = Workbook()
    sheet = book.active
    sheet.append(["机构代码", "机构名称", "beds.actual", "staff.nurse"])
    sheet.append(["F1", "泽州县人民医院", 510, 230])
    sheet.append(["F2", "南村镇卫生院", 35.5, None])
    path = tmp_path / "report.xlsx"
    book.save(path)
    problems = problems_of(lambda: import_values(path, database, "t"))
    assert problems == ["report.xlsx:1: 缺少“period”列，也未指定 --period / no period column and no --period given"]
    problems = problems_of(lambda: import_values(path, database, "t", period="2021"))
    assert problems == ["report.xlsx:3:3: “实有床位”应为整数，得到 35.5 / beds.actual must be an integer, got 35.5"]
    sheet["C3"] = 35
    book.save(path)
    assert import_values(path, database, "t", period="2021").inserted == 3


def test_value_errors_leave_the_store_untouched(database: Database, tmp_path: Path) -> None:
    load_registry(database, tmp_path)
    bad = write(tmp_path, "v.csv", "data_element,org_unit,period,value\n"
                "beds.actual,F1,2020,500\n"            # fine, but must not be written
                "beds.actul,F1,2020,1\n"               # unknown element
                "beds.actual,F9,2020,1\n"              # unknown org unit
                "beds.actual,F1,2020X,1\n"             # bad period
                "beds.actual,F2,2020,-3\n"             # below minimum
                "dept.geriatrics,F1,2020,2\n"          # boolean
                "beds.actual,F1,2020,abc\n"            # not a number
                "beds.actual,F1,2020,501\n")           # duplicate key
    problems = problems_of(lambda: import_values(bad, database, "t"))
    expected = ["v.csv:3:1: 未知的数据元", "v.csv:4:2: 组织机构“F9”不存在", "v.csv:5:3: 无效的期间代码",
                "v.csv:6:4: “实有床位”不能小于 0", "v.csv:7:4: “老年医学科”只能填 0 或 1", "v.csv:8:4: “abc”不是数字",
                "v.csv:9:4: 与第 2 行重复"]
    for prefix in expected:
        assert any(p.startswith(prefix) for p in problems), (prefix, problems)
    with database.sessions() as s:
        assert read_values(s) == []


PLAN = """plan: {code: p1, name: 测试规划, org_unit: "140500", base_year: 2020, target_year: 2025}
indicators:
  - {code: my_ratio, name: 自定义, numerator: "sum(beds.actual where level >= 2)", denominator: "sum(pop.resident)", factor: 1000}
targets:
  - {indicator: beds_per_1000, target: "7", nature: 约束性}
  - {indicator: my_ratio, op: ge, value: 3}
  - {indicator: beds.infectious, org_unit: "140525", op: ge, value: 50}
  - {indicator: basic_ph_funding_per_capita, target: 持续增长}
"""


def test_plan_import_is_idempotent(database: Database, tmp_path: Path) -> None:
    load_registry(database, tmp_path)
    path = write(tmp_path, "plan.yaml", PLAN)
    plan, changes = import_plan(path, database, "t")
    assert len(plan.targets) == 4 and changes.inserted == 2
    _, again = import_plan(path, database, "t")
    assert (again.inserted, again.updated) == (0, 0)
    with database.sessions() as s:
        (stored,) = list_plans(s)
    assert stored == plan


def test_plan_errors_name_line_and_key(database: Database, tmp_path: Path) -> None:
    load_registry(database, tmp_path)
    bad = PLAN.replace("level >= 2", "levle >= 2").replace('op: ge, value: 50', 'op: gte, value: 50') \
        .replace("beds_per_1000, target", "beds_per_10000, target").replace('"140525"', '"999"')
    path = write(tmp_path, "plan.yaml", bad)
    problems = problems_of(lambda: import_plan(path, database, "t"))
    assert any(p.startswith("plan.yaml:3:numerator: numerator：第 23 列") for p in problems), problems
    assert any(p.startswith("plan.yaml:5:indicator:") and "beds_per_10000" in p for p in problems)
    assert any(p.startswith("plan.yaml:7:op:") and "gte" in p for p in problems)
    assert len(problems) == 3
    with database.sessions() as s:
        assert list_plans(s) == []


def test_plan_from_excel(database: Database, tmp_path: Path) -> None:
    load_registry(database, tmp_path)
    book = Workbook()
    meta = book.active
    meta.title = "规划"
    meta.append(["项目", "内容"])
    for row in (["规划代码", "xls"], ["规划名称", "表格规划"], ["区划代码", "140500"], ["基期", 2020], ["目标年", 2025]):
        meta.append(row)
    targets = book.create_sheet("目标")
    targets.append(["序号", "类别", "指标", "指标代码", "2025年目标", "指标性质"])
    targets.append([1, "服务体系指标", "每千常住人口医疗卫生机构床位数(张)", "beds_per_1000", "7", "预期性"])
    targets.append([2, "服务体系指标", "二级及以上综合医院设置老年医学科的比例(%)", "geriatrics_dept_share", "≥70", "预期性"])
    targets.append([3, "服务保障指标", "个人卫生支出占卫生总费用的比重(%)", "oop_share", "27左右", "约束"])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    problems = problems_of(lambda: import_plan(path, database, "t"))
    assert problems == ["plan.xlsx:4:6: 指标性质“约束”应为 约束性/预期性 / nature must be binding or expected"]
    targets["F4"] = "约束性"
    book.save(path)
    plan, _ = import_plan(path, database, "t")
    assert [t.op.value for t in plan.targets] == ["reach", "ge", "approx"]
    assert plan.targets[2].nature.value == "binding"
