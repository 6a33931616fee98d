"""The reports of the demo regions, end to end: every number of the 主要指标 table equals
``healthplan evaluate --format json``, every sentence traces to it, and the .docx renders (LibreOffice → PDF → PNG)
with Chinese fonts, tables inside the type area and the county map."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from healthplan.cli import main
from healthplan.demo.build import build_demo
from healthplan.reports.claims import problems
from healthplan.reports.compose import build_report
from healthplan.reports.inputs import load_inputs
from healthplan.reports.model import Report, ReportKind
from healthplan.reports.write import write_report
from healthplan.store.database import Database

JINCHENG = "jincheng-14th-health-services"
SHUOZHOU = "shuozhou-14th-public-health"
YEAR = 2024


def _cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue() if code else out.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo regions built once into a temporary SQLite file (about 30 s)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    database = Database(url)
    build_demo(database)
    database.dispose()
    yield url


@pytest.fixture(scope="module")
def evaluated(demo: str) -> dict[str, dict[str, object]]:
    """What ``healthplan evaluate PLAN --year 2024 --format json`` says, per plan."""
    result = {}
    for plan in (JINCHENG, SHUOZHOU):
        code, out = _cli("--database", demo, "evaluate", plan, "--year", str(YEAR), "--format", "json")
        assert code == 0, out
        result[plan] = json.loads(out)
    return result


@pytest.fixture(scope="module")
def reports(demo: str) -> dict[ReportKind, Report]:
    database = Database(demo)
    built = {kind: build_report(load_inputs(database, JINCHENG, kind, YEAR)) for kind in ReportKind}
    database.dispose()
    return built


def _expected_rows(evaluation: dict[str, object]) -> list[list[str]]:
    targets = evaluation["targets"]
    assert isinstance(targets, list)
    return [[t["category"], str(t["seq"]), t["name"], t["baseline_text"], t["value_text"], t["target_text"],
             t["nature_label"], t["status_label"]] for t in targets]


@pytest.mark.parametrize("plan", [JINCHENG, SHUOZHOU])
def test_main_table_of_the_docx_equals_evaluate_json(demo: str, evaluated: dict[str, dict[str, object]],
                                                     plan: str, tmp_path: Path) -> None:
    out = tmp_path / "annual.docx"
    code, text = _cli("--database", demo, "report", "annual", "--plan", plan, "--year", str(YEAR),
                      "--out", str(out), "--format", "json")
    assert code == 0, text
    summary = json.loads(text)
    assert summary["year"] == YEAR and summary["summary"] == evaluated[plan]["summary"]
    table = Document(str(out)).tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[:3] == ["类别", "序号", "指标"] and header[3].startswith("基期值") and header[-1] == "进展状态"
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows == _expected_rows(evaluated[plan])


def test_main_table_of_the_xlsx_and_html_equals_evaluate_json(reports: dict[ReportKind, Report],
                                                              evaluated: dict[str, dict[str, object]],
                                                              tmp_path: Path) -> None:
    report = reports[ReportKind.ANNUAL]
    expected = _expected_rows(evaluated[JINCHENG])
    targets = evaluated[JINCHENG]["targets"]
    assert isinstance(targets, list)
    write_report(report, tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx")["表1"]
    for row, target, want in zip(sheet.iter_rows(min_row=3, max_row=2 + len(targets)), targets, expected,
                                 strict=True):
        assert row[1].value == target["seq"] and row[2].value == target["name"]
        for cell, key in ((row[3], "baseline"), (row[4], "value")):
            number = target[key]
            assert cell.value == (None if number is None else round(number, target["decimals"])) or \
                cell.value == want[3 if key == "baseline" else 4]
        assert [row[5].value, row[6].value, row[7].value] == want[5:]
    write_report(report, tmp_path / "r.html")
    html_rows = _html_rows((tmp_path / "r.html").read_text(encoding="utf-8"))[:len(expected)]
    assert [r[-7:] for r in html_rows] == [w[1:] for w in expected]


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._tables += 1
        if tag == "tr" and self._tables == 1:
            self.rows.append([])
        if tag == "td" and self._tables == 1:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html_rows(text: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(text)
    return [r for r in parser.rows if r]


@pytest.mark.parametrize("kind", list(ReportKind))
def test_every_sentence_traces_to_evaluate_json(reports: dict[ReportKind, Report],
                                                evaluated: dict[str, dict[str, object]], kind: ReportKind) -> None:
    report = reports[kind]
    assert report.data["evaluation"] == evaluated[JINCHENG]
    data = {**report.data, "evaluation": evaluated[JINCHENG]}
    claims = report.claims()
    assert len(claims) > 30
    assert [p for c in claims for p in problems(c, data)] == []
    titles = [s.title for s in report.sections]
    assert titles[-1] == "存在问题与建议" and "资源配置缺口" in titles
    assert titles[:3] == (["总体进展", "主要指标完成情况", "分区县比较"] if kind is ReportKind.ANNUAL
                          else ["评估概况", "主要指标完成情况", "指标变化趋势"])


def test_county_figures_equal_the_indicator_command(demo: str, reports: dict[ReportKind, Report]) -> None:
    table = next(t for t in reports[ReportKind.ANNUAL].tables() if t.key == "county_gps_per_10000")
    rows = {row[0].text: row for row in table.rows}
    code, out = _cli("--database", demo, "indicator", "gps_per_10000", "--org", "140525", "--period", str(YEAR),
                     "--format", "json")
    assert code == 0, out
    assert rows["泽州县"][2].value == round(json.loads(out)["value"], 2)


def test_report_cli_errors_are_messages(demo: str, tmp_path: Path) -> None:
    code, text = _cli("--database", demo, "report", "annual", "--plan", JINCHENG, "--out", str(tmp_path / "r.pdf"))
    assert code == 2 and "不支持的报告格式" in text and "unsupported" in text
    code, text = _cli("--database", demo, "report", "evaluation", "--plan", JINCHENG, "--kind", "final",
                      "--out", str(tmp_path / "r.docx"))
    assert code == 2 and "--year 2024" in text
    code, text = _cli("--database", demo, "report", "annual", "--plan", "nope", "--out", str(tmp_path / "r.docx"))
    assert code == 2 and "nope" in text


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian packages libreoffice-writer and poppler-utils; "
                    "CI installs them in .ci/run)")
    return found


def test_the_docx_renders_with_chinese_fonts_tables_in_the_page_and_the_map(
        reports: dict[ReportKind, Report], tmp_path: Path) -> None:
    office, to_png, fonts_of, to_text = (_tool(t) for t in ("libreoffice", "pdftoppm", "pdffonts", "pdftotext"))
    docx = tmp_path / "annual.docx"
    write_report(reports[ReportKind.ANNUAL], docx)
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "annual.pdf"
    fonts = subprocess.run([fonts_of, str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Noto(Sans|Serif)CJK|SimHei|FangSong|KaiTi", fonts), fonts
    text = subprocess.run([to_text, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for words in ("一、总体进展", "二、主要指标完成情况", "泽州县", r"表\s*1\s", r"图\s*1\s", r"—\s*1\s*—", r"—\s*2\s*—"):
        assert re.search(words, text), words
    subprocess.run([to_png, "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 6
    _within_type_area(pdf, to_text)
    keep = os.environ.get("HEALTHPLAN_REPORT_PREVIEW")
    if keep:  # for a person to look at: HEALTHPLAN_REPORT_PREVIEW=out/preview pytest tests/reports -k renders
        Path(keep).mkdir(parents=True, exist_ok=True)
        for page in [pdf, *pages]:
            shutil.copy(page, keep)


def _within_type_area(pdf: Path, to_text: str) -> None:
    """No word lies outside the 公文 type area (28 mm from the left, 156 mm wide), with 2 mm to spare; a line may
    end in one hanging full-width punctuation mark (标点悬挂, 三号 = 5.6 mm), as LibreOffice sets CJK text."""
    boxes = subprocess.run([to_text, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    mm = 25.4 / 72
    for x_min, x_max, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">'
                                         r"([^<]*)</word>", boxes):
        hanging = 5.7 if word[-1:] in "，。；、：！？）”" else 0.0
        assert float(x_min) * mm >= 26 and float(x_max) * mm <= 28 + 156 + 2 + hanging, word
