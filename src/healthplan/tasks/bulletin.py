"""What the supervision documents say: 月监控 (monthly list), 季通报 (quarterly bulletin), 年考核 (yearly table).

All three are one computation over a period P (a month, quarter or year) at its close: from the reports filed by
its last day, as the ledger stands the morning after (so a task due on the last day and not done is overdue).
Per responsible unit: the tasks due in P, those done on time, done late, still overdue, continuing; and every
task's status. A task naming several units counts for each of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from healthplan.domain.periods import Period, PeriodError, PeriodType
from healthplan.domain.problems import HealthplanError
from healthplan.store.tasks import Task
from healthplan.tasks.ledger import Ledger
from healthplan.tasks.names import group_label
from healthplan.tasks.status import TaskStatus, completed_by, due_dates, state

KINDS = {PeriodType.MONTH: "month", PeriodType.QUARTER: "quarter", PeriodType.YEAR: "year"}
TITLES = {"month": "重点工作任务监控清单", "quarter": "重点工作任务推进情况通报", "year": "重点工作任务考核表"}


@dataclass(frozen=True)
class TaskLine:
    """A task as the documents list it, on the period's last day."""

    task: Task
    status: TaskStatus
    overdue: bool
    due: dt.date | None
    days_overdue: int | None
    completed_on: dt.date | None
    percent: float | None
    latest_on: dt.date | None
    latest_text: str
    due_in_period: bool

    def to_json(self) -> dict[str, object]:
        t = self.task
        return {"code": t.code, "group": group_label(t), "title": t.title, "stage_goal": t.stage_goal,
                "responsible_leader": list(t.leaders), "responsible_unit": list(t.units),
                "responsible_person": list(t.persons), "deadline_text": t.deadline_text,
                "deadline": _iso(self.due), "continuing": t.continuing, "status": self.status.value,
                "status_label": self.status.label, "overdue": self.overdue, "days_overdue": self.days_overdue,
                "completed_on": _iso(self.completed_on), "percent": self.percent,
                "latest_report": {"date": _iso(self.latest_on), "text": self.latest_text} if self.latest_on else None,
                "due_in_period": self.due_in_period}


@dataclass(frozen=True)
class UnitSummary:
    unit: str
    tasks: tuple[str, ...]
    due: tuple[str, ...]  # tasks due in the period
    on_time: tuple[str, ...]  # of those, done by their deadline
    late: tuple[str, ...]  # of those, done after their deadline but within the period
    overdue: tuple[str, ...]  # overdue on the last day (also those due before the period)
    continuing: tuple[str, ...]
    completed: tuple[str, ...]

    @property
    def on_time_rate(self) -> float | None:
        return len(self.on_time) / len(self.due) if self.due else None

    @property
    def completion_rate(self) -> float | None:
        return (len(self.on_time) + len(self.late)) / len(self.due) if self.due else None

    def to_json(self) -> dict[str, object]:
        counts = {name: len(getattr(self, name)) for name in
                  ("tasks", "due", "on_time", "late", "overdue", "continuing", "completed")}
        lists = {f"{name}_tasks": list(getattr(self, name)) for name in ("due", "on_time", "late", "overdue")}
        return {"unit": self.unit, **counts, "on_time_rate": self.on_time_rate,
                "completion_rate": self.completion_rate, **lists}


@dataclass(frozen=True)
class MilestoneLine:
    task_code: str
    title: str
    due: dt.date
    done_on: dt.date | None
    overdue: bool

    def to_json(self) -> dict[str, object]:
        return {"task": self.task_code, "title": self.title, "due": self.due.isoformat(),
                "done_on": _iso(self.done_on), "overdue": self.overdue}


