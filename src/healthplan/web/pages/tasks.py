"""任务: the key-task ledger of a plan on a date, one task with its progress reports and the form to add one,
and the supervision documents — 月监控, 季通报, 年考核 — with their .docx/.xlsx."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from healthplan.domain.problems import HealthplanError, NotFound, Problem, ValidationFailed
from healthplan.tasks.ledger import load_ledger
from healthplan.tasks.names import group_label
from healthplan.tasks.status import TaskStatus
from healthplan.web import task_ledger
from healthplan.web.deps import Caller, State
from healthplan.web.errors import Forbidden
from healthplan.web.forms import parse_form
from healthplan.web.permissions import DOWNLOAD
from healthplan.web.templating import render

router = APIRouter()
PlanCode = Annotated[str | None, Query(max_length=64)]
Text = Annotated[str | None, Query(max_length=300)]
FORM_FIELDS = ("date", "percent", "text", "evidence")


@router.get("/tasks")
def ledger_page(request: Request, caller: Caller, state: State, plan: PlanCode = None,
                date: dt.date | None = None, status: Text = None, unit: Text = None, group: Text = None) -> Response:
    code = task_ledger.choose_plan(state, caller.user, plan)
    if code is None:
        return render(request, "tasks.html", {"view": None, "plans": []})
    as_of = date or dt.date.today()
    chosen = task_ledger.parse_status(status)
    view = task_ledger.view(state, code, as_of, chosen, unit or None, group or None)
    return render(request, "tasks.html", {
        "view": view, "plans": task_ledger.ledger_plans(state), "statuses": list(TaskStatus),
        "status": chosen.value if chosen else "", "unit": unit or "", "group": group or "",
        "as_of": as_of.isoformat(), "today": dt.date.today().isoformat(),
        "documents": [(d, task_ledger.last_closed(d.kind, as_of)) for d in task_ledger.DOCUMENTS]})


PeriodCode = Annotated[str | None, Query(max_length=8)]


def _document_page(request: Request, caller: Caller, state: State, kind: task_ledger.Document, period: str | None,
                   plan: str | None) -> Response:
    code = task_ledger.require_plan(state, caller.user, plan)
    today = dt.date.today()
    result = task_ledger.document(state, code, kind, period or task_ledger.last_closed(kind.kind, today))
    ledger = load_ledger(state.database, code)
    return render(request, "tasks_bulletin.html", {
        "result": result, "kind": kind, "plan": ledger.plan,
        "tabs": [(d, task_ledger.containing(result.as_of, d.kind).code) for d in task_ledger.DOCUMENTS],
        "lines": {line.task.code: line for line in result.lines}, "summary": result.to_json()["summary"],
        "groups": {line.task.code: group_label(line.task) for line in result.lines},
        "periods": task_ledger.periods(ledger, kind.kind, today), "plans": task_ledger.ledger_plans(state),
        "statuses": list(TaskStatus), "can_download": caller.user.role in DOWNLOAD})


@router.get("/tasks/monitor")
def monitor_page(request: Request, caller: Caller, state: State, plan: PlanCode = None,
                 month: PeriodCode = None) -> Response:
    return _document_page(request, caller, state, task_ledger.MONITOR, month, plan)


@router.get("/tasks/bulletin")
def bulletin_page(request: Request, caller: Caller, state: State, plan: PlanCode = None,
                  quarter: PeriodCode = None) -> Response:
    return _document_page(request, caller, state, task_ledger.BULLETIN, quarter, plan)


@router.get("/tasks/yearly")
def yearly_page(request: Request, caller: Caller, state: State, plan: PlanCode = None,
                year: PeriodCode = None) -> Response:
    return _document_page(request, caller, state, task_ledger.YEARLY, year, plan)


def _task_page(request: Request, caller: Caller, state: State, plan_code: str, code: str, as_of: dt.date,
               message: str | None = None, problems: list[Problem] | None = None,
               values: dict[str, str] | None = None, status: int = 200) -> Response:
    ledger = load_ledger(state.database, plan_code)
    detail = task_ledger.task_json(state, ledger, code, as_of)
    return render(request, "tasks_task.html", {
        "plan": ledger.plan, "detail": detail, "item": detail["task"], "as_of": as_of.isoformat(),
        "today": dt.date.today().isoformat(), "message": message, "problems": problems or [],
        "values": values or {}, "can_report": task_ledger.may_report(state, caller.user, ledger.plan)}, status)


@router.get("/tasks/{task}")
def task_page(request: Request, task: str, caller: Caller, state: State, plan: PlanCode = None,
              date: dt.date | None = None, msg: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    code = task_ledger.require_plan(state, caller.user, plan)
    return _task_page(request, caller, state, code, task, date or dt.date.today(), msg)


@router.post("/tasks/{task}/reports")
async def report_page(request: Request, task: str, caller: Caller, state: State) -> Response:
    form = await request.form()
    fields = {k: v for k in FORM_FIELDS if isinstance(v := form.get(k, ""), str)}
    given = form.get("plan")
    file = form.get("file")
    upload = None
    if isinstance(file, UploadFile) and file.filename:
        upload = (file.filename, await file.read())

    def work() -> Response:
        code = task_ledger.require_plan(state, caller.user, given if isinstance(given, str) else None)
        try:
            parsed = parse_form(task_ledger.ProgressForm, fields)
            task_ledger.add_report(state, caller.user, code, task, parsed, upload)
        except (Forbidden, NotFound):
            raise
        except ValidationFailed as exc:
            return _task_page(request, caller, state, code, task, dt.date.today(), problems=exc.problems,
                              values=fields, status=422)
        except HealthplanError as exc:
            problems = [Problem(exc.zh, exc.en, "表单")]
            return _task_page(request, caller, state, code, task, dt.date.today(), problems=problems,
                              values=fields, status=422)
        return RedirectResponse(f"/tasks/{quote(task)}?plan={quote(code)}&msg=reported", status_code=303)

    return await run_in_threadpool(work)
