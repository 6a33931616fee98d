"""任务: the key-task ledger as the pages and the API show it — a plan's tasks on a date, one task with its
milestones and progress reports, progress reports with their evidence files, and the supervision documents
(月监控, 季通报, 年考核).

Statuses, bulletins and their documents are the tasks package's; this module chooses the plan, filters, checks
who may report, and keeps uploaded evidence. The ledger stores evidence as the path it is given (what
``healthplan tasks report --evidence FILE`` records); a file uploaded in the browser is kept in the data
directory under ``task-evidence/PLAN/TASK/`` and its path recorded the same way. Only files in that folder are
ever served back.
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pydantic import BaseModel, Field

from healthplan.domain.periods import Period, PeriodType
from healthplan.domain.plans import Plan
from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.store.plans import get_plan
from healthplan.store.registry import Changes
from healthplan.store.tasks import Task, plans_with_tasks
from healthplan.store.users import User
from healthplan.tasks import bulletin as bulletins
from healthplan.tasks.bulletin_docx import write_docx
from healthplan.tasks.bulletin_xlsx import write_xlsx
from healthplan.tasks.ledger import Ledger, load_ledger, status_json
from healthplan.tasks.names import group_label
from healthplan.tasks.progress import add_reports
from healthplan.tasks.progress import report as progress_report
from healthplan.tasks.status import TaskState, TaskStatus
from healthplan.web.permissions import ENTRY, in_scope, require_role, require_scope
from healthplan.web.server import data_dir
from healthplan.web.state import AppState
from healthplan.web.uploads import safe_filename

EVIDENCE_FOLDER = "task-evidence"
EVIDENCE_LIMIT = 20 * 1024 * 1024  # bytes: scans of signed documents, photos of a meeting
DOCUMENT_MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ProgressForm(BaseModel):
    """A progress report as the form and the API send it (the evidence file comes separately)."""

    date: dt.date
    percent: float = Field(ge=0, le=100)
    text: str = Field(default="", max_length=4000)
    evidence: str = Field(default="", max_length=300, description="文号或链接（未上传文件时）/ a document number or link")


@dataclass(frozen=True)
class Row:
    task: Task
    state: TaskState
    group: str
    days_overdue: int | None


@dataclass(frozen=True)
class LedgerView:
    """The tasks kept by the filters, with the counts by status over the unit and group filters."""

    ledger: Ledger
    as_of: dt.date
    rows: tuple[Row, ...]
    counts: dict[TaskStatus, int]
    units: tuple[str, ...]
    groups: tuple[str, ...]

    @property
    def plan(self) -> Plan:
        return self.ledger.plan

    def to_json(self) -> dict[str, object]:
        """Exactly ``healthplan tasks status --format json``."""
        return status_json(self.as_of, [(r.task, r.state) for r in self.rows])


# ---- which plan ----------------------------------------------------------------------------------------

def ledger_plans(state: AppState) -> list[Plan]:
    """The plans that have a task list."""
    with state.database.sessions() as session:
        return [get_plan(session, code) for code in plans_with_tasks(session)]


def choose_plan(state: AppState, user: User, given: str | None) -> str | None:
    """The plan asked for, else the first with a task list in the user's area, else the first (None: no lists)."""
    if given:
        return given
    plans = ledger_plans(state)
    mine = [p.code for p in plans if in_scope(state.tree, user, p.org_unit)]
    return next(iter(mine or [p.code for p in plans]), None)


def require_plan(state: AppState, user: User, given: str | None) -> str:
    code = choose_plan(state, user, given)
    if code is None:
        raise NotFound("还没有任何规划的任务清单（healthplan tasks import 导入）",
                       "no plan has a task list yet (healthplan tasks import)")
    return code


# ---- the ledger on a date ------------------------------------------------------------------------------

def view(state: AppState, plan_code: str, as_of: dt.date, status: TaskStatus | None = None,
         unit: str | None = None, group: str | None = None) -> LedgerView:
    ledger = load_ledger(state.database, plan_code)
    rows = []
    for task in ledger.tasks:
        current = ledger.state(task, as_of)
        rows.append(Row(task, current, group_label(task), current.days_overdue(as_of)))
    kept = [r for r in rows if (not unit or unit in r.task.units) and (not group or r.group == group)]
    counts = dict.fromkeys(TaskStatus, 0)
    for row in kept:
        counts[row.state.status] += 1
    shown = tuple(r for r in kept if status is None or r.state.status is status)
    groups = tuple(dict.fromkeys(r.group for r in rows if r.group))
    return LedgerView(ledger, as_of, shown, counts, tuple(ledger.units()), groups)


