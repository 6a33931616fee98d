"""Indicators: the catalog, one indicator over an area's sub-areas (map and table), its trend and targets."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response

from healthplan.domain.problems import HealthplanError
from healthplan.domain.registry import Level
from healthplan.web import explorer
from healthplan.web.api.orgunits import require_area
from healthplan.web.api.reply import download, encoded, memoised_reply, reply
from healthplan.web.deps import Caller, Downloader, State
from healthplan.web.state import AppState

router = APIRouter(tags=["指标 indicators"])
Year = Annotated[int, Query(ge=1900, le=2200)]


def default_area(state: AppState, caller_scope: str, area: str | None) -> str:
    """The area asked for, else the caller's own area (or its city when scoped to a county)."""
    if area is not None:
        require_area(state, area)
        return area
    own = state.tree.approval_unit(caller_scope)
    parent = state.tree.parent.get(own)
    return parent if state.tree.level.get(own) is Level.COUNTY and parent is not None else own


def latest(state: AppState) -> int:
    years = state.years()
    if not years:
        raise HealthplanError("数据库中还没有任何数据", "the database holds no values yet")
    return years[-1]


@router.get("/indicators", summary="指标目录 / indicator catalog")
def catalog(_caller: Caller, state: State) -> JSONResponse:
    return reply([explorer.indicator_json(i) for i in state.catalog.indicators.values()])


@router.get("/indicators/{code}", summary="指标定义及其读取的数据元 / definition")
def definition(code: str, _caller: Caller, state: State) -> JSONResponse:
    ind = state.catalog.get(code)
    return reply({**explorer.indicator_json(ind), "data_elements": sorted(state.elements_of(ind))})


@router.get("/indicators/{code}/values", summary="某年一个区域及其下级区域的值 / an area and its sub-areas in a year")
async def values(code: str, caller: Caller, state: State, area: str | None = None, year: Year | None = None
                 ) -> Response:
    key = ("values-json", code, area, year, caller.user.scope, state.approvals_version)

    def body() -> bytes:
        ind = state.catalog.get(code)
        chosen = default_area(state, caller.user.scope, area)
        when = year if year is not None else latest(state)
        own, children = explorer.area_values(state, state.visibility(caller.user), ind, chosen, when)
        return encoded({"indicator": explorer.indicator_json(ind), "year": when, "area": own.to_json(ind),
                        "children": [c.to_json(ind) for c in children]})

    return await memoised_reply(state, key, body)


@router.get("/indicators/{code}/trend", summary="历年趋势及规划目标轨迹 / trend with targets")
def trend(code: str, caller: Caller, state: State, org_unit: str | None = None, start: Year | None = None,
          end: Year | None = None) -> JSONResponse:
    ind = state.catalog.get(code)
    chosen = default_area(state, caller.user.scope, org_unit)
    years = state.years()
    first = start if start is not None else (years[0] if years else 2015)
    last = end if end is not None else (years[-1] if years else first)
    if last < first or last - first > 60:
        raise HealthplanError("年份范围无效（最多 60 年）", "invalid year range (at most 60 years)")
    vis = state.visibility(caller.user)
    series = explorer.trend(state, vis, ind, chosen, list(range(first, last + 1)))
    return reply({"indicator": explorer.indicator_json(ind), "org_unit": chosen,
                  "org_unit_name": state.tree.label(chosen),
                  "series": [{"year": int(n.code), "value": n.value, "numerator": n.numerator,
                              "denominator": n.denominator, "withheld": n.withheld} for n in series],
                  "targets": explorer.targets_for(state, vis, ind, chosen)})


@router.get("/indicators/{code}/table.{fmt}", summary="下载区域表（.xlsx/.csv）/ download the table")
def table(code: str, fmt: Annotated[Literal["xlsx", "csv"], Path()], caller: Downloader, state: State,
          area: str | None = None, year: Year | None = None) -> Response:
    ind = state.catalog.get(code)
    chosen = default_area(state, caller.user.scope, area)
    when = year if year is not None else latest(state)
    own, children = explorer.area_values(state, state.visibility(caller.user), ind, chosen, when)
    title = f"{ind.name}（{ind.unit}） {state.tree.label(chosen)} {when}年"
    content = (explorer.xlsx_bytes if fmt == "xlsx" else explorer.csv_bytes)(title, [own, *children])
    return download(content, f"{ind.name}-{state.tree.label(chosen)}-{when}.{fmt}")
