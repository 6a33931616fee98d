"""Statistical-report templates: content from the registry as of the period's end, an Excel layout people can
fill safely, and a filled file that imports back cell by cell."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from healthplan.domain.data import DataElement, Kind, ValueType
from healthplan.domain.problems import HealthplanError, ValidationFailed
from healthplan.interop.template import Layout, build_template
from healthplan.interop.values_import import import_values
from healthplan.interop.workbook import rule_of, write_template
from healthplan.store.database import Database
from healthplan.store.datasets import data_sets, get_data_set
from healthplan.store.values import ValueWrite, data_elements, read_values, write_values

RESOURCES = get_data_set("resources_yearly")


def template_file(db: Database, tmp_path: Path, layout: Layout = Layout.WIDE, year: int = 2020,
                  org: str = "140525", prefill: bool = True) -> Path:
    path = tmp_path / f"resources-{layout}.xlsx"
    write_template(build_template(db, RESOURCES, org, RESOURCES.period(year, None), layout, prefill), path)
    return path


def stored(db: Database) -> list[tuple[str, str, str, str, float, str]]:
    with db.sessions() as s:
        return read_values(s)


def test_data_sets_name_known_data_elements(sqlite_db: Database) -> None:
    with sqlite_db.sessions() as s:
        known = data_elements(s)
    for data_set in data_sets().values():
        assert data_set.elements and set(data_set.elements) <= set(known), data_set.code
    assert {e.split(".")[0] for e in RESOURCES.elements} == {"beds", "staff", "equip", "dept"}


def test_rows_are_the_facilities_active_at_the_period_end(sqlite_region: Database) -> None:
    def rows(year: int) -> list[str]:
        template = build_template(sqlite_region, RESOURCES, "140525", RESOURCES.period(year, None), Layout.WIDE)
        return [r.code for r in template.rows]

    assert rows(2019) == ["F2", "F3"]  # F4 opened 2020-01-01
    assert rows(2020) == ["F2", "F4"]  # F3 closed 2020-03-01
    population = get_data_set("population_yearly")
    template = build_template(sqlite_region, population, "140500", population.period(2020, None), Layout.WIDE)
    assert [r.code for r in template.rows] == ["140502", "140525"]
    assert template.values[("140525", "pop.resident")] == (414999, "")


def test_period_must_match_the_data_set(sqlite_region: Database) -> None:
    with pytest.raises(HealthplanError, match="2020Q1"):
        RESOURCES.period(None, "2020Q1")
    with pytest.raises(HealthplanError, match="--year"):
        RESOURCES.period(2020, "2020")
    monthly = get_data_set("services_monthly")
    assert monthly.period(None, "202001").code == "202001"


def test_validation_rules_follow_the_data_elements() -> None:
    beds = DataElement("beds.actual", "实有床位", "", Kind.STOCK, ValueType.INTEGER, unit="张", minimum=0)
    flag = DataElement("dept.geriatrics", "老年医学科", "", Kind.STOCK, ValueType.BOOLEAN)
    share = DataElement("health.literacy_pct", "居民健康素养水平", "", Kind.STOCK, ValueType.PERCENT)
    level = DataElement("cap.emr_level", "电子病历", "", Kind.STOCK, ValueType.INTEGER, minimum=0, maximum=8)
    assert (rule_of(beds).kind, rule_of(beds).low, rule_of(beds).high) == ("whole", 0, None)
    assert rule_of(beds).words == "整数，≥ 0，单位：张"
    assert (rule_of(flag).kind, rule_of(flag).words) == ("list", "0 或 1（1=是，0=否）")
    assert (rule_of(share).kind, rule_of(share).low, rule_of(share).high) == ("decimal", 0, 100)
    assert rule_of(level).words == "整数，0–8"


def test_wide_layout_hides_codes_locks_keys_and_validates(sqlite_region: Database, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(template_file(sqlite_region, tmp_path))
    sheet = book["填报"]
    assert book.sheetnames == ["填报", "填报说明", "机构名单"]
    codes = [c.value for c in sheet[1]]
    assert codes[:4] == ["org_unit", "name", "period", "beds.actual"] and len(codes) == 3 + len(RESOURCES.elements)
    assert sheet.row_dimensions[1].hidden
    assert [c.value for c in sheet[2]][:4] == ["机构代码", "机构名称", "期间", "实有床位"]
    assert [[c.value for c in row][:4] for row in sheet.iter_rows(min_row=3)] == [
        ["F2", "泽州县人民医院", "2020", 500], ["F4", "南村镇卫生院", "2020", 40]]
    geriatrics = 4 + RESOURCES.elements.index("dept.geriatrics")
    assert sheet.cell(3, geriatrics).value == 0  # an entered 0 is prefilled, not left blank
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet["A3"].protection.locked and sheet["C3"].protection.locked and not sheet["D3"].protection.locked
    rules = {str(dv.sqref): (dv.type, dv.operator, dv.formula1) for dv in sheet.data_validations.dataValidation}
    assert rules["D3:D4"] == ("whole", "greaterThanOrEqual", "0")
    letter = openpyxl.utils.get_column_letter(geriatrics)
    assert rules[f"{letter}3:{letter}4"] == ("list", None, '"0,1"')
    assert sheet.freeze_panes == "D3"


@pytest.mark.parametrize("layout", list(Layout))
def test_template_round_trip_gives_identical_values(region: Database, tmp_path: Path, layout: Layout) -> None:
    before = stored(region)
    path = template_file(region, tmp_path, layout)
    with region.transaction() as s:  # empty the year the template covers, then import the template back
        write_values(s, [ValueWrite(de, ou, p, None, d) for de, ou, p, d, _v, _c in before
                         if p == "2020" and ou in ("F2", "F4") and de in RESOURCES.elements], "t")
    assert stored(region) != before
    changes = import_values(path, region, "t")
    assert (changes.inserted, changes.updated) == (3, 0)
    assert stored(region) == before
    assert import_values(path, region, "t").inserted == 0  # idempotent


def test_filled_wide_template_imports_new_values(region: Database, tmp_path: Path) -> None:
    path = template_file(region, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["填报"]
    column = {c.value: c.column for c in sheet[1]}
    sheet.cell(3, column["staff.nurse"]).value = 320
    sheet.cell(4, column["dept.fever_clinic"]).value = 1
    sheet.cell(3, column["beds.actual"]).value = 520
    book.save(path)
    changes = import_values(path, region, "t")
    assert (changes.inserted, changes.updated, changes.unchanged) == (2, 1, 2)
    with region.sessions() as s:
        assert read_values(s, "staff.nurse", "F2", "2020")[0][4] == 320
        assert read_values(s, "dept.fever_clinic", "F4", "2020")[0][4] == 1
        assert read_values(s, "beds.actual", "F2", "2020")[0][4] == 520


def test_filled_template_errors_name_the_cells(sqlite_region: Database, tmp_path: Path) -> None:
    path = template_file(sqlite_region, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["填报"]
    column = {c.value: c.column for c in sheet[1]}
    sheet.cell(3, column["staff.nurse"]).value = "三百"
    sheet.cell(4, column["beds.icu"]).value = 2.5
    sheet.cell(4, column["dept.mental"]).value = 2
    sheet.cell(3, column["beds.open"]).value = -1
    book.save(path)
    before = stored(sqlite_region)
    with pytest.raises(ValidationFailed) as info:
        import_values(path, sqlite_region, "t")
    located = sorted(p.located() for p in info.value.problems)
    name = path.name
    assert located == sorted([f"{name}:3:{column['staff.nurse']}", f"{name}:4:{column['beds.icu']}",
                              f"{name}:4:{column['dept.mental']}", f"{name}:3:{column['beds.open']}"])
    assert any("只能填 0 或 1" in p.zh for p in info.value.problems)
    assert stored(sqlite_region) == before  # nothing written


def test_long_template_lists_each_value_and_imports_blanks_as_not_reported(sqlite_region: Database,
                                                                           tmp_path: Path) -> None:
    path = template_file(sqlite_region, tmp_path, Layout.LONG)
    book = openpyxl.load_workbook(path)
    sheet = book["填报"]
    assert [c.value for c in sheet[1]] == ["data_element", "data_element_name", "org_unit", "name", "period",
                                           "value", "unit", "comment"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 2 * len(RESOURCES.elements)
    assert rows[0] == ("beds.actual", "实有床位", "F2", "泽州县人民医院", "2020", 500, "张", None)
    assert not sheet["F3"].protection.locked and sheet["A3"].protection.locked
    nurse = next(i for i, r in enumerate(rows) if r[0] == "staff.nurse" and r[2] == "F4") + 3
    sheet.cell(nurse, 6).value = 12
    sheet.cell(nurse, 8).value = "含返聘"
    book.save(path)
    changes = import_values(path, sqlite_region, "t")
    assert (changes.inserted, changes.updated, changes.unchanged) == (1, 0, 3)
    with sqlite_region.sessions() as s:
        assert read_values(s, "staff.nurse", "F4", "2020") == [("staff.nurse", "F4", "2020", "", 12, "含返聘")]


def test_blank_template_and_empty_scope(sqlite_region: Database, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(template_file(sqlite_region, tmp_path, prefill=False))
    assert all(v is None for row in book["填报"].iter_rows(min_row=3, min_col=4, values_only=True) for v in row)
    with pytest.raises(HealthplanError, match="没有在册机构"):
        build_template(sqlite_region, RESOURCES, "140525100", RESOURCES.period(1999, None), Layout.WIDE)


def test_cli_writes_templates_and_imports_them(region: Database, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from healthplan.cli import main

    out_file = tmp_path / "泽州县2020.xlsx"
    code = main(["--database", region.url, "template", "values", "--dataset", "yearly-resources", "--org", "140525",
                 "--year", "2020", "--out", str(out_file), "--format", "json"])  # the alias the issue names
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out) == {"file": str(out_file), "data_set": "resources_yearly",
                                             "org_unit": "140525", "period": "2020", "layout": "wide", "rows": 2,
                                             "data_elements": len(RESOURCES.elements), "prefilled": 3}
    assert main(["--database", region.url, "import", "values", str(out_file)]) == 0
    assert "新增 0，更新 0，未变 3" in capsys.readouterr().out
    code = main(["--database", region.url, "template", "values", "--dataset", "resources_yearly", "--org", "140525",
                 "--period", "2020Q1", "--out", str(out_file)])
    assert code == 2 and "2020Q1" in capsys.readouterr().err
    assert main(["template", "datasets", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {d["code"] for d in listed} == set(data_sets()) and listed[0]["data_elements"] == list(RESOURCES.elements)


def test_outside_templates_a_blank_long_value_is_still_an_error(sqlite_region: Database, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("data_element,org_unit,period,value\nbeds.actual,F2,2020,\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        import_values(path, sqlite_region, "t")
    assert [p.located() for p in info.value.problems] == ["long.csv:2:4"]
