"""月监控/季通报/年考核 on a small ledger whose figures are counted by hand, and the documents written from them."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from healthplan.domain.periods import Period, PeriodType
from healthplan.domain.plans import Plan
from healthplan.domain.problems import HealthplanError
from healthplan.govdoc import typeface as govdoc
from healthplan.store.tasks import Milestone, ProgressReport, Task, TaskList
from healthplan.tasks.bulletin import build, parse_period
from healthplan.tasks.bulletin_docx import write_docx
from healthplan.tasks.bulletin_xlsx import write_xlsx
from healthplan.tasks.deadline import parse_deadline
from healthplan.tasks.ledger import Ledger

D = dt.date


def task(code: str, units: str, deadline: str) -> Task:
    s = parse_deadline(deadline)
    return Task(code, f"任务{code}", tuple(units.split("、")), deadline, seq=int(code), group_code="一",
                group_name="健全机制", stage_goal=f"第{code}项的阶段目标", leaders=("张三",), persons=("李四",),
                deadline=s.deadline, continuing=s.continuing, continuing_from=s.continuing_from,
                recurrence=s.recurrence.value if s.recurrence else None)


def small_ledger() -> Ledger:
    """T1 done on time; T2 (two units) overdue; T3 done late; T4 continuing; T5 due next quarter; T6 due in Q2 and
    done late in Q3; T7 quarterly, done in Q3."""
    tasks = (task("1", "区卫体局", "2023年8月底"), task("2", "区卫体局、区医疗集团", "2023年9月底"),
             task("3", "区医疗集团", "2023年9月15日"), task("4", "区医疗集团", "持续推进"),
             task("5", "市二院", "2023年12月底"), task("6", "区卫体局", "2023年6月底"),
             task("7", "市二院", "2023年7月起每季度"))

    def r(code: str, day: dt.date, percent: float, text: str = "") -> ProgressReport:
        return ProgressReport(code, day, percent, text)

    reports = {"1": [r("1", D(2023, 8, 25), 100, "已完成。")], "2": [r("2", D(2023, 9, 10), 50, "方案起草中")],
               "3": [r("3", D(2023, 9, 20), 100)], "6": [r("6", D(2023, 8, 1), 100)],
               "7": [r("7", D(2023, 9, 1), 100)], "5": [r("5", D(2023, 10, 8), 30)]}
    milestones = {"2": [Milestone("2", "方案制定", D(2023, 8, 15), D(2023, 8, 10))],
                  "5": [Milestone("5", "立项", D(2023, 6, 30))]}
    plan = Plan("p", "测试方案", "140502", 2022, 2025)
    return Ledger(plan, TaskList("p", tasks, "测试任务清单", "阶段目标"), reports, milestones)


def test_quarter_figures_counted_by_hand() -> None:
    bulletin = build(small_ledger(), Period.parse("2023Q3"))
    units = {u.unit: u.to_json() for u in bulletin.units}
    assert list(units) == ["区卫体局", "区医疗集团", "市二院"]
    assert {k: units["区卫体局"][k] for k in ("tasks", "due", "on_time", "late", "overdue", "continuing", "completed")} \
        == {"tasks": 3, "due": 2, "on_time": 1, "late": 0, "overdue": 1, "continuing": 0, "completed": 2}
    assert (units["区卫体局"]["on_time_rate"], units["区卫体局"]["overdue_tasks"]) == (0.5, ["2"])
    assert (units["区医疗集团"]["due_tasks"], units["区医疗集团"]["late_tasks"]) == (["2", "3"], ["3"])
    assert (units["区医疗集团"]["on_time_rate"], units["区医疗集团"]["completion_rate"]) == (0.0, 0.5)
    assert (units["市二院"]["on_time_tasks"], units["市二院"]["continuing"]) == (["7"], 1)
    data = bulletin.to_json()
    assert data["summary"] == {"not_started": 1, "in_progress": 0, "completed": 3, "overdue": 1, "continuing": 2,
                               "total": 7, "due": 4, "on_time": 2}
    assert (data["overdue"], data["upcoming"]) == (["2"], ["5"])
    two = bulletin.line("2")
    assert (two.days_overdue, two.percent, two.latest_text) == (1, 50, "方案起草中")  # the morning after the quarter
    assert bulletin.line("5").percent is None  # a report after the quarter is not known at its close
    assert [m.to_json() for m in bulletin.milestones] == [
        {"task": "2", "title": "方案制定", "due": "2023-08-15", "done_on": "2023-08-10", "overdue": False},
        {"task": "5", "title": "立项", "due": "2023-06-30", "done_on": None, "overdue": True}]


def test_month_and_year() -> None:
    ledger = small_ledger()
    month = build(ledger, Period.parse("202309"))
    assert month.kind == "month" and [line.task.code for line in month.due] == ["2", "3", "7"]  # due in September
    year = build(ledger, Period.parse("2023"))
    units = {u.unit: u for u in year.units}
    assert [len(units["区卫体局"].due), len(units["区卫体局"].on_time), len(units["区卫体局"].late)] == [3, 1, 1]
    assert units["市二院"].due == ("5", "7") and units["市二院"].overdue == ("5", "7")
    assert year.title == "2023年度重点工作任务考核表"


def test_periods_must_match_the_document() -> None:
    assert parse_period("2023Q4", PeriodType.QUARTER).end == D(2023, 12, 31)
    with pytest.raises(HealthplanError, match="季度"):
        parse_period("202312", PeriodType.QUARTER)
    with pytest.raises(HealthplanError):
        parse_period("2023Q5", PeriodType.QUARTER)
    # the following period must exist too (was an internal error: ValueError 2201)
    with pytest.raises(HealthplanError, match="超出可用范围"):
        parse_period("2200", PeriodType.YEAR)
    assert parse_period("2199", PeriodType.YEAR).end == D(2199, 12, 31)


def _document_xml(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(part).decode("utf-8")


def test_quarterly_docx_in_government_style(tmp_path: Path) -> None:
    bulletin = build(small_ledger(), Period.parse("2023Q3"))
    path = tmp_path / "q3.docx"
    write_docx(bulletin, path)
    body = _document_xml(path)
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", body))
    assert "2023年第三季度重点工作任务推进情况通报" in text and "测试方案" in text
    assert "截至2023年9月30日，测试方案共列重点工作任务7项。其中，已完成3项，持续推进2项，进行中0项，未启动1项，逾期未完成1项。" \
           "2023年第三季度到期任务4项，按时完成2项，逾期完成1项。" in text
    for heading in ("一、总体情况", "二、各责任单位推进情况", "三、逾期未完成任务", "（一）区卫体局（1项）", "（二）区医疗集团（1项）",
                    "1．第2项：第2项的阶段目标", "四、本期按时完成任务", "五、下期到期任务", "六、工作要求"):
        assert heading in text, heading
    assert "完成时限：2023年9月底；已逾期1天；责任领导：张三；责任单位：区卫体局、区医疗集团；责任人：李四" in text
    fonts = govdoc.fonts()
    assert f'w:eastAsia="{fonts["title"].name}"' in body and f'w:eastAsia="{fonts["body"].name}"' in body
    assert {fonts["title"].name, fonts["title"].alternative} >= {govdoc.NOTO_SANS}
    assert {fonts["body"].name, fonts["body"].alternative} >= {govdoc.NOTO_SERIF}
    font_table = _document_xml(path, "word/fontTable.xml")
    assert f'<w:font w:name="{fonts["body"].name}"><w:altName w:val="{fonts["body"].alternative}"/>' in font_table
    footer = next(_document_xml(path, n) for n in zipfile.ZipFile(path).namelist() if n.startswith("word/footer"))
    assert "PAGE" in footer and "— " in footer
    assert 'w:w="11906"' in body and 'w:h="16838"' in body  # A4
    again = tmp_path / "again.docx"
    write_docx(bulletin, again)
    assert again.read_bytes() == path.read_bytes()


def test_monthly_and_yearly_docx(tmp_path: Path) -> None:
    ledger = small_ledger()
    write_docx(build(ledger, Period.parse("202309")), tmp_path / "m.docx")
    monthly = _document_xml(tmp_path / "m.docx")
    assert 'w:orient="landscape"' in monthly and "任务监控清单" in monthly and "第5项节点“立项”" in monthly
    write_docx(build(ledger, Period.parse("2023")), tmp_path / "y.docx")
    yearly = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", _document_xml(tmp_path / "y.docx")))
    assert "2023年度重点工作任务考核表" in yearly and "各责任单位考核结果" in yearly and "按时完成率" in yearly


def test_xlsx_sheets(tmp_path: Path) -> None:
    path = tmp_path / "q3.xlsx"
    write_xlsx(build(small_ledger(), Period.parse("2023Q3")), path)
    book = load_workbook(path)
    assert book.sheetnames == ["责任单位汇总", "任务清单", "逾期任务", "阶段节点"]
    rows = list(book["责任单位汇总"].iter_rows(min_row=4, values_only=True))
    assert rows[0] == ("区卫体局", 3, 2, 1, 0, 1, 0, 2, 50.0, 50.0, "2")
    overdue = list(book["逾期任务"].iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in overdue] == ["2"] and overdue[0][9] == "逾期"
