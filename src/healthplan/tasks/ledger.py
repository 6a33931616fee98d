"""A plan's ledger as read from the store — tasks, reports, milestones — and its status on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from healthplan.domain.plans import Plan
from healthplan.domain.problems import HealthplanError
from healthplan.store.database import Database
from healthplan.store.plans import get_plan, list_plans
from healthplan.store.tasks import (
    Milestone,
    ProgressReport,
    Task,
    TaskList,
    get_task_list,
    milestones,
    plans_with_tasks,
    progress_reports,
)
from healthplan.tasks.names import group_label
from healthplan.tasks.status import TaskState, state


@dataclass(frozen=True)
class Ledger:
    plan: Plan
    task_list: TaskList
    reports: dict[str, list[ProgressReport]]
    milestones: dict[str, list[Milestone]]

    @property
    def tasks(self) -> tuple[Task, ...]:
        return self.task_list.tasks

    def state(self, task: Task, as_of: dt.date) -> TaskState:
        return state(task, self.reports.get(task.code, []), as_of)

    def units(self) -> list[str]:
        """Responsible units in the order they first appear in the list."""
        return list(dict.fromkeys(u for t in self.tasks for u in t.units))


def load_ledger(database: Database, plan_code: str) -> Ledger:
    with database.sessions() as session:
        return Ledger(get_plan(session, plan_code), get_task_list(session, plan_code),
                      progress_reports(session, plan_code), milestones(session, plan_code))


def resolve_plan(session: Session, given: str | None) -> str:
    """The plan a command works on: the one given, else the only plan with a task list, else the only plan."""
    if given:
        return given
    with_tasks = plans_with_tasks(session)
    if len(with_tasks) == 1:
        return with_tasks[0]
    candidates = with_tasks or [p.code for p in list_plans(session)]
    if len(candidates) == 1:
        return candidates[0]
    known = "、".join(candidates) or "（无/none）"
    raise HealthplanError(f"请用 --plan 指定规划（可选：{known}）", f"choose the plan with --plan (one of: {known})")


def statuses(ledger: Ledger, as_of: dt.date, unit: str | None = None) -> list[tuple[Task, TaskState]]:
    """Every task (of ``unit`` when given) with its state on ``as_of``, in list order."""
    return [(task, ledger.state(task, as_of)) for task in ledger.tasks if unit is None or unit in task.units]


def status_json(as_of: dt.date, states: list[tuple[Task, TaskState]]) -> dict[str, object]:
    """The shape of ``healthplan tasks status --format json`` (docs/tasks.md)."""
    rows = []
    for task, current in states:
        rows.append({
            "code": task.code, "title": task.title, "group": group_label(task), "stage_goal": task.stage_goal,
            "responsible_leader": list(task.leaders), "responsible_unit": list(task.units),
            "responsible_person": list(task.persons),
            "deadline": current.due.isoformat() if current.due else None, "continuing": task.continuing,
            "status": current.status.value, "overdue": current.overdue})
    return {"date": as_of.isoformat(), "tasks": rows}