def parse_status(text: str | None) -> TaskStatus | None:
    """A status filter from a query (code or Chinese label; empty means all)."""
    if not text:
        return None
    try:
        return TaskStatus.from_text(text)
    except ValueError:
        names = "、".join(f"{s.value}（{s.label}）" for s in TaskStatus)
        raise HealthplanError(f"未知的任务状态“{text}”，可用：{names}", f"unknown task status {text!r}") from None


def find_task(ledger: Ledger, code: str) -> Task:
    found = next((t for t in ledger.tasks if t.code == code), None)
    if found is None:
        raise NotFound(f"规划“{ledger.plan.code}”中没有序号为“{code}”的任务",
                       f"plan {ledger.plan.code!r} has no task {code!r}")
    return found


def task_json(state: AppState, ledger: Ledger, code: str, as_of: dt.date) -> dict[str, object]:
    """One task on ``as_of``: the ledger line, its milestones and every progress report (oldest first)."""
    task = find_task(ledger, code)
    current = ledger.state(task, as_of)
    line = status_json(as_of, [(task, current)])["tasks"]
    assert isinstance(line, list)
    reports = []
    for r in ledger.reports.get(code, []):
        servable = _servable(state, r.evidence_path) is not None
        reports.append({
            "date": r.reported_on.isoformat(), "percent": r.percent, "text": r.text,
            "evidence": r.evidence_path if r.evidence_path and not servable else None,
            "evidence_name": r.evidence_name or None, "reported_by": r.reported_by or None,
            "evidence_url": (f"/api/tasks/{quote(code)}/reports/{r.reported_on.isoformat()}/evidence"
                             f"?plan={quote(ledger.plan.code)}" if servable else None)})
    milestones = [{"title": m.title, "due": m.due.isoformat(),
                   "done_on": m.done_on.isoformat() if m.done_on and m.done_on <= as_of else None,
                   "overdue": m.due < as_of and not (m.done_on and m.done_on <= as_of)}
                  for m in ledger.milestones.get(code, [])]
    return {"plan": ledger.plan.code, "date": as_of.isoformat(),
            "task": {**line[0], "deadline_text": task.deadline_text, "note": task.note,
                     "target_seq": task.target_seq, "status_label": current.status.label,
                     "days_overdue": current.days_overdue(as_of),
                     "completed_on": current.completed_on.isoformat() if current.completed_on else None,
                     "percent": current.percent},
            "milestones": milestones, "reports": reports}


# ---- progress reports and their evidence ---------------------------------------------------------------

def may_report(state: AppState, user: User, plan: Plan) -> bool:
    """Admins, planners and editors whose area holds the plan's area report progress on its tasks."""
    return user.role in ENTRY and in_scope(state.tree, user, plan.org_unit)


def evidence_root(state: AppState) -> Path:
    return data_dir(state.database) / EVIDENCE_FOLDER


def _clean(name: str, default: str) -> str:
    return safe_filename(name, default).lstrip(".") or default


def add_report(state: AppState, user: User, plan_code: str, task_code: str, form: ProgressForm,
               upload: tuple[str, bytes] | None = None) -> Changes:
    """Store one report (one per task and date: the same date replaces it) and its uploaded evidence file.

    The file is written first, into a folder of its own, and removed again when the report is not stored, so
    nothing is half-written either way.
    """
    require_role(user, ENTRY)
    ledger = load_ledger(state.database, plan_code)
    require_scope(state.tree, user, ledger.plan.org_unit)
    find_task(ledger, task_code)
    if form.date > dt.date.today():
        raise HealthplanError(f"报告日期 {form.date} 晚于今天", f"the report date {form.date} is in the future")
    evidence, folder = form.evidence.strip(), None
    if upload is not None and upload[1]:
        name, content = upload
        if len(content) > EVIDENCE_LIMIT:
            raise HealthplanError(f"佐证文件超过 {EVIDENCE_LIMIT // 2**20} MB",
                                  f"the evidence file is larger than {EVIDENCE_LIMIT // 2**20} MB")
        folder = (evidence_root(state) / _clean(plan_code, "plan") / _clean(task_code, "task")
                  / f"{form.date.isoformat()}-{secrets.token_hex(4)}")
        evidence = str(folder / _clean(name, "evidence"))
    item = progress_report(task_code, form.date, form.percent, form.text, evidence, user.username)
    try:
        if folder is not None and upload is not None:
            folder.mkdir(parents=True)
            Path(evidence).write_bytes(upload[1])
        changes = add_reports(state.database, plan_code, [item], user.username)
    except BaseException:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    state.sync()
    return changes


