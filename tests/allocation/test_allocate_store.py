"""The allocation table from a stored region, on SQLite and PostgreSQL, through the library and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from openpyxl import load_workbook

from healthplan.allocation import Method, allocate, load_rules, shipped_rules
from healthplan.allocation.allocate import Allocation
from healthplan.cli import main
from healthplan.domain.registry import Category, FacilityVersion, Host, Level, OrgUnit, UrbanRural
from healthplan.engine.analytics import Analytics
from healthplan.engine.catalog import Catalog
from healthplan.plans.files import import_plan
from healthplan.store import registry, values
from healthplan.store.database import Database
from healthplan.store.plans import get_plan, user_indicators

PLAN = """plan: {code: alloc-test, name: 测试规划, org_unit: "140500", base_year: 2019, target_year: 2022}
targets:
  - {seq: 1, label: 每千常住人口床位数, indicator: beds_per_1000, target: "7", source: 表2-5}
  - {seq: 2, label: 每千人口注册护士数, indicator: nurses_per_1000, target: "3.8", source: 表2-7}
  - {seq: 3, label: 基本公共卫生经费, indicator: basic_ph_funding_per_capita, target: 持续增长, source: 表2-18}
"""


def build(db: Database, tmp_path: Path) -> None:
    """City 140500 = 城区 140502 (urban, 10 % aged 65+) + 泽州县 140525 (rural, 20 %).

    Population 2019 → 2020: 500,000 → 510,000 and 400,000 → 396,000, so the 2022 projections are 530,000 and
    388,000. 泽州县's public general hospital runs at 54.8 % occupancy and 12 days average stay (frozen).
    """
    w = values.ValueWrite
    start = dt.date(2000, 1, 1)
    with db.transaction() as s:
        registry.upsert_org_units(s, [
            OrgUnit("140000", "山西省", Level.PROVINCE, None),
            OrgUnit("140500", "晋城市", Level.CITY, "140000"),
            OrgUnit("140502", "城区", Level.COUNTY, "140500", urban_rural=UrbanRural.URBAN),
            OrgUnit("140525", "泽州县", Level.COUNTY, "140500", urban_rural=UrbanRural.RURAL),
        ], "test")
        registry.upsert_facilities(s, [
            FacilityVersion("F1", "市人民医院", "140502", Category.GENERAL_HOSPITAL, start, level=3, host=Host.CITY),
            FacilityVersion("F2", "泽州县人民医院", "140525", Category.GENERAL_HOSPITAL, start, level=2,
                            host=Host.COUNTY),
            FacilityVersion("F3", "泽州县中医医院", "140525", Category.TCM_HOSPITAL, start, level=2, host=Host.COUNTY),
        ], "test")
        writes = [w("pop.resident", "140502", "2019", 500000), w("pop.resident", "140502", "2020", 510000),
                  w("pop.resident", "140525", "2019", 400000), w("pop.resident", "140525", "2020", 396000),
                  w("pop.age65plus", "140502", "2020", 51000), w("pop.age65plus", "140525", "2020", 79200)]
        for year in ("2019", "2020"):
            writes += [w("beds.actual", "F1", year, 1000), w("beds.actual", "F2", year, 300),
                       w("beds.actual", "F3", year, 100), w("staff.nurse", "F1", year, 800),
                       w("staff.nurse", "F2", year, 150), w("equip.ambulance", "F1", year, 4),
                       w("equip.ambulance_negative_pressure", "F1", year, 2), w("equip.ambulance", "F2", year, 2),
                       w("equip.ambulance_negative_pressure", "F2", year, 0),
                       w("svc.bed_days_occupied", "F1", year, 330000), w("svc.bed_days_open", "F1", year, 365000),
                       w("svc.discharged_bed_days", "F1", year, 330000), w("svc.discharges", "F1", year, 40000),
                       w("svc.bed_days_occupied", "F2", year, 60000), w("svc.bed_days_open", "F2", year, 109500),
                       w("svc.discharged_bed_days", "F2", year, 60000), w("svc.discharges", "F2", year, 5000)]
        values.write_values(s, writes, "test")
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(PLAN, encoding="utf-8")
    import_plan(plan_file, db, "test")


def compute(db: Database, method: Method = Method.POPULATION) -> Allocation:
    analytics = Analytics(db)
    analytics.load()
    with db.sessions() as session:
        catalog = Catalog(user_indicators(session), analytics.elements)
        plan = get_plan(session, "alloc-test")
        areas = {a.code: a for a in registry.list_areas(session)}
    rules = load_rules(shipped_rules(plan.code), catalog, analytics.compiler)
    return allocate(analytics, catalog, plan, areas["140500"], [areas["140502"], areas["140525"]], rules,
                    2022, 2020, method)


def test_allocation_table(database: Database, tmp_path: Path) -> None:
    build(database, tmp_path)
    result = compute(database)
    lines = {ln.line.code: ln for ln in result.lines}
    assert "basic_ph_funding_per_capita" not in lines  # a per-capita target with no point goal is not a resource
    beds = lines["beds_per_1000"]
    assert beds.region.current == 1400
    assert beds.region.population_target == pytest.approx(918000)
    assert beds.population_source == "projected"
    assert beds.region.needed == math.ceil(7 * 918000 / 1000)  # 6426
    assert beds.region.gap == 6426 - 1400
    assert beds.region.annual == pytest.approx((6426 - 1400) / 2)  # 2020 → 2022
    # population: the city increment split 530 : 388 (largest remainder), 泽州县's share withheld by the freeze
    city, zezhou = beds.counties[Method.POPULATION]
    assert city.gap + zezhou.withheld == 5026
    assert city.gap == 2902 and zezhou.gap == 0 and zezhou.withheld == 2124 and zezhou.rules == ("bed_freeze",)
    assert zezhou.needed == zezhou.current == 400
    # need: the 65+ count 2.5 times, shares 530,000 × 1.15 : 388,000 × 1.3
    need_city = 530000 * 1.15 / (530000 * 1.15 + 388000 * 1.3) * 5026
    city, zezhou = beds.counties[Method.NEED]
    assert abs(city.gap - need_city) < 1 and city.gap + zezhou.withheld == 5026
    # equalize: each county to 7 per 1000 of its own projected population
    city, zezhou = beds.counties[Method.EQUALIZE]
    assert city.standard_needed == 3710 and city.gap == 3710 - 1000
    assert zezhou.standard_needed == 2716 and zezhou.withheld == 2716 - 400
    # nurses are not frozen: both counties get their share
    nurses = lines["nurses_per_1000"]
    assert nurses.region.needed == math.ceil(3.8 * 918000 / 1000)
    assert sum(r.gap or 0 for r in nurses.counties[Method.POPULATION]) == nurses.region.gap
    # the rules are reported with their clauses
    reports = {r.code: r for r in result.rules}
    freeze = {c.org_unit: c for c in reports["bed_freeze"].checks}
    assert freeze["140525"].met is False and freeze["140502"].met is True and freeze["140500"].met is True
    ambulances = {c.org_unit: c for c in reports["negative_pressure_ambulances"].checks}
    assert ambulances["140500"].detail["shortfall_now"] == 1  # 40 % of 6 is 2.4 → 3, there are 2
    assert ambulances["140500"].detail["planned_denominator"] == math.ceil(918000 / 30000)
    assert ambulances["140500"].detail["shortfall_planned"] == math.ceil(0.4 * 31) - 2
    assert result.to_json()["parameters"]["age65_weight"]["status"] == "待核对"


def test_allocate_cli_json_and_xlsx(database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(database, tmp_path)
    url = database.url
    code = main(["--database", url, "allocate", "alloc-test", "--current-year", "2020", "--method", "equalize",
                 "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    assert data["year"] == 2022 and data["current_year"] == 2020 and data["method"] == "equalize"
    beds = next(ln for ln in data["lines"] if ln["code"] == "beds_per_1000")
    assert [r["gap"] for r in beds["counties"]["equalize"]] == [2710, 0]
    assert set(beds["counties"]) == {"population", "need", "equalize"}
    book = tmp_path / "table.xlsx"
    code = main(["--database", url, "allocate", "alloc-test", "--current-year", "2020", "--format", "xlsx",
                 "--out", str(book)])
    assert code == 0, capsys.readouterr().err
    sheets = load_workbook(book).sheetnames
    assert sheets == ["配置规划表", "分县-按人口", "分县-按需要", "分县-同一标准", "配置规则", "参数"]
    header = [c.value for c in load_workbook(book)["配置规划表"][3]]
    assert header[:10] == ["序号", "项目", "单位", "现状总数", "现状配置", "目标配置", "规划人口(万人)", "需要总数",
                           "缺口", "年均增量"]


def test_allocate_errors_are_bilingual(database: Database, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    build(database, tmp_path)
    assert main(["--database", database.url, "allocate", "no-such-plan"]) == 2
    assert main(["--database", database.url, "allocate", "alloc-test", "--current-year", "2030"]) == 2
    err = capsys.readouterr().err
    assert "现状年份 2030 晚于规划年份 2022" in err and "after the allocation year" in err
