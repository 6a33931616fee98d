"""A task's status on any date, from its schedule and its progress reports — pure rules.

- A task is complete from the first day of its last unbroken run of 100 % reports (a later report below 100 %
  reopens it). A recurring task (每季度 …) is complete for a period when a 100 % report falls inside it.
- Overdue (逾期): the deadline has passed and the task is not complete; for a recurring task, the previous period
  closed without a 100 % report.
- 持续推进: continuing work — a task without a deadline, or whose deadline step is done and whose continuing phase
  has begun. Otherwise 已完成, 进行中 (a report has been filed) or 未启动.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from healthplan.domain.labels import LabelledEnum, labelled
from healthplan.store.tasks import ProgressReport, Task
from healthplan.tasks.deadline import Recurrence, month_end

DONE = 100.0


@labelled({"not_started": "未启动", "in_progress": "进行中", "completed": "已完成", "overdue": "逾期",
           "continuing": "持续推进"})
class TaskStatus(LabelledEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"
    CONTINUING = "continuing"


@dataclass(frozen=True)
class TaskState:
    status: TaskStatus
    overdue: bool
    due: dt.date | None  # the deadline; for a recurring task the end of the current period
    completed_on: dt.date | None
    latest: ProgressReport | None

    @property
    def percent(self) -> float | None:
        return self.latest.percent if self.latest is not None else None

    def days_overdue(self, as_of: dt.date) -> int | None:
        return (as_of - self.due).days if self.overdue and self.due is not None else None


def period_of(recurrence: Recurrence, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month, quarter, half-year or year containing ``day``."""
    size = recurrence.months
    first = (day.month - 1) // size * size + 1
    return dt.date(day.year, first, 1), month_end(day.year, first + size - 1)


def completed_on(reports: Sequence[ProgressReport], as_of: dt.date) -> dt.date | None:
    """When the task became complete, as the reports filed by ``as_of`` tell (None: not complete)."""
    filed = [r for r in reports if r.reported_on <= as_of]
    done: dt.date | None = None
    for report in filed:
        done = (done or report.reported_on) if report.percent >= DONE else None
    return done


def state(task: Task, reports: Sequence[ProgressReport], as_of: dt.date) -> TaskState:
    """The task's status on ``as_of`` (reports filed after that day are not yet known)."""
    filed = sorted((r for r in reports if r.reported_on <= as_of), key=lambda r: r.reported_on)
    latest = filed[-1] if filed else None
    if task.recurrence is not None:
        return _recurring(task, Recurrence(task.recurrence), filed, as_of)
    done = completed_on(filed, as_of)
    if task.deadline is None:
        if done is not None:
            return TaskState(TaskStatus.COMPLETED, False, None, done, latest)
        started = task.continuing_from is None or as_of >= task.continuing_from
        return TaskState(TaskStatus.CONTINUING if started else TaskStatus.NOT_STARTED, False, None, None, latest)
    if done is not None:
        phase = task.continuing_from or task.deadline + dt.timedelta(days=1)
        status = TaskStatus.CONTINUING if task.continuing and as_of >= phase else TaskStatus.COMPLETED
        return TaskState(status, False, task.deadline, done, latest)
    if as_of > task.deadline:
        return TaskState(TaskStatus.OVERDUE, True, task.deadline, None, latest)
    status = TaskStatus.IN_PROGRESS if latest is not None else TaskStatus.NOT_STARTED
    return TaskState(status, False, task.deadline, None, latest)


def _recurring(task: Task, recurrence: Recurrence, filed: Sequence[ProgressReport], as_of: dt.date) -> TaskState:
    latest = filed[-1] if filed else None
    start, end = period_of(recurrence, as_of)
    if task.continuing_from is not None and as_of < task.continuing_from:
        return TaskState(TaskStatus.NOT_STARTED, False, end, None, latest)
    done_now = next((r.reported_on for r in filed if start <= r.reported_on and r.percent >= DONE), None)
    if done_now is not None:
        return TaskState(TaskStatus.COMPLETED, False, end, done_now, latest)
    previous_start, previous_end = period_of(recurrence, start - dt.timedelta(days=1))
    missed = (task.continuing_from is None or previous_end >= task.continuing_from) and not any(
        previous_start <= r.reported_on <= previous_end and r.percent >= DONE for r in filed)
    if missed:
        return TaskState(TaskStatus.OVERDUE, True, previous_end, None, latest)
    reported_now = any(start <= r.reported_on for r in filed)
    return TaskState(TaskStatus.IN_PROGRESS if reported_now else TaskStatus.CONTINUING, False, end, None, latest)


def completed_by(task: Task, reports: Sequence[ProgressReport], due: dt.date, as_of: dt.date) -> dt.date | None:
    """When the work due on ``due`` was done, as known on ``as_of`` (for on-time counting)."""
    if task.recurrence is None:
        return completed_on(reports, as_of)
    start, end = period_of(Recurrence(task.recurrence), due)
    return next((r.reported_on for r in sorted(reports, key=lambda r: r.reported_on)
                 if start <= r.reported_on <= min(end, as_of) and r.percent >= DONE), None)


def due_dates(task: Task, first: dt.date, last: dt.date) -> list[dt.date]:
    """The deadlines of ``task`` falling in ``first``..``last`` (every period end for a recurring task)."""
    if task.recurrence is None:
        return [task.deadline] if task.deadline is not None and first <= task.deadline <= last else []
    recurrence = Recurrence(task.recurrence)
    result = []
    _, end = period_of(recurrence, first)
    while end <= last:
        if task.continuing_from is None or end >= task.continuing_from:
            result.append(end)
        _, end = period_of(recurrence, end + dt.timedelta(days=1))
    return result
