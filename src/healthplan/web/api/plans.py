"""Plans: targets and their edits, plan-file import, the overview by status, year comparison, export."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Path, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from healthplan.web import overview, planning
from healthplan.web.api.reply import download, encoded, memoised_reply, reply
from healthplan.web.deps import Caller, Downloader, State

router = APIRouter(tags=["规划 plans"])
Year = Annotated[int, Query(ge=1900, le=2200)]


@router.get("/plans", summary="规划列表 / plans")
def plans(_caller: Caller, state: State) -> JSONResponse:
    return reply(planning.plan_list(state))


@router.get("/plans/{code}", summary="规划及其目标 / a plan and its targets")
def plan(code: str, _caller: Caller, state: State) -> JSONResponse:
    return reply(planning.plan_json(state, planning.find(state, code)))


@router.patch("/plans/{code}/targets/{seq}", summary="修改目标（留痕）/ edit a target")
def edit_target(code: str, seq: int, body: planning.TargetEdit, caller: Caller, state: State) -> JSONResponse:
    return reply(planning.plan_json(state, planning.edit_target(state, caller.user, code, seq, body)))


@router.post("/plans/import", status_code=201, summary="导入规划文件（YAML/Excel，整体校验）/ import a plan file")
async def import_plan(caller: Caller, state: State, file: Annotated[UploadFile, File()]) -> JSONResponse:
    content = await file.read()
    plan, changes = await run_in_threadpool(planning.import_file, state, caller.user, file.filename or "", content)
    return reply({"plan": plan.code, "targets": len(plan.targets), "changes": changes.to_json()}, 201)


@router.get("/plans/{code}/overview", summary="按状态分组的目标进展 / targets by status")
async def plan_overview(code: str, caller: Caller, state: State, year: Year | None = None) -> Response:
    key = ("overview-json", code, year, caller.user.scope, state.approvals_version)

    def body() -> bytes:
        vis = state.visibility(caller.user)
        when = year if year is not None else overview.default_year(state, vis, planning.find(state, code))
        return encoded(overview.overview(state, vis, code, when))

    return await memoised_reply(state, key, body)


@router.get("/plans/{code}/compare", summary="两个年份对比 / compare two years")
def compare(code: str, first: Year, second: Year, caller: Caller, state: State) -> JSONResponse:
    return reply(overview.compare(state, state.visibility(caller.user), code, first, second))


@router.get("/plans/{code}/evaluation.{fmt}", summary="下载评估表 / download the evaluation")
def evaluation_file(code: str, fmt: Annotated[Literal["xlsx", "csv", "json"], Path()], year: Year,
                    caller: Downloader, state: State) -> Response:
    return download(planning.evaluation_file(state, caller.user, code, year, fmt), f"{code}-{year}.{fmt}")
