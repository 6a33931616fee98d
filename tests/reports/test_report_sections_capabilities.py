"""The capability sections of the annual report on the small test region, with hand-checked numbers:
四 with the allocation table, 五 服务可及性, 六 分级诊疗, 七 重点任务推进 — each number traced to the report data,
and each section left out (the numbering closing up) when its package has nothing for the plan."""

from __future__ import annotations

import datetime as dt

import pytest

from healthplan.domain.plans import Nature, Plan, Target, TargetOp
from healthplan.domain.registry import Level, OrgUnit, UrbanRural
from healthplan.reports.claims import problems
from healthplan.reports.compose import build_report
from healthplan.reports.inputs import load_inputs
from healthplan.reports.model import Figure, Heading, Report, ReportKind
from healthplan.store import registry, values
from healthplan.store.database import Database
from healthplan.store.plans import save_plan
from healthplan.store.tasks import ProgressReport, Task, TaskList, save_progress, save_task_list
from healthplan.utilization.metrics import COUNTS

PLAN = Plan("small-plan", "小区域“十四五”规划", "140500", 2019, 2025, "测试〔2021〕1号", (
    Target("beds_per_1000", TargetOp.REACH, Nature.BINDING, value=7, category="服务体系指标",
           label="每千常住人口床位数(张)", seq=1),))
D = dt.date


@pytest.fixture
def planned(sqlite_region: Database) -> Database:
    with sqlite_region.transaction() as session:
        save_plan(session, PLAN, "test")
    return sqlite_region


def _report(database: Database, year: int = 2020) -> Report:
    return build_report(load_inputs(database, PLAN.code, ReportKind.ANNUAL, year))


def _titles(report: Report) -> list[str]:
    return [b.text for b in report.layout() if isinstance(b, Heading) and b.level == 1]


def _traced(report: Report) -> None:
    assert [p for claim in report.claims() for p in problems(claim, report.data)] == []


def _sentences(report: Report, key: str) -> list[str]:
    return [c.sentence for c in report.claims() if any(s.pointer.startswith(f"/sections/{key}/")
                                                        for s in c.sources)]


def test_without_capability_data_the_sections_close_up(planned: Database) -> None:
    report = _report(planned)
    titles = _titles(report)
    assert titles[3] == "四、资源配置缺口" and titles[-1] == "五、存在问题与建议"
    assert set(report.data["sections"]) == {"resource_gaps"}  # type: ignore[arg-type]
    _traced(report)


def test_allocation_table_and_rules_in_resource_gaps(planned: Database) -> None:
    report = _report(planned)
    allocation = report.data["sections"]["resource_gaps"]["allocation"]  # type: ignore[index]
    beds = next(line for line in allocation["lines"] if line["code"] == "beds_per_1000")
    # 2020: 1,000 + 500 + 40 beds open at the year end (the 村卫生室 F3 closed in March); need as the evaluation
    assert beds["region"]["current"] == 1540
    gap = next(r for r in report.data["evaluation"]["targets"] if r["seq"] == 1)["gap"]  # type: ignore[index]
    assert beds["region"]["needed"] == gap["needed"] and beds["region"]["gap"] == gap["gap"]
    table = next(t for t in report.tables() if t.key == "allocation")
    row = next(r for r in table.rows if r[0].text == beds["name"])
    assert row[2].value == 1540 and row[7].value == round(beds["region"]["gap"])
    _traced(report)


def _with_encounters(database: Database) -> None:
    counts = {"resident_total": 1000, "resident_in_county": 900, "resident_inpatient_total": 100,
              "resident_inpatient_in_county": 80, "ambulatory": 800, "ambulatory_primary": 400,
              "referrals_up": 30, "referrals_down": 10, "discharges": 100, "discharged_bed_days": 850}
    per_area = {"140500": 1.0, "140502": 0.6, "140525": 0.4}
    zezhou = dict(counts, resident_in_county=750)  # 泽州县 (× 0.4): 300 of its 400 residents' encounters at home
    with database.transaction() as session:
        values.upsert_data_elements(session, [c.element for c in COUNTS])
        writes = [values.ValueWrite(f"svc.enc_{key}", area, "2020",
                                    (zezhou if area == "140525" else counts)[key] * share)
                  for area, share in per_area.items() for key in counts]
        values.write_values(session, writes, "test")


def test_tiered_care_section_from_the_stored_counts(planned: Database) -> None:
    _with_encounters(planned)
    report = _report(planned)
    assert "六、分级诊疗" not in _titles(report) and "五、分级诊疗" in _titles(report)
    data = report.data["sections"]["utilization"]  # type: ignore[index]
    region, chengqu, zezhou = data["areas"]
    assert region["values"]["county_visit_rate"] == 90.0  # 900 / 1000
    assert region["values"]["primary_care_visit_share"] == 50.0  # 400 / 800
    assert region["values"]["referral_ratio"] == 3.0 and region["values"]["average_length_of_stay"] == 8.5
    assert zezhou["values"]["county_visit_rate"] == 75.0 and chengqu["values"]["county_visit_rate"] == 90.0
    text = _sentences(report, "utilization")
    assert text[0].startswith("2020年，晋城市县域就诊率为90.00%")
    assert "县域就诊率最低的是泽州县（75.00%），最高的是城区（90.00%）" in text[1]
    table = next(t for t in report.tables() if t.key == "utilization_flows")
    assert [r[0].text for r in table.rows] == ["晋城市", "城区", "泽州县"] and table.rows[2][1].value == 75.0
    _traced(report)
    earlier = _report(planned, 2019)  # nothing written back for 2019: no section
    assert "utilization" not in earlier.data["sections"]  # type: ignore[operator]


