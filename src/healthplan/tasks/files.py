"""Read a task list (重点工作任务清单) from Excel or CSV in the layout the documents print, all or nothing.

Columns: 序号, 重点工作任务, (2023年)阶段目标(任务), 责任领导, 责任单位, 责任人, 完成时限, 备注 — found in a header row
near the top (a title above it is the list's title). Groups are written either as heading rows
(``一、健全完善高效推进机制`` in the first cell, often merged across the row; ``（一）…`` for a sub-group) or, as in
the printed lists, as a group numeral in the 序号 column merged down over the group's tasks, the task number then
leading the task's text (``1. 严格落实…``). A 重点工作任务 merged down over several tasks (or left empty below the
first, as CSV saves it) belongs to each of them. Several units or people share a cell, separated by 、，; or lines.
Every wrong cell is reported as file:row:column and nothing is imported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.govdoc.numerals import from_chinese
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.store.tasks import Task, TaskList, save_task_list
from healthplan.tasks.deadline import DeadlineError, parse_deadline
from healthplan.tasks.names import split_names
from healthplan.tasks.sheet import Merge, Sheet, read_sheet

COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("序号", "编号"),
    "title": ("重点工作任务", "重点任务", "工作任务", "任务", "任务名称"),
    "stage_goal": ("阶段目标", "阶段目标任务", "年度目标", "目标任务"),
    "leader": ("责任领导", "分管领导", "牵头领导"),
    "unit": ("责任单位", "牵头单位", "责任部门"),
    "person": ("责任人", "具体责任人"),
    "deadline": ("完成时限", "时限要求", "完成时间", "时限"),
    "note": ("备注",),
}
LABELS = {"code": "序号", "title": "重点工作任务", "stage_goal": "阶段目标", "leader": "责任领导", "unit": "责任单位",
          "person": "责任人", "deadline": "完成时限", "note": "备注"}
_YEAR_PREFIX = re.compile(r"^\d{4}年")
_GROUP = re.compile(r"^(?P<num>[一二三四五六七八九十]+)\s*(?:[、.．,，:：]\s*|\s+|$)(?P<name>.*)$")
_SUBGROUP = re.compile(r"^[（(](?P<num>[一二三四五六七八九十]+)[)）]\s*(?P<name>.*)$")
_NUMBER = re.compile(r"^(?P<num>\d+)\s*[.．、]?$")
_LEADING_NUMBER = re.compile(r"^(?P<num>\d+)\s*[.．、]\s*")
HEADER_SEARCH_ROWS = 10
#: Longest text the ledger stores for these cells (the store's column sizes).
LIMITS = {"code": 16, "deadline": 200}
GROUP_NAME_LIMIT, TITLE_LIMIT = 200, 300


@dataclass(frozen=True)
class _Layout:
    header_row: int
    columns: dict[str, int]  # field → 1-based column
    headers: dict[str, str]  # field → the header as written (spaces removed)
    first: int
    last: int


def read_task_file(path: Path, plan_code: str, sheet: str | None = None) -> TaskList:
    """Parse and validate the whole file; :class:`ValidationFailed` lists every problem."""
    grid = read_sheet(path, sheet)
    layout = _layout(grid)
    problems: list[Problem] = []
    headings = _apply_merges(grid, layout)
    reader = _Reader(grid, layout, problems)
    for number in range(layout.header_row + 1, len(grid.rows) + 1):
        reader.row(number, headings.get(number))
    if not reader.tasks and not problems:
        problems.append(Problem("文件中没有任务", "the file holds no tasks", grid.source, layout.header_row + 1))
    if problems:
        raise ValidationFailed(problems)
    title = next((t for r in grid.rows[:layout.header_row - 1] for t in r if t), "")
    if len(title) > TITLE_LIMIT:
        raise ValidationFailed([Problem(f"标题超过 {TITLE_LIMIT} 字", f"the title is longer than {TITLE_LIMIT}",
                                        grid.source, 1)])
    return TaskList(plan_code, tuple(reader.tasks), title, layout.headers.get("stage_goal", ""))


def import_tasks(path: Path, database: Database, user: str, plan_code: str, sheet: str | None = None) -> Changes:
    """Validate the file, then store its tasks under the plan in one transaction (re-importing changes nothing)."""
    task_list = read_task_file(path, plan_code, sheet)
    with database.transaction() as session:
        return save_task_list(session, task_list, user, path.name)


def _normal(text: str) -> str:
    return "".join(text.split())


def _field_of(header: str) -> str | None:
    name = _YEAR_PREFIX.sub("", _normal(header))
    return next((f for f, names in COLUMNS.items() if name in names), None)


def _layout(grid: Sheet) -> _Layout:
    for number, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS], start=1):
        fields = {column: _field_of(text) for column, text in enumerate(row, start=1) if text}
        if "code" not in fields.values() or "deadline" not in fields.values():
            continue
        problems: list[Problem] = []
        columns: dict[str, int] = {}
        headers: dict[str, str] = {}
        for column, name in fields.items():
            text = row[column - 1]
            if name is None:
                problems.append(Problem(f"无法识别的列“{text}”，可用：{'、'.join(LABELS.values())}",
                                        f"unknown column {text!r}", grid.source, number, column))
            elif name in columns:
                problems.append(Problem(f"列“{text}”重复", f"duplicate column {text!r}", grid.source, number, column))
            else:
                columns[name], headers[name] = column, _normal(text)
        for name in ("unit",):
            if name not in columns:
                problems.append(Problem(f"缺少必需的列“{LABELS[name]}”", f"missing required column {name!r}",
                                        grid.source, number))
        if "title" not in columns and "stage_goal" not in columns:
            problems.append(Problem("缺少“重点工作任务”或“阶段目标”列", "missing the task column (重点工作任务 or 阶段目标)",
                                    grid.source, number))
        if problems:
            raise ValidationFailed(problems)
        return _Layout(number, columns, headers, min(columns.values()), max(columns.values()))
    raise ValidationFailed([Problem(f"前 {HEADER_SEARCH_ROWS} 行中找不到表头（须有“序号”和“完成时限”列）",
                                    f"no header row in the first {HEADER_SEARCH_ROWS} rows (needs 序号 and 完成时限)",
                                    grid.source, 1)])


def _apply_merges(grid: Sheet, layout: _Layout) -> dict[int, str]:
    """Fill each merged range with its value; return the rows that are one cell across the table (headings)."""
    headings: dict[int, str] = {}
    for merge in grid.merges:
        if merge.last_row <= layout.header_row:
            continue
        value = grid.cell(merge.first_row, merge.first_column)
        if merge.first_column <= layout.first and merge.last_column >= layout.last:
            for row in range(merge.first_row, merge.last_row + 1):
                headings[row] = value if row == merge.first_row else ""
            continue
        _fill(grid, merge, value)
    return headings


def _fill(grid: Sheet, merge: Merge, value: str) -> None:
    for row in range(merge.first_row, merge.last_row + 1):
        cells = grid.rows[row - 1]
        if len(cells) < merge.last_column:
            cells.extend([""] * (merge.last_column - len(cells)))
        for column in range(merge.first_column, merge.last_column + 1):
            cells[column - 1] = value


class _Reader:
    """Walks the rows below the header, keeping the current group and sub-group."""

    def __init__(self, grid: Sheet, layout: _Layout, problems: list[Problem]) -> None:
        self.grid = grid
        self.layout = layout
        self.problems = problems
        self.tasks: list[Task] = []
        self.group: tuple[str, str] = ("", "")
        self.subgroup = ""
        self.carried = ""  # the 重点工作任务 an empty cell below continues, until the next heading
        self.rows_of: dict[str, int] = {}

    def fail(self, row: int, name: str | None, zh: str, en: str) -> None:
        column = self.layout.columns.get(name) if name else None
        self.problems.append(Problem(zh, en, self.grid.source, row, column))

    def value(self, row: int, name: str) -> str:
        column = self.layout.columns.get(name)
        return self.grid.cell(row, column).strip() if column else ""

    def row(self, number: int, heading: str | None) -> None:
        if heading is not None:
            if heading:
                self.heading(number, heading)
            return
        values = {name: self.value(number, name) for name in self.layout.columns}
        filled = [name for name, text in values.items() if text]
        if not filled:
            return
        first = self.grid.cell(number, self.layout.first).strip()
        if len(filled) == 1 and first and (_GROUP.match(first) or _SUBGROUP.match(first)):
            self.heading(number, first)
            return
        self.task(number, values)

    def heading(self, number: int, text: str) -> None:
        sub = _SUBGROUP.match(text)
        if sub and from_chinese(sub.group("num")):
            self.subgroup, self.carried = sub.group("name").strip(), ""
            return
        group = _GROUP.match(text)
        if group and from_chinese(group.group("num")) and len(group.group("name").strip()) <= GROUP_NAME_LIMIT:
            self.enter((group.group("num"), group.group("name").strip()))
            return
        self.fail(number, None, f"无法识别的标题行“{text}”（应为“一、…”或“（一）…”）",
                  f"cannot read the heading row {text!r} (expected 一、… or （一）…)")

    def task(self, number: int, values: Mapping[str, str]) -> None:
        for name, limit in LIMITS.items():
            if len(values.get(name, "")) > limit:
                self.fail(number, name, f"“{LABELS[name]}”超过 {limit} 字", f"{name} is longer than {limit} characters")
                return
        code = self.code(number, values)
        title, stage_goal = values.get("title", ""), values.get("stage_goal", "")
        if code is not None:
            stage_goal = _strip_number(stage_goal, code)
            title = _strip_number(title, code)
        if title:
            self.carried = title if stage_goal else ""
        else:
            title = self.carried or self.subgroup or self.group[1]
        if not title and not stage_goal:
            self.fail(number, "title", "任务内容为空（“重点工作任务”和“阶段目标”都没有填写）",
                      "the task has no text (neither 重点工作任务 nor 阶段目标)")
        units = split_names(values.get("unit", ""))
        if not units:
            self.fail(number, "unit", "“责任单位”不能为空", "责任单位 (responsible unit) is required")
        deadline_text = values.get("deadline", "")
        try:
            schedule = parse_deadline(deadline_text)
        except DeadlineError as exc:
            self.fail(number, "deadline", exc.zh, exc.en)
            return
        if code is None or not units or not (title or stage_goal):
            return
        if code in self.rows_of:
            self.fail(number, "code", f"序号“{code}”与第 {self.rows_of[code]} 行重复",
                      f"task number {code!r} repeats row {self.rows_of[code]}")
            return
        self.rows_of[code] = number
        self.tasks.append(Task(
            code=code, title=title or stage_goal, units=units, deadline_text=deadline_text, seq=len(self.tasks) + 1,
            group_code=self.group[0], group_name=self.group[1], stage_goal=stage_goal if title else "",
            leaders=split_names(values.get("leader", "")), persons=split_names(values.get("person", "")),
            deadline=schedule.deadline, continuing=schedule.continuing, continuing_from=schedule.continuing_from,
            recurrence=schedule.recurrence.value if schedule.recurrence else None, note=values.get("note", ""),
            stages=schedule.stages))

    def code(self, number: int, values: Mapping[str, str]) -> str | None:
        """The task number: the 序号 cell, or the number leading the task's text under a group numeral."""
        cell = values.get("code", "")
        plain = _NUMBER.match(cell)
        if plain:
            return str(int(plain.group("num")))
        group = _GROUP.match(cell)
        if cell and not (group and from_chinese(group.group("num"))):
            self.fail(number, "code", f"无法识别的序号“{cell}”", f"cannot read the task number {cell!r}")
            return None
        if group:
            title = values.get("title", "")
            name = group.group("name").strip() or (title if not _LEADING_NUMBER.match(title) else "")
            if (group.group("num"), name) != self.group:
                self.enter((group.group("num"), name))
        for name in ("stage_goal", "title"):
            leading = _LEADING_NUMBER.match(values.get(name, ""))
            if leading:
                return str(int(leading.group("num")))
        self.fail(number, "code", "缺少任务序号（“序号”列或任务内容开头的“1.”）",
                  "no task number (in 序号 or as “1.” leading the task's text)")
        return None

    def enter(self, group: tuple[str, str]) -> None:
        self.group, self.subgroup, self.carried = group, "", ""


def _strip_number(text: str, code: str) -> str:
    leading = _LEADING_NUMBER.match(text)
    if leading and str(int(leading.group("num"))) == code:
        return text[leading.end():].strip()
    return text
