"""Reports over the small test region on SQLite and PostgreSQL: inputs, traceable text, and the three writers
(government-style .docx, formula-free .xlsx, self-contained .html)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from healthplan.domain.plans import Nature, Plan, Target, TargetOp
from healthplan.domain.problems import HealthplanError
from healthplan.reports.claims import problems
from healthplan.reports.compose import build_report
from healthplan.reports.inputs import load_inputs
from healthplan.reports.model import Report, ReportKind
from healthplan.reports.write import write_report
from healthplan.store.database import Database
from healthplan.store.plans import save_plan

PLAN = Plan("small-plan", "小区域“十四五”规划", "140500", 2019, 2025, "测试〔2021〕1号", (
    Target("beds_per_1000", TargetOp.REACH, Nature.BINDING, value=7, category="服务体系指标",
           label="每千常住人口床位数(张)", seq=1),
    Target("geriatrics_dept_share", TargetOp.GE, value=70, category="服务体系指标", seq=2),
    Target("beds.actual", TargetOp.GE, org_unit="140525", value=600, category="资源配置", seq=3, text="=600以上"),
))


@pytest.fixture
def planned(region: Database) -> Database:
    with region.transaction() as session:
        save_plan(session, PLAN, "test")
    return region


def _report(database: Database, kind: ReportKind = ReportKind.ANNUAL) -> Report:
    return build_report(load_inputs(database, PLAN.code, kind, 2020))


def test_inputs_evaluate_the_plan_and_each_county(planned: Database) -> None:
    inputs = load_inputs(planned, PLAN.code, ReportKind.ANNUAL)
    assert inputs.year == 2020 and inputs.latest_year == 2020
    assert [c.code for c in inputs.counties] == ["140502", "140525"]
    assert sorted(inputs.county_evaluations) == ["140502", "140525"]
    county = inputs.county_evaluations["140525"]
    assert [r.target.seq for r in county.targets] == [1, 2]  # the target set at 140525 is not moved
    zezhou_beds = inputs.county_result("140525", 1)
    assert zezhou_beds is not None and zezhou_beds.value == pytest.approx(540 / 414999 * 1000, abs=0.005)
    assert sorted(inputs.boundaries.polygons) == ["140502", "140525"]  # found in the shipped demo boundaries


def test_every_sentence_traces_to_the_results(planned: Database) -> None:
    for kind in ReportKind:
        report = _report(planned, kind)
        found = [p for claim in report.claims() for p in problems(claim, report.data)]
        assert found == [], kind
        assert len(report.claims()) > 5


def test_final_evaluation_needs_the_target_years_data(planned: Database) -> None:
    with pytest.raises(HealthplanError) as caught:
        load_inputs(planned, PLAN.code, ReportKind.FINAL)
    assert "--year 2020" in caught.value.zh
    with pytest.raises(HealthplanError):
        load_inputs(planned, PLAN.code, ReportKind.ANNUAL, 2010)


def test_docx_is_set_as_an_official_document(planned: Database, tmp_path: Path) -> None:
    report = _report(planned)
    path = tmp_path / "r.docx"
    write_report(report, path)
    document = Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        assert "PAGE" in footer._element.xml and "— " in footer.paragraphs[0].text
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("word/styles.xml").decode()
    assert "eastAsiaTheme" not in styles and "asciiTheme" not in styles
    east_asian = set(re.findall(r'w:eastAsia="([^"]+)"', styles)) - {"zh-CN"}
    assert east_asian and all("CJK" in name or re.search(r"[\u4e00-\u9fff]", name) for name in east_asian)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == report.title  # a line break between the plan and the kind of report
    assert "一、总体进展" in texts and "二、主要指标完成情况" in texts
    assert document.paragraphs[0].style.name == "Title"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["类别", "序号", "指标"]
    categories = [row.cells[0] for row in table.rows[1:]]
    assert categories[0]._tc is categories[1]._tc  # 服务体系指标 merged over its two rows, as in the plan
    assert categories[0].text == "服务体系指标" and categories[2].text == "资源配置"
    assert "w:tblHeader" in table.rows[0]._tr.xml


def test_xlsx_holds_every_table_as_values(planned: Database, tmp_path: Path) -> None:
    report = _report(planned)
    path = tmp_path / "r.xlsx"
    write_report(report, path)
    book = load_workbook(path)
    tables = report.tables()
    assert book.sheetnames == ["目录", *(f"表{i}" for i in range(1, len(tables) + 1)), "文字与数据来源"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title
    first = book["表1"]
    assert first["A1"].value == tables[0].title
    assert [c.value for c in first[2]][:3] == ["类别", "序号", "指标"]
    assert "A3:A4" in {str(r) for r in first.merged_cells.ranges}
    baseline = first.cell(row=3, column=4)
    assert isinstance(baseline.value, float) and baseline.number_format == "0.00"
    assert first.cell(row=5, column=6).value == "=600以上"
    claims = book["文字与数据来源"]
    assert claims["D2"].value.startswith("/")


def test_html_is_one_self_contained_file(planned: Database, tmp_path: Path) -> None:
    report = _report(planned, ReportKind.MIDTERM)
    path = tmp_path / "r.html"
    write_report(report, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<style>" in text
    assert not re.search(r'(?:src|href)="(?!data:)', text)
    assert text.count('src="data:image/png;base64,') == sum(1 for b in report.layout() if hasattr(b, "png"))
    assert 'rowspan="2"' in text
    assert "一、评估概况" in text and "&lt;" not in report.title


def test_json_keeps_the_sentences_with_their_sources(planned: Database, tmp_path: Path) -> None:
    import json

    report = _report(planned)
    path = tmp_path / "r.json"
    write_report(report, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    paragraphs = [b for b in data["outline"] if b["type"] == "paragraph"]
    assert paragraphs[0]["claims"][0]["sources"][0]["pointer"] == "/evaluation/name"
    assert data["data"]["evaluation"]["plan"] == PLAN.code


def test_a_boundaries_file_is_cut_to_the_plans_counties(planned: Database, tmp_path: Path) -> None:
    import json

    square = [[[112.8, 35.4], [112.9, 35.4], [112.9, 35.5], [112.8, 35.5], [112.8, 35.4]]]
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"properties": {"code": code, "name": name}, "geometry": {"type": "Polygon", "coordinates": square}}
        for code, name in (("140502", "城区"), ("140581", "高平市"))]}), encoding="utf-8")
    inputs = load_inputs(planned, PLAN.code, ReportKind.ANNUAL, boundaries_file=path)
    assert list(inputs.boundaries.polygons) == ["140502"]
    outside = tmp_path / "none.geojson"
    outside.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    seats = load_inputs(planned, PLAN.code, ReportKind.ANNUAL, boundaries_file=outside).boundaries
    assert not seats.polygons  # the registry's county seats instead (none recorded in this region)