def _with_tasks(database: Database) -> None:
    tasks = (Task("1", "建立制度", ("区卫健局",), "2020年6月底", seq=1, persons=("张三",), deadline=D(2020, 6, 30)),
             Task("2", "完成剥离", ("区卫健局", "区医疗集团"), "2020年8月底", seq=2, persons=("李四",),
                  deadline=D(2020, 8, 31)),
             Task("3", "持续改进", ("区医疗集团",), "持续推进", seq=3, continuing=True))
    with database.transaction() as session:
        save_task_list(session, TaskList(PLAN.code, tasks, "任务清单"), "test")
        save_progress(session, PLAN.code, [ProgressReport("1", D(2020, 6, 1), 100, "已印发"),
                                           ProgressReport("2", D(2020, 9, 10), 60, "清查中")], "test")


def test_task_section_counts_statuses_and_names_the_overdue(planned: Database) -> None:
    _with_tasks(planned)
    report = _report(planned)
    data = report.data["sections"]["tasks"]  # type: ignore[index]
    assert data["as_of"] == "2020-12-31"
    assert {k: v for k, v in data["summary"].items() if v} == {"completed": 1, "overdue": 1, "continuing": 1}
    overdue = next(t for t in data["tasks"] if t["code"] == "2")
    assert overdue["days_overdue"] == (D(2021, 1, 1) - D(2020, 8, 31)).days
    text = _sentences(report, "tasks")
    assert text[0] == "截至2020年12月31日，任务台账共有3项重点任务，其中已完成1项、持续推进1项、逾期1项。"
    assert "区卫健局1项（第2项“完成剥离”）" in text[1] and "区医疗集团1项（第2项“完成剥离”）" in text[1]
    table = next(t for t in report.tables() if t.key == "tasks_overdue")
    assert [c.text for c in table.rows[0]][:5] == ["2", "完成剥离", "区卫健局、区医疗集团", "李四", "2020年8月底"]
    problems_text = [c.sentence for c in report.claims() if "逾期未完成，涉及" in c.sentence]
    assert problems_text == ["重点任务推进不平衡，截至2020年12月31日有1项任务逾期未完成，涉及2个责任单位。"]
    _traced(report)


def _with_places(database: Database) -> None:
    """城区 (urban, its own seat, 市人民医院 with ambulances) and 南村镇 (rural) 0.3° north: 33.4 km × 1.3 = 43.4 km
    from the hospital, beyond the rural 20 km; its 乡镇卫生院 F4 is the candidate site."""
    with database.transaction() as session:
        registry.upsert_org_units(session, [
            OrgUnit("140502", "城区", Level.COUNTY, "140500", 35.5, 112.85, UrbanRural.URBAN),
            OrgUnit("140525", "泽州县", Level.COUNTY, "140500", 35.6, 112.85, UrbanRural.RURAL),
            OrgUnit("140525100", "南村镇", Level.TOWNSHIP, "140525", 35.8, 112.85, UrbanRural.RURAL),
        ], "test")
        values.write_values(session, [values.ValueWrite("equip.ambulance", "F1", "2020", 2)], "test")


def test_access_section_covers_the_population_and_proposes_the_site(planned: Database) -> None:
    _with_places(planned)
    report = _report(planned)
    assert _titles(report)[4] == "五、服务可及性"
    data = report.data["sections"]["access"]  # type: ignore[index]
    emergency = next(s for s in data["standards"] if s["code"] == "emergency")
    region = emergency["areas"][-1]
    # 城区 574,665 at the hospital; 南村镇 has no population of its own: 泽州县's 414,999 (one township)
    assert (region["population"], region["covered"], region["not_covered"]) == (989664, 574665, 414999)
    assert [b["name"] for b in emergency["beyond"]] == ["南村镇"]
    assert emergency["beyond"][0]["distance"] == pytest.approx(33.36 * 1.3, abs=0.2)
    sites = data["sites"]
    assert [s["name"] for s in sites["new"]] == ["南村镇卫生院"] and sites["gain"] == 414999
    text = _sentences(report, "access")
    assert any("晋城市评估人口98.97万人，其中57.47万人在服务范围内，覆盖率58.1%" in t for t in text)
    assert any("增加41.50万人" in t for t in text)
    assert any(t.startswith("仍有41.50万常住人口在院前急救服务半径之外") for t in text)
    assert any(isinstance(b, Figure) and b.key == "access_map" and b.png.startswith(b"\x89PNG")
               for b in report.layout())
    _traced(report)

