"""七、重点任务推进 from ``healthplan.tasks``: the plan's task ledger at the close of the report year (or today,
when the year is not over) — how many tasks are 已完成/持续推进/进行中/未启动/逾期, the overdue ones by
responsible unit, and a table of them.

Statuses are the ledger's own: for a year that is over, those of the 年考核 (``healthplan tasks yearly``); for
the current year, ``healthplan tasks status --date`` today. Left out when the plan has no task list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from healthplan.domain.periods import Period
from healthplan.reports.inputs import ReportInputs
from healthplan.reports.model import Cell, Claim, Paragraph, Section, Table
from healthplan.reports.sentences import Sentence
from healthplan.store.tasks import Task, find_task_list
from healthplan.tasks.bulletin import build
from healthplan.tasks.ledger import Ledger, load_ledger, statuses
from healthplan.tasks.names import group_label, join_names
from healthplan.tasks.status import TaskStatus

ROOT = "/sections/tasks"
ORDER = (TaskStatus.COMPLETED, TaskStatus.CONTINUING, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED,
         TaskStatus.OVERDUE)


def as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The end of the report year, or today when the year is not over."""
    return min(dt.date(year, 12, 31), today or dt.date.today())


def _row(task: Task, status: TaskStatus, overdue: bool, due: dt.date | None, days_overdue: int | None,
         percent: float | None, latest: str) -> dict[str, Any]:
    return {"code": task.code, "title": task.title, "group": group_label(task), "stage_goal": task.stage_goal,
            "responsible_leader": list(task.leaders), "responsible_unit": list(task.units),
            "responsible_person": list(task.persons), "deadline_text": task.deadline_text,
            "deadline": due.isoformat() if due else None, "continuing": task.continuing, "status": status.value,
            "status_label": status.label, "overdue": overdue, "days_overdue": days_overdue, "percent": percent,
            "latest_report": latest}


def _rows(ledger: Ledger, year: int, today: dt.date) -> list[dict[str, Any]]:
    """A year that is over is read as the 年考核 reads it (``healthplan tasks yearly``): reports filed by 31
    December, the ledger as it stands the morning after, so a task due that day and not done is overdue. A year
    not yet over is read as of today."""
    if today > dt.date(year, 12, 31):
        closing = build(ledger, Period.parse(str(year)))
        return [_row(line.task, line.status, line.overdue, line.due, line.days_overdue, line.percent,
                     line.latest_text) for line in closing.lines]
    return [_row(task, state.status, state.overdue, state.due, state.days_overdue(today), state.percent,
                 state.latest.text if state.latest else "") for task, state in statuses(ledger, today)]


def tasks_data(inputs: ReportInputs, today: dt.date | None = None) -> dict[str, Any] | None:
    with inputs.database.sessions() as session:
        if find_task_list(session, inputs.plan.code) is None:
            return None
    ledger = load_ledger(inputs.database, inputs.plan.code)
    if not ledger.tasks:
        return None
    day = as_of(inputs.year, today)
    rows = _rows(ledger, inputs.year, today or dt.date.today())
    units = []
    for unit in ledger.units():
        mine = [r for r in rows if unit in r["responsible_unit"]]
        late = [r for r in mine if r["overdue"]]
        units.append({"unit": unit, "tasks": len(mine), "overdue": len(late), "has_overdue": bool(late),
                      "overdue_tasks": [r["code"] for r in late]})
    return {"plan": inputs.plan.code, "as_of": day.isoformat(),
            "as_of_text": f"{day.year}年{day.month}月{day.day}日", "total": len(rows),
            "summary": {s.value: sum(1 for r in rows if r["status"] == s.value) for s in TaskStatus},
            "tasks": rows, "units": units}


def tasks_section(inputs: ReportInputs, today: dt.date | None = None) -> tuple[Section, dict[str, Any]] | None:
    data = tasks_data(inputs, today)
    if data is None:
        return None
    section = Section("重点任务推进", [Paragraph(tuple(_claims(data)))])
    overdue = [r for r in data["tasks"] if r["overdue"]]
    section.add(_unit_table(data))
    if overdue:
        section.add(_overdue_table(data, overdue))
    return section, data


