"""配置 / allocation: a plan's 配置规划表 as ``healthplan allocate … --format json`` gives it, and as a workbook."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from healthplan.allocation import Allocation, Method
from healthplan.web import allocation_table
from healthplan.web.api.reply import download, encoded
from healthplan.web.auth import Principal
from healthplan.web.deps import Caller, Downloader, State
from healthplan.web.state import AppState

router = APIRouter(prefix="/allocation", tags=["配置 allocation"])
Year = Annotated[int | None, Query(ge=1900, le=2200)]
MethodQuery = Annotated[Method, Query(description="分县方法 / how to split by county")]


def resolve(state: AppState, caller: Principal, plan: str | None, year: int | None, current_year: int | None,
            method: Method) -> Allocation:
    """The allocation the caller asked for (defaults: the caller's plan, its target year, newest visible data)."""
    chosen = allocation_table.plan_of(state, plan, caller.user.scope)
    target = year if year is not None else chosen.target_year
    now = allocation_table.current_year(state, state.visibility(caller.user), chosen, target, current_year)
    return allocation_table.allocation(state, chosen, target, now, method)


@router.get("", summary="资源配置规划表（同 healthplan allocate --format json）/ the allocation table")
def allocation(caller: Caller, state: State, plan: str | None = None, year: Year = None,
               current_year: Year = None, method: MethodQuery = Method.POPULATION) -> Response:
    result = resolve(state, caller, plan, year, current_year, method)
    return Response(encoded(result.to_json()), media_type="application/json")


@router.get("/table.xlsx", summary="下载资源配置规划表 .xlsx / download the workbook")
def workbook(caller: Downloader, state: State, plan: str | None = None, year: Year = None,
             current_year: Year = None, method: MethodQuery = Method.POPULATION) -> Response:
    result = resolve(state, caller, plan, year, current_year, method)
    return download(allocation_table.workbook(result), f"{result.plan.name}-资源配置规划表-{result.year}.xlsx")