@dataclass(frozen=True)
class Bulletin:
    plan_code: str
    plan_name: str
    list_title: str
    kind: str  # month | quarter | year
    period: Period
    lines: tuple[TaskLine, ...]
    units: tuple[UnitSummary, ...]
    upcoming: tuple[TaskLine, ...]  # due in the next period of the same kind, not yet complete
    milestones: tuple[MilestoneLine, ...]

    @property
    def as_of(self) -> dt.date:
        """The last day whose reports count."""
        return self.period.end

    @property
    def title(self) -> str:
        """``2023年第四季度重点工作任务推进情况通报`` (the plan is named under the title)."""
        return f"{self.period_label}{TITLES[self.kind]}"

    @property
    def period_label(self) -> str:
        p = self.period
        if self.kind == "month":
            return f"{p.start.year}年{p.start.month}月"
        if self.kind == "quarter":
            return f"{p.start.year}年第{'一二三四'[(p.start.month - 1) // 3]}季度"
        return f"{p.start.year}年度"

    def counts(self) -> dict[TaskStatus, int]:
        result = dict.fromkeys(TaskStatus, 0)
        for line in self.lines:
            result[line.status] += 1
        return result

    def line(self, code: str) -> TaskLine:
        return next(line for line in self.lines if line.task.code == code)

    @property
    def due(self) -> tuple[TaskLine, ...]:
        return tuple(line for line in self.lines if line.due_in_period)

    @property
    def overdue(self) -> tuple[TaskLine, ...]:
        return tuple(line for line in self.lines if line.overdue)

    def to_json(self) -> dict[str, object]:
        due = {code for unit in self.units for code in unit.due}
        on_time = {code for unit in self.units for code in unit.on_time}
        return {"plan": self.plan_code, "kind": self.kind, "period": self.period.code,
                "start": self.period.start.isoformat(), "end": self.period.end.isoformat(), "title": self.title,
                "period_label": self.period_label,
                "summary": {**{s.value: n for s, n in self.counts().items()}, "total": len(self.lines),
                            "due": len(due), "on_time": len(on_time)},
                "units": [u.to_json() for u in self.units], "tasks": [line.to_json() for line in self.lines],
                "overdue": [line.task.code for line in self.overdue],
                "upcoming": [line.task.code for line in self.upcoming],
                "milestones": [m.to_json() for m in self.milestones]}


def parse_period(code: str, kind: PeriodType) -> Period:
    try:
        period = Period.parse(code)
    except PeriodError as exc:
        raise HealthplanError(*str(exc).split(" / ", 1)) from None
    if period.type is not kind:
        raise HealthplanError(f"“{code}”不是{kind.label}度期间", f"{code!r} is not a {KINDS[kind]} period")
    try:
        period.shift(1)  # a bulletin lists what falls due in the following period
    except ValueError:
        raise HealthplanError(f"期间“{code}”超出可用范围（1900—2199 年）",
                              f"period {code!r} is out of range (years 1900–2199)") from None
    return period


def build(ledger: Ledger, period: Period) -> Bulletin:
    """The supervision figures of ``ledger`` for ``period`` as of its last day."""
    if period.type not in KINDS:
        raise HealthplanError("通报期间应为月、季度或年", "the period must be a month, a quarter or a year")
    end = period.end
    lines = tuple(_line(ledger, task, period) for task in ledger.tasks)
    by_code = {line.task.code: line for line in lines}
    units = []
    for unit in ledger.units():
        mine = [t for t in ledger.tasks if unit in t.units]
        due: list[str] = []
        on_time: list[str] = []
        late: list[str] = []
        for task in mine:
            deadlines = due_dates(task, period.start, end)
            if not deadlines:
                continue
            due.append(task.code)
            done = [completed_by(task, ledger.reports.get(task.code, []), d, end) for d in deadlines]
            if any(day is None for day in done):
                continue
            (on_time if all(day <= d for day, d in zip(done, deadlines, strict=True) if day) else late).append(
                task.code)
        units.append(UnitSummary(
            unit, tuple(t.code for t in mine), tuple(due), tuple(on_time), tuple(late),
            tuple(t.code for t in mine if by_code[t.code].overdue),
            tuple(t.code for t in mine if by_code[t.code].status is TaskStatus.CONTINUING),
            tuple(t.code for t in mine if by_code[t.code].status is TaskStatus.COMPLETED)))
    following = period.shift(1)
    upcoming = tuple(
        line for line in lines if due_dates(line.task, following.start, following.end)
        and line.status not in (TaskStatus.COMPLETED, TaskStatus.CONTINUING))
    milestones = tuple(
        MilestoneLine(m.task_code, m.title, m.due, m.done_on if m.done_on and m.done_on <= end else None,
                      m.due < end and not (m.done_on and m.done_on <= end))
        for task in ledger.tasks for m in ledger.milestones.get(task.code, [])
        if period.start <= m.due <= end or (m.due < period.start and not (m.done_on and m.done_on <= end)))
    return Bulletin(ledger.plan.code, ledger.plan.name, ledger.task_list.title, KINDS[period.type], period, lines,
                    tuple(units), upcoming, milestones)


def _line(ledger: Ledger, task: Task, period: Period) -> TaskLine:
    filed = [r for r in ledger.reports.get(task.code, []) if r.reported_on <= period.end]
    closing = period.end + dt.timedelta(days=1)
    current = state(task, filed, closing)
    latest = current.latest
    return TaskLine(task, current.status, current.overdue, current.due, current.days_overdue(closing),
                    current.completed_on, current.percent, latest.reported_on if latest else None,
                    latest.text if latest else "", bool(due_dates(task, period.start, period.end)))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None
