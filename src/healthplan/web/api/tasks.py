"""The key-task ledger (任务台账): tasks on a date, one task, progress reports with evidence, and the 月监控,
季通报 and 年考核 as the CLI writes them (JSON, .docx, .xlsx)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from healthplan.tasks.ledger import load_ledger
from healthplan.tasks.status import TaskStatus
from healthplan.web import task_ledger
from healthplan.web.api.reply import download, reply
from healthplan.web.deps import Caller, Downloader, State
from healthplan.web.forms import parse_form

router = APIRouter(tags=["任务 tasks"])
PlanCode = Annotated[str | None, Query(max_length=64, description="规划代码（默认：本辖区第一个有任务清单的规划）/ plan")]
AsOf = Annotated[dt.date | None, Query(description="统计日期（默认今天）/ as of (default today)")]
Quarter = Annotated[str, Query(max_length=8, description="季度，如 2023Q4 / quarter")]
TaskCode = Annotated[str, Path(max_length=16, description="任务序号 / task number")]


@router.get("/tasks", summary="任务台账（某日状态，同 healthplan tasks status --format json）/ the ledger on a date")
def tasks(caller: Caller, state: State, plan: PlanCode = None, date: AsOf = None, status: TaskStatus | None = None,
          unit: Annotated[str | None, Query(max_length=200)] = None,
          group: Annotated[str | None, Query(max_length=300)] = None) -> JSONResponse:
    code = task_ledger.require_plan(state, caller.user, plan)
    return reply(task_ledger.view(state, code, date or dt.date.today(), status, unit, group).to_json())


Fmt = Annotated[Literal["docx", "xlsx"], Path(description="docx（公文）或 xlsx / docx or xlsx")]
Month = Annotated[str, Query(max_length=8, description="月份，如 202311 / month")]
Year = Annotated[str, Query(max_length=8, description="年度，如 2023 / year")]


def _json(caller: Caller, state: State, kind: task_ledger.Document, period: str, plan: str | None) -> JSONResponse:
    code = task_ledger.require_plan(state, caller.user, plan)
    return reply(task_ledger.document(state, code, kind, period).to_json())


def _file(caller: Caller, state: State, kind: task_ledger.Document, period: str, plan: str | None,
          fmt: str) -> Response:
    result = task_ledger.document(state, task_ledger.require_plan(state, caller.user, plan), kind, period)
    response = download(task_ledger.document_file(result, fmt), task_ledger.document_filename(result, fmt))
    response.headers["content-type"] = task_ledger.DOCUMENT_MEDIA[fmt]
    return response


@router.get("/tasks/monitor", summary="月监控清单（同 healthplan tasks monitor --format json）/ the monthly monitoring list")
def monitor(caller: Caller, state: State, month: Month, plan: PlanCode = None) -> JSONResponse:
    return _json(caller, state, task_ledger.MONITOR, month, plan)


@router.get("/tasks/monitor.{fmt}", summary="下载月监控清单（.docx 公文 / .xlsx）/ download the monthly list")
def monitor_file(fmt: Fmt, caller: Downloader, state: State, month: Month, plan: PlanCode = None) -> Response:
    return _file(caller, state, task_ledger.MONITOR, month, plan, fmt)


@router.get("/tasks/bulletin", summary="季通报（各责任单位到期、按时完成、逾期任务）/ the quarterly bulletin")
def bulletin(caller: Caller, state: State, quarter: Quarter, plan: PlanCode = None) -> JSONResponse:
    return _json(caller, state, task_ledger.BULLETIN, quarter, plan)


@router.get("/tasks/bulletin.{fmt}", summary="下载季通报（.docx 公文 / .xlsx）/ download the quarterly bulletin")
def bulletin_file(fmt: Fmt, caller: Downloader, state: State, quarter: Quarter, plan: PlanCode = None) -> Response:
    return _file(caller, state, task_ledger.BULLETIN, quarter, plan, fmt)


@router.get("/tasks/yearly", summary="年考核表（各责任单位按时完成率、完成率，同 healthplan tasks yearly --format json）"
                                     "/ the yearly assessment table")
def yearly(caller: Caller, state: State, year: Year, plan: PlanCode = None) -> JSONResponse:
    return _json(caller, state, task_ledger.YEARLY, year, plan)


@router.get("/tasks/yearly.{fmt}", summary="下载年考核表（.docx 公文 / .xlsx）/ download the yearly assessment table")
def yearly_file(fmt: Fmt, caller: Downloader, state: State, year: Year, plan: PlanCode = None) -> Response:
    return _file(caller, state, task_ledger.YEARLY, year, plan, fmt)


@router.get("/tasks/{task}", summary="一项任务：状态、阶段节点、进展报告 / one task with milestones and reports")
def one_task(task: TaskCode, caller: Caller, state: State, plan: PlanCode = None, date: AsOf = None) -> JSONResponse:
    ledger = load_ledger(state.database, task_ledger.require_plan(state, caller.user, plan))
    return reply(task_ledger.task_json(state, ledger, task, date or dt.date.today()))


@router.post("/tasks/{task}/reports", status_code=201,
             summary="报送进展（可附佐证文件；同一天再报即替换，留痕）/ report progress, with an evidence file")
async def add_report(task: TaskCode, caller: Caller, state: State,
                     date: Annotated[dt.date, Form(description="报告日期 / report date")],
                     percent: Annotated[float, Form(ge=0, le=100, description="进度 0–100（100 即完成）/ percent")],
                     text: Annotated[str, Form(max_length=4000, description="进展情况 / what was done")] = "",
                     evidence: Annotated[str, Form(max_length=300, description="文号或链接 / document number or link")] = "",
                     file: Annotated[UploadFile | None, File(description="佐证文件 / evidence file")] = None,
                     plan: PlanCode = None) -> JSONResponse:
    content = await file.read() if file is not None else b""
    upload = (file.filename or "", content) if file is not None and content else None

    def work() -> dict[str, object]:
        code = task_ledger.require_plan(state, caller.user, plan)
        form = parse_form(task_ledger.ProgressForm,
                          {"date": date, "percent": percent, "text": text, "evidence": evidence}, False)
        changes = task_ledger.add_report(state, caller.user, code, task, form, upload)
        ledger = load_ledger(state.database, code)
        return {"changes": changes.to_json(), **task_ledger.task_json(state, ledger, task, dt.date.today())}

    return reply(await run_in_threadpool(work), 201)


@router.get("/tasks/{task}/reports/{day}/evidence", summary="下载进展的佐证文件 / the evidence file of a report",
            response_class=FileResponse)
def evidence(task: TaskCode, day: dt.date, caller: Caller, state: State, plan: PlanCode = None) -> Response:
    path, name = task_ledger.evidence_file(state, task_ledger.require_plan(state, caller.user, plan), task, day)
    suffix = path.suffix if path.suffix[1:].isascii() and path.suffix[1:].isalnum() else ""
    disposition = f"attachment; filename=\"evidence{suffix}\"; filename*=UTF-8''{quote(name)}"
    return FileResponse(path, media_type="application/octet-stream", headers={"Content-Disposition": disposition})