def _claims(data: Mapping[str, Any]) -> list[Claim]:
    tasks = f"{ROOT}/tasks"
    s = Sentence().text("截至").number(data["as_of_text"], f"{ROOT}/as_of_text").text("，任务台账共有")
    s.count(data["total"], tasks).text("项重点任务，其中")
    present = [status for status in ORDER if data["summary"][status.value]]
    for n, status in enumerate(present):
        s.text(("" if n == 0 else "、") + status.label)
        s.count(data["summary"][status.value], tasks, status=status.value).text("项")
    claims = [s.text("。").claim()]
    late_units = [(i, u) for i, u in enumerate(data["units"]) if u["overdue"]]
    if not late_units:
        claims.append(Sentence().text("没有逾期未完成的任务。").claim())
        return claims
    index = {r["code"]: i for i, r in enumerate(data["tasks"])}
    s = Sentence().text("逾期未完成的任务涉及").count(len(late_units), f"{ROOT}/units", has_overdue="True")
    s.text("个责任单位：")
    for n, (i, unit) in enumerate(late_units):
        s.text("；" if n else "").number(unit["unit"], f"{ROOT}/units/{i}/unit")
        s.number(str(unit["overdue"]), f"{ROOT}/units/{i}/overdue").text("项（")
        for m, code in enumerate(unit["overdue_tasks"]):
            task = data["tasks"][index[code]]
            s.text("、" if m else "").text("第").number(code, f"{tasks}/{index[code]}/code").text("项")
            s.text("“").number(task["title"], f"{tasks}/{index[code]}/title").text("”")
        s.text("）")
    claims.append(s.text("。").claim())
    return claims


def _unit_table(data: Mapping[str, Any]) -> Table:
    rows = []
    for unit in data["units"]:
        mine = [r for r in data["tasks"] if unit["unit"] in r["responsible_unit"]]
        counts = [sum(1 for r in mine if r["status"] == s.value) for s in ORDER]
        rows.append((Cell(unit["unit"]), Cell(str(unit["tasks"]), unit["tasks"], 0),
                     *(Cell(str(n), n, 0) for n in counts)))
    return Table("task_units", f"各责任单位重点任务推进情况（截至{data['as_of_text']}）",
                 ("责任单位", "任务数", *(s.label for s in ORDER)), tuple(rows), (4.4, 1.6, *(1.9 for _ in ORDER)),
                 note="注：一项任务有多个责任单位的，各单位均计入。")


def _overdue_table(data: Mapping[str, Any], overdue: list[dict[str, Any]]) -> Table:
    rows = tuple((Cell(r["code"]), Cell(r["title"]), Cell(join_names(tuple(r["responsible_unit"]))),
                  Cell(join_names(tuple(r["responsible_person"]))), Cell(r["deadline_text"]),
                  Cell(str(r["days_overdue"] or 0), r["days_overdue"] or 0, 0),
                  Cell(r["latest_report"] or "—")) for r in overdue)
    return Table("tasks_overdue", "逾期未完成任务", ("序号", "重点工作任务", "责任单位", "责任人", "完成时限", "逾期天数",
                                                    "最新进展"), rows, (1.0, 3.2, 2.6, 1.8, 2.0, 1.4, 3.6))


def tasks_problems(data: Mapping[str, Any]) -> tuple[tuple[Claim, Claim], ...]:
    """存在问题: overdue tasks and the units responsible."""
    overdue = data["summary"][TaskStatus.OVERDUE.value]
    if not overdue:
        return ()
    units = sum(1 for u in data["units"] if u["has_overdue"])
    s = Sentence().text("重点任务推进不平衡，截至").number(data["as_of_text"], f"{ROOT}/as_of_text").text("有")
    s.count(overdue, f"{ROOT}/tasks", status=TaskStatus.OVERDUE.value).text("项任务逾期未完成，涉及")
    s.count(units, f"{ROOT}/units", has_overdue="True").text("个责任单位。")
    suggestion = Sentence().text("对逾期任务实行清单化督办，责任单位明确整改时限并按月报送进展，纳入年度考核。")
    return ((s.claim(), suggestion.claim()),)