def _servable(state: AppState, recorded: str) -> Path | None:
    """The evidence file when it is one the site keeps (never any other path a report names)."""
    if not recorded:
        return None
    root = evidence_root(state).resolve()
    path = Path(recorded).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def evidence_file(state: AppState, plan_code: str, task_code: str, day: dt.date) -> tuple[Path, str]:
    """The evidence file of the report on ``day`` and the name to download it as."""
    ledger = load_ledger(state.database, plan_code)
    find_task(ledger, task_code)
    found = next((r for r in ledger.reports.get(task_code, []) if r.reported_on == day), None)
    path = _servable(state, found.evidence_path) if found is not None else None
    if found is None or path is None:
        raise NotFound(f"第{task_code}项在 {day} 没有可下载的佐证文件",
                       f"task {task_code} has no evidence file to download on {day}")
    return path, found.evidence_name or path.name


# ---- 月监控, 季通报, 年考核 ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Document:
    """One of the supervision documents: named on the site as the CLI names it (command and period option)."""

    kind: PeriodType
    name: str  # the page, the API path and the ``healthplan tasks`` command
    parameter: str  # the query parameter, as the command's option
    label: str
    period_label: str
    example: str  # how its period is written


DOCUMENTS = (Document(PeriodType.MONTH, "monitor", "month", "月监控", "月份", "202311"),
             Document(PeriodType.QUARTER, "bulletin", "quarter", "季通报", "季度", "2023Q4"),
             Document(PeriodType.YEAR, "yearly", "year", "年考核", "年度", "2023"))
MONITOR, BULLETIN, YEARLY = DOCUMENTS


def containing(day: dt.date, kind: PeriodType) -> Period:
    """The month, quarter or year holding ``day``."""
    if kind is PeriodType.MONTH:
        return Period.parse(f"{day.year}{day.month:02d}")
    if kind is PeriodType.QUARTER:
        return Period.parse(f"{day.year}Q{(day.month - 1) // 3 + 1}")
    return Period.parse(str(day.year))


def last_closed(kind: PeriodType, today: dt.date) -> str:
    """The default period of a document: the last one that has ended."""
    return containing(today, kind).shift(-1).code


def periods(ledger: Ledger, kind: PeriodType, today: dt.date) -> list[str]:
    """The periods a document can be asked for: from the ledger's first date to the current one, newest first."""
    days = [d for t in ledger.tasks for d in (t.deadline, t.continuing_from) if d is not None]
    days += [r.reported_on for reports in ledger.reports.values() for r in reports]
    current = containing(today, kind)
    period = containing(min(days, default=today), kind)
    result = []
    while period.start <= current.start:
        result.append(period.code)
        period = period.shift(1)
    return result[::-1]


def document(state: AppState, plan_code: str, kind: Document, code: str) -> bulletins.Bulletin:
    """The figures of ``kind`` for the period ``code`` — a period code as the CLI takes it."""
    try:
        period = bulletins.parse_period(code, kind.kind)
    except HealthplanError as exc:
        raise HealthplanError(f"{exc.zh}；{kind.label}的{kind.period_label}写作 {kind.example}",
                              f"{exc.en}; a {kind.parameter} is written {kind.example}") from None
    return bulletins.build(load_ledger(state.database, plan_code), period)


def document_file(result: bulletins.Bulletin, suffix: str) -> bytes:
    """The tasks package's .docx or .xlsx of the document."""
    writer = write_docx if suffix == "docx" else write_xlsx
    with tempfile.TemporaryDirectory(prefix="healthplan-bulletin-") as folder:
        path = Path(folder) / f"{result.kind}.{suffix}"
        writer(result, path)
        return path.read_bytes()


def document_filename(result: bulletins.Bulletin, suffix: str) -> str:
    return f"{result.plan_code}-{result.period.code}-{result.title}.{suffix}"
