"""The key-task ledger (任务台账): task lists of plans, their milestones and progress reports.

The records here are what the ledger stores; reading task files, deadlines and statuses is ``healthplan.tasks``.
Every write is audited and idempotent: writing what is already stored changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from healthplan.domain.problems import NotFound
from healthplan.store import audit
from healthplan.store.registry import Changes
from healthplan.store.schema import Base, PlanRow

FILE = "file"  # a milestone read from the task file's deadline text
MANUAL = "manual"  # a milestone added by hand


class TaskListRow(Base):
    """One task list per plan: the title and stage-goal header of the sheet it came from."""

    __tablename__ = "task_list"
    plan_code: Mapped[str] = mapped_column(ForeignKey("plan.code", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    stage_header: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(300), default="")


class TaskRow(Base):
    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("plan_code", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plan.code", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)
    group_code: Mapped[str] = mapped_column(String(16), default="")
    group_name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(Text)
    stage_goal: Mapped[str] = mapped_column(Text, default="")
    leaders: Mapped[str] = mapped_column(Text, default="[]")  # JSON lists of names
    units: Mapped[str] = mapped_column(Text, default="[]")
    persons: Mapped[str] = mapped_column(Text, default="[]")
    deadline_text: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    continuing: Mapped[bool] = mapped_column(Boolean, default=False)
    continuing_from: Mapped[dt.date | None] = mapped_column(Date)
    recurrence: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    target_seq: Mapped[int | None] = mapped_column(Integer)


class TaskMilestoneRow(Base):
    __tablename__ = "task_milestone"
    __table_args__ = (UniqueConstraint("task_id", "title"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    origin: Mapped[str] = mapped_column(String(8))


class TaskProgressRow(Base):
    __tablename__ = "task_progress"
    __table_args__ = (UniqueConstraint("task_id", "reported_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    reported_on: Mapped[dt.date] = mapped_column(Date)
    percent: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text, default="")
    evidence_path: Mapped[str] = mapped_column(Text, default="")
    evidence_name: Mapped[str] = mapped_column(String(300), default="")
    reported_by: Mapped[str] = mapped_column(String(64), default="")
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime)


@dataclass(frozen=True)
class Task:
    """One line of a task list, as the ledger keeps it (names split, the deadline text read)."""

    code: str
    title: str
    units: tuple[str, ...]
    deadline_text: str
    seq: int = 0
    group_code: str = ""
    group_name: str = ""
    stage_goal: str = ""
    leaders: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    deadline: dt.date | None = None
    continuing: bool = False
    continuing_from: dt.date | None = None
    recurrence: str | None = None
    note: str = ""
    stages: tuple[tuple[str, dt.date], ...] = ()  # dated steps before the deadline, from the deadline text
    target_seq: int | None = None  # a target of the same plan this task serves


@dataclass(frozen=True)
class TaskList:
    plan_code: str
    tasks: tuple[Task, ...]
    title: str = ""
    stage_header: str = ""


@dataclass(frozen=True)
class Milestone:
    task_code: str
    title: str
    due: dt.date
    done_on: dt.date | None = None
    origin: str = MANUAL


@dataclass(frozen=True)
class ProgressReport:
    task_code: str
    reported_on: dt.date
    percent: float
    text: str = ""
    evidence_path: str = ""
    evidence_name: str = ""
    reported_by: str = ""


# ---- task lists ----------------------------------------------------------------------------------------

def save_task_list(session: Session, task_list: TaskList, user: str, source: str = "") -> Changes:
    """Insert or update every task of the list (by code); tasks missing from the list are kept as they are."""
    _require_plan(session, task_list.plan_code)
    changes = Changes()
    header = session.get(TaskListRow, task_list.plan_code)
    state = {"title": task_list.title, "stage_header": task_list.stage_header}
    if header is None:
        session.add(TaskListRow(plan_code=task_list.plan_code, source=source, **state))
        audit.record(session, user=user, action="insert", entity="task_list", key=task_list.plan_code,
                     new=json.dumps(state, ensure_ascii=False))
    elif {"title": header.title, "stage_header": header.stage_header} != state:
        audit.record(session, user=user, action="update", entity="task_list", key=task_list.plan_code,
                     old=json.dumps({"title": header.title, "stage_header": header.stage_header},
                                    ensure_ascii=False), new=json.dumps(state, ensure_ascii=False))
        header.title, header.stage_header, header.source = task_list.title, task_list.stage_header, source
    stored = {r.code: r for r in session.scalars(select(TaskRow).where(TaskRow.plan_code == task_list.plan_code))}
    for task in task_list.tasks:
        row = stored.get(task.code)
        key = f"{task_list.plan_code}#{task.code}"
        if row is None:
            row = TaskRow(plan_code=task_list.plan_code, code=task.code, **_fields(task))
            session.add(row)
            session.flush()
            _sync_stages(session, row.id, task.stages)
            audit.record(session, user=user, action="insert", entity="task", key=key, new=_json(task))
            changes.inserted += 1
            continue
        old = _task(row, _file_stages(session, row.id))
        new = replace(task, target_seq=old.target_seq)  # a file never carries the target link
        if old == new:
            changes.unchanged += 1
            continue
        for name, value in _fields(new).items():
            setattr(row, name, value)
        _sync_stages(session, row.id, task.stages)
        audit.record(session, user=user, action="update", entity="task", key=key, old=_json(old), new=_json(new))
        changes.updated += 1
    session.flush()
    return changes


def find_task_list(session: Session, plan_code: str) -> TaskList | None:
    header = session.get(TaskListRow, plan_code)
    if header is None:
        return None
    rows = list(session.scalars(select(TaskRow).where(TaskRow.plan_code == plan_code)
                                .order_by(TaskRow.seq, TaskRow.id)))
    stages = _stages_by_task(session, [r.id for r in rows])
    return TaskList(plan_code, tuple(_task(r, stages.get(r.id, ())) for r in rows), header.title,
                    header.stage_header)


def get_task_list(session: Session, plan_code: str) -> TaskList:
    found = find_task_list(session, plan_code)
    if found is None:
        known = "、".join(plans_with_tasks(session)) or "（无/none）"
        raise NotFound(f"规划“{plan_code}”没有任务清单，已有任务清单的规划：{known}",
                       f"plan {plan_code!r} has no task list; plans with task lists: {known}")
    return found


def plans_with_tasks(session: Session) -> list[str]:
    return list(session.scalars(select(TaskListRow.plan_code).order_by(TaskListRow.plan_code)))


def link_target(session: Session, plan_code: str, task_code: str, target_seq: int | None, user: str) -> Changes:
    """Tie a task to a target of its plan (``None`` unties it)."""
    row = _task_row(session, plan_code, task_code)
    if row.target_seq == target_seq:
        return Changes(unchanged=1)
    audit.record(session, user=user, action="update", entity="task", key=f"{plan_code}#{task_code}",
                 old=json.dumps({"target_seq": row.target_seq}), new=json.dumps({"target_seq": target_seq}),
                 reason="关联规划目标 / link to a plan target")
    row.target_seq = target_seq
    session.flush()
    return Changes(updated=1)


# ---- progress reports ---------------------------------------------------------------------------------

def save_progress(session: Session, plan_code: str, reports: Sequence[ProgressReport], user: str) -> Changes:
    """One report per task and date: a new date inserts, a changed report on a known date replaces it."""
    changes = Changes()
    for report in reports:
        task = _task_row(session, plan_code, report.task_code)
        row = session.scalar(select(TaskProgressRow).where(TaskProgressRow.task_id == task.id,
                                                           TaskProgressRow.reported_on == report.reported_on))
        key = f"{plan_code}#{report.task_code}@{report.reported_on.isoformat()}"
        state = _progress_state(report)
        if row is None:
            session.add(TaskProgressRow(task_id=task.id, reported_by=report.reported_by, reported_at=audit.now(),
                                        **state))
            audit.record(session, user=user, action="insert", entity="task_progress", key=key,
                         new=json.dumps(state, ensure_ascii=False, default=str))
            changes.inserted += 1
            continue
        old = _progress_state(_report(report.task_code, row))
        if old == state:
            changes.unchanged += 1
            continue
        for name, value in state.items():
            setattr(row, name, value)
        row.reported_by, row.reported_at = report.reported_by, audit.now()
        audit.record(session, user=user, action="update", entity="task_progress", key=key,
                     old=json.dumps(old, ensure_ascii=False, default=str),
                     new=json.dumps(state, ensure_ascii=False, default=str))
        changes.updated += 1
    session.flush()
    return changes


def progress_reports(session: Session, plan_code: str) -> dict[str, list[ProgressReport]]:
    """Reports by task code, oldest first."""
    query = (select(TaskRow.code, TaskProgressRow).join(TaskRow, TaskRow.id == TaskProgressRow.task_id)
             .where(TaskRow.plan_code == plan_code).order_by(TaskProgressRow.reported_on))
    result: dict[str, list[ProgressReport]] = {}
    for code, row in session.execute(query):
        result.setdefault(code, []).append(_report(code, row))
    return result


# ---- milestones ---------------------------------------------------------------------------------------

def save_milestone(session: Session, plan_code: str, milestone: Milestone, user: str) -> Changes:
    """Add a milestone or change its due date / completion date (a file milestone keeps its origin)."""
    task = _task_row(session, plan_code, milestone.task_code)
    row = session.scalar(select(TaskMilestoneRow).where(TaskMilestoneRow.task_id == task.id,
                                                        TaskMilestoneRow.title == milestone.title))
    key = f"{plan_code}#{milestone.task_code}:{milestone.title}"
    state = {"due": milestone.due.isoformat(), "done_on": milestone.done_on.isoformat() if milestone.done_on else None}
    if row is None:
        session.add(TaskMilestoneRow(task_id=task.id, title=milestone.title, due=milestone.due,
                                     done_on=milestone.done_on, origin=MANUAL))
        audit.record(session, user=user, action="insert", entity="task_milestone", key=key, new=json.dumps(state))
        session.flush()
        return Changes(inserted=1)
    old = {"due": row.due.isoformat(), "done_on": row.done_on.isoformat() if row.done_on else None}
    if old == state:
        return Changes(unchanged=1)
    row.due, row.done_on = milestone.due, milestone.done_on
    audit.record(session, user=user, action="update", entity="task_milestone", key=key, old=json.dumps(old),
                 new=json.dumps(state))
    session.flush()
    return Changes(updated=1)


def milestones(session: Session, plan_code: str) -> dict[str, list[Milestone]]:
    """Milestones by task code, by due date."""
    query = (select(TaskRow.code, TaskMilestoneRow).join(TaskRow, TaskRow.id == TaskMilestoneRow.task_id)
             .where(TaskRow.plan_code == plan_code).order_by(TaskMilestoneRow.due, TaskMilestoneRow.title))
    result: dict[str, list[Milestone]] = {}
    for code, row in session.execute(query):
        result.setdefault(code, []).append(Milestone(code, row.title, row.due, row.done_on, row.origin))
    return result


# ---- rows ↔ records -----------------------------------------------------------------------------------

def _require_plan(session: Session, plan_code: str) -> None:
    if session.get(PlanRow, plan_code) is None:
        known = "、".join(session.scalars(select(PlanRow.code).order_by(PlanRow.code))) or "（无/none）"
        raise NotFound(f"找不到规划“{plan_code}”，现有：{known}", f"no plan {plan_code!r}; known plans: {known}")


def _task_row(session: Session, plan_code: str, task_code: str) -> TaskRow:
    row = session.scalar(select(TaskRow).where(TaskRow.plan_code == plan_code, TaskRow.code == task_code))
    if row is None:
        raise NotFound(f"规划“{plan_code}”中没有序号为“{task_code}”的任务",
                       f"plan {plan_code!r} has no task {task_code!r}")
    return row


def _fields(task: Task) -> dict[str, object]:
    return {"seq": task.seq, "group_code": task.group_code, "group_name": task.group_name, "title": task.title,
            "stage_goal": task.stage_goal, "leaders": _names(task.leaders), "units": _names(task.units),
            "persons": _names(task.persons), "deadline_text": task.deadline_text, "deadline": task.deadline,
            "continuing": task.continuing, "continuing_from": task.continuing_from,
            "recurrence": task.recurrence, "note": task.note, "target_seq": task.target_seq}


def _names(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _task(row: TaskRow, stages: tuple[tuple[str, dt.date], ...]) -> Task:
    return Task(code=row.code, title=row.title, units=tuple(json.loads(row.units)), deadline_text=row.deadline_text,
                seq=row.seq, group_code=row.group_code, group_name=row.group_name, stage_goal=row.stage_goal,
                leaders=tuple(json.loads(row.leaders)), persons=tuple(json.loads(row.persons)),
                deadline=row.deadline, continuing=row.continuing, continuing_from=row.continuing_from,
                recurrence=row.recurrence, note=row.note, stages=stages, target_seq=row.target_seq)


def _json(task: Task) -> str:
    return json.dumps(asdict(task), ensure_ascii=False, default=str)


def _file_stages(session: Session, task_id: int) -> tuple[tuple[str, dt.date], ...]:
    return _stages_by_task(session, [task_id]).get(task_id, ())


def _stages_by_task(session: Session, task_ids: Sequence[int]) -> dict[int, tuple[tuple[str, dt.date], ...]]:
    result: dict[int, list[tuple[str, dt.date]]] = {}
    for start in range(0, len(task_ids), 500):
        query = (select(TaskMilestoneRow).where(TaskMilestoneRow.task_id.in_(task_ids[start:start + 500]),
                                                TaskMilestoneRow.origin == FILE)
                 .order_by(TaskMilestoneRow.due, TaskMilestoneRow.title))
        for row in session.scalars(query):
            result.setdefault(row.task_id, []).append((row.title, row.due))
    return {k: tuple(v) for k, v in result.items()}


def _sync_stages(session: Session, task_id: int, stages: tuple[tuple[str, dt.date], ...]) -> None:
    """Make the file milestones of a task equal ``stages``; a kept one keeps its completion date, and a
    milestone added by hand under the same title becomes the file's."""
    wanted = dict(stages)
    for row in list(session.scalars(select(TaskMilestoneRow).where(TaskMilestoneRow.task_id == task_id))):
        if row.title in wanted:
            row.due, row.origin = wanted.pop(row.title), FILE
        elif row.origin == FILE:
            session.execute(delete(TaskMilestoneRow).where(TaskMilestoneRow.id == row.id))
    for title, due in wanted.items():
        session.add(TaskMilestoneRow(task_id=task_id, title=title, due=due, done_on=None, origin=FILE))


def _report(task_code: str, row: TaskProgressRow) -> ProgressReport:
    return ProgressReport(task_code, row.reported_on, row.percent, row.text, row.evidence_path, row.evidence_name,
                          row.reported_by)


def _progress_state(report: ProgressReport) -> dict[str, object]:
    """What a report says (who filed it is kept, but refiling the same words is no change)."""
    return {"reported_on": report.reported_on, "percent": report.percent, "text": report.text,
            "evidence_path": report.evidence_path, "evidence_name": report.evidence_name}
