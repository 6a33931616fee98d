"""The facility registry: lists, a facility's versions, and changes that add versions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from healthplan.web import facilities
from healthplan.web.api.reply import reply
from healthplan.web.deps import Caller, State

router = APIRouter(tags=["机构 registry"])


@router.get("/facilities", summary="机构列表（按日期在册）/ facilities as of a date")
def listing(_caller: Caller, state: State, area: str | None = None, category: str | None = None,
            q: Annotated[str | None, Query(max_length=100)] = None, as_of: dt.date | None = None,
            include_closed: bool = False, limit: Annotated[int, Query(ge=1, le=5000)] = 100,
            offset: Annotated[int, Query(ge=0)] = 0) -> JSONResponse:
    found = facilities.facilities(state, area=area, category=category, q=q, as_of=as_of,
                                  include_closed=include_closed, limit=limit, offset=offset)
    return reply({"total": found.total, "items": found.items})


@router.get("/facilities/{code}", summary="机构及其历史版本 / a facility with its versions")
def detail(code: str, _caller: Caller, state: State) -> JSONResponse:
    return reply(facilities.detail(state, code))


@router.post("/facilities", status_code=201, summary="新建机构 / create a facility")
def create(body: facilities.NewFacility, caller: Caller, state: State) -> JSONResponse:
    return reply(facilities.create(state, caller.user, body), 201)


@router.post("/facilities/{code}/versions", summary="自某日起变更（新版本）/ change from a date: a new version")
def change(code: str, body: facilities.FacilityChange, caller: Caller, state: State) -> JSONResponse:
    return reply(facilities.change(state, caller.user, code, body))


@router.post("/facilities/{code}/close", summary="撤销机构（自某日起）/ close a facility")
def close(code: str, body: facilities.FacilityClosure, caller: Caller, state: State) -> JSONResponse:
    return reply(facilities.close(state, caller.user, code, body))
