"""可及性 / access: a region's coverage under a standard, and the best new sites (GeoJSON and figures)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from healthplan.web import access_maps
from healthplan.web.api.indicators import default_area
from healthplan.web.api.reply import encoded
from healthplan.web.deps import Caller, State

router = APIRouter(prefix="/access", tags=["可及性 access"])
Year = Annotated[int | None, Query(ge=1900, le=2200)]
Level = Annotated[access_maps.DemandLevel, Query(description="需求点：乡镇驻地 township 或 2 公里网格 grid")]
New = Annotated[int, Query(ge=0, le=access_maps.MAX_NEW, description="新增站点数 / new sites")]


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@router.get("/standards", summary="可及性标准 / the access standards")
def standards(_caller: Caller) -> Response:
    data = access_maps.standards()
    return _json(encoded({"source": data.source, "circuity": data.travel.circuity,
                          "standards": [s.to_json() for s in data.standards.values()]}))


@router.get("/coverage", summary="覆盖人口、超出服务半径的乡镇及地图 GeoJSON / coverage with its map")
def coverage(caller: Caller, state: State, area: str | None = None, standard: str = "emergency",
             year: Year = None, level: Level = "township") -> Response:
    chosen_area = default_area(state, caller.user.scope, area)
    when = access_maps.year_for(state, state.visibility(caller.user), chosen_area, access_maps.standard(standard),
                                year)
    return _json(state.memo(("access-coverage-json", chosen_area, standard, when, level), lambda: encoded(
        access_maps.coverage(state, chosen_area, standard, when, level))))


@router.get("/sites", summary="建议新址（MCLP，现有机构保持不变）及地图 GeoJSON / best new sites")
def sites(caller: Caller, state: State, area: str | None = None, standard: str = "emergency", new: New = 3,
          year: Year = None, level: Level = "township") -> Response:
    chosen_area = default_area(state, caller.user.scope, area)
    when = access_maps.year_for(state, state.visibility(caller.user), chosen_area, access_maps.standard(standard),
                                year)
    return _json(state.memo(("access-sites-json", chosen_area, standard, when, level, new), lambda: encoded(
        access_maps.sites(state, chosen_area, standard, when, level, new))))
