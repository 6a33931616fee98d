"""Reading task lists: the 39 tasks of seed 003, the printed layouts, merged cells, and located errors."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from healthplan.domain.problems import ValidationFailed
from healthplan.govdoc.numerals import to_chinese
from healthplan.store.tasks import Task, TaskList
from healthplan.tasks import export
from healthplan.tasks.deadline import parse_deadline
from healthplan.tasks.demo import transcript
from healthplan.tasks.files import read_task_file

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tasks"
XLSX, CSV = transcript.FILES


@pytest.mark.parametrize("path", [XLSX, CSV], ids=["xlsx", "csv"])
def test_the_demo_files_hold_all_39_tasks_of_seed_003(path: Path) -> None:
    task_list = read_task_file(path, "p")
    assert [t.code for t in task_list.tasks] == [str(n) for n in range(1, 40)]
    assert task_list.title == "晋城市城区2023年医药卫生体制改革重点工作清单"
    assert task_list.stage_header == "2023年阶段目标任务"
    groups = Counter(f"{t.group_code}、{t.group_name}" for t in task_list.tasks)
    assert groups == {"一、健全完善高效推进机制": 3, "二、完善制度规范": 4, "三、理顺运行机制": 5,
                      "四、加强服务能力建设": 21, "五、加强信息化建设": 4, "六、推进医防融合": 2}
    by_code = {t.code: t for t in task_list.tasks}
    five = by_code["5"]
    assert five.units == ("区医改办", "各相关成员单位")
    assert (five.deadline, five.continuing, five.continuing_from) == (dt.date(2023, 8, 31), True, dt.date(2023, 9, 1))
    assert five.note == "区卫体局、区委编办、区财政局、区人社局、区审计局"
    assert by_code["14"].title == "提升区级医疗服务能力和水平"
    assert by_code["14"].stage_goal.startswith("完成胸痛中心建设")
    assert (by_code["23"].leaders, by_code["23"].units) == (("李华兵", "秦晓"), ("市二院", "区中医院"))
    assert by_code["1"].deadline is None and by_code["1"].continuing
    assert Counter(t.deadline_text for t in task_list.tasks)["持续推进"] == 20
    assert task_list == TaskList("p", transcript.task_list().tasks, transcript.TITLE, transcript.STAGE_HEADER)


def test_the_demo_files_are_what_the_script_writes(tmp_path: Path) -> None:
    task_list = transcript.task_list()
    for shipped in transcript.FILES:
        written = tmp_path / shipped.name
        export.write(task_list, written)
        assert written.read_bytes() == shipped.read_bytes()


def test_the_xlsx_merges_group_rows_and_shared_key_tasks() -> None:
    sheet = load_workbook(XLSX).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A1:H1" in merged  # the title
    assert "A3:H3" in merged and sheet["A3"].value == "一、健全完善高效推进机制"
    assert "B4:B6" in merged and sheet["B4"].value == "健全完善高效推进机制"  # tasks 1–3 share it
    groups = [sheet.cell(r.min_row, 1).value for r in sheet.merged_cells.ranges if r.max_col == 8 and r.min_row > 1]
    assert sorted(groups) == sorted(["一、健全完善高效推进机制", "二、完善制度规范", "三、理顺运行机制", "四、加强服务能力建设",
                                     "五、加强信息化建设", "六、推进医防融合"])


def test_errors_are_located_and_nothing_is_read() -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_task_file(FIXTURES / "bad_cells.csv", "p")
    located = {(p.row, p.column): p for p in caught.value.problems}
    assert set(located) == {(4, 5), (4, 7), (5, 1), (6, 1), (7, 7)}
    assert str(located[4, 5]).startswith("bad_cells.csv:4:5: “责任单位”不能为空 / ")
    assert "2023年13月底" in located[4, 7].zh and "does not exist" in located[4, 7].en
    assert "重复" in located[5, 1].zh and "无法识别的完成时限“八月底”" in located[7, 7].zh


def test_cells_longer_than_the_ledger_keeps(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("序号,重点工作任务,责任单位,完成时限\n1,甲,区卫体局," + "持续推进，" * 41 + "\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_task_file(path, "p")
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, 4) and "超过 200 字" in problem.zh


def test_the_printed_layout_with_group_numerals_in_the_number_column() -> None:
    task_list = read_task_file(FIXTURES / "printed_layout.csv", "p")
    assert [(t.code, t.group_code, t.group_name, t.title) for t in task_list.tasks] == [
        ("1", "一", "健全完善高效推进机制", "健全完善高效推进机制"),
        ("2", "一", "健全完善高效推进机制", "健全完善高效推进机制"),
        ("4", "二", "完善制度规范", "完善制度规范"),
        ("5", "二", "完善制度规范", "完善制度规范")]
    first, second, _, fifth = task_list.tasks
    assert first.stage_goal == "严格落实政府对医改工作的领导、保障、管理、监督责任。"
    assert second.persons == ("陈静",)
    assert fifth.units == ("区医改办", "各相关成员单位") and fifth.persons == ("陈静", "郝水平")
    assert task_list.stage_header == "2023年阶段目标任务"


def _sheet(tmp_path: Path, rows: Sequence[Sequence[object]], merges: list[str]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    path = tmp_path / "list.xlsx"
    book.save(path)
    return path


HEADER = ["序号", "重点工作任务", "阶段目标", "责任领导", "责任单位", "责任人", "完成时限", "备注"]


def test_merged_cells_as_printed_lists_merge_them(tmp_path: Path) -> None:
    path = _sheet(tmp_path, [
        HEADER,
        ["一", "健全机制", "1. 甲", "张三", "区卫体局", "李四", "持续推进", None],
        [None, None, "2. 乙", None, None, "王五", dt.datetime(2023, 8, 31), None],
        ["（一）分级诊疗", None, None, None, None, None, None, None],
        [3, None, "丙", "张三", "区医疗集团", "赵六", "2023年12月底", None],
    ], ["A2:A3", "B2:B3", "D2:D3", "E2:E3", "A4:H4"])
    tasks = read_task_file(path, "p").tasks
    assert [(t.code, t.group_code, t.group_name, t.title, t.leaders, t.units) for t in tasks] == [
        ("1", "一", "健全机制", "健全机制", ("张三",), ("区卫体局",)),
        ("2", "一", "健全机制", "健全机制", ("张三",), ("区卫体局",)),  # merged leader and unit cells
        ("3", "一", "健全机制", "分级诊疗", ("张三",), ("区医疗集团",))]  # the sub-group names the task
    assert tasks[1].deadline == dt.date(2023, 8, 31)  # an Excel date cell


def test_header_problems(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_task_file(_sheet(tmp_path, [["任务清单"], ["序号", "重点工作任务", "完成时限", "进度说明"]], []), "p")
    messages = {(p.row, p.column): p.zh for p in caught.value.problems}
    assert "无法识别的列“进度说明”" in messages[2, 4] and "缺少必需的列“责任单位”" in messages[2, None]
    for path, expected in ((_sheet(tmp_path, [["a", "b"], ["1", "2"]], []), "找不到表头"),
                           (tmp_path / "missing.xlsx", "文件不存在")):
        with pytest.raises(ValidationFailed) as caught:
            read_task_file(path, "p")
        assert expected in caught.value.problems[0].zh


CJK = st.text(alphabet="健全完善制度规范医疗集团卫生服务中心建设推进管理机制任务目标方案（）“”。", min_size=1, max_size=24)
NAMES = st.lists(st.text(alphabet="张王李赵陈刘区卫体局医改办市二院", min_size=2, max_size=5), min_size=1, max_size=3,
                 unique=True)
DEADLINES = st.sampled_from(["2023年8月底", "持续推进", "2023年9月1日", "2024年第二季度", "每季度", "2023年底前",
                             "2023年8月底完成制度建设，9月1日起持续推进执行", "2023年8月底完成剥离，2023年10月底纳入管理"])


@st.composite
def task_lists(draw: st.DrawFn) -> TaskList:
    """Lists of 1–4 tasks in groups 一–三 (in order), with any text, names and deadline forms."""
    count = draw(st.integers(min_value=1, max_value=4))
    groups = sorted(draw(st.lists(st.integers(min_value=1, max_value=3), min_size=count, max_size=count)))
    tasks = []
    for number, group in enumerate(groups, start=1):
        deadline = draw(DEADLINES)
        schedule = parse_deadline(deadline)
        tasks.append(Task(
            code=str(number), title=draw(CJK), units=tuple(draw(NAMES)), deadline_text=deadline, seq=number,
            group_code=to_chinese(group), group_name=f"第{to_chinese(group)}组", stage_goal=draw(CJK),
            leaders=tuple(draw(NAMES)), persons=tuple(draw(st.lists(st.sampled_from(["陈静", "李华兵"]), max_size=2,
                                                                    unique=True))),
            deadline=schedule.deadline, continuing=schedule.continuing, continuing_from=schedule.continuing_from,
            recurrence=schedule.recurrence.value if schedule.recurrence else None, note=draw(st.sampled_from(["", "备注"])),
            stages=schedule.stages))
    return TaskList("p", tuple(tasks), draw(st.sampled_from(["", "任务清单"])), "阶段目标")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(task_lists(), st.sampled_from([".csv", ".xlsx"]))
def test_any_list_round_trips(tmp_path: Path, task_list: TaskList, suffix: str) -> None:
    path = tmp_path / f"list{suffix}"
    export.write(task_list, path)
    assert read_task_file(path, "p") == task_list
