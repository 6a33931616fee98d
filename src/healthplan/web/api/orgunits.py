"""The area tree and its boundaries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from healthplan.domain.problems import NotFound
from healthplan.domain.registry import Level
from healthplan.web.api.reply import reply
from healthplan.web.boundaries import feature_collection
from healthplan.web.deps import Caller, State
from healthplan.web.explorer import sub_areas
from healthplan.web.state import AppState

router = APIRouter(tags=["区划 areas"])


def area_json(state: AppState, code: str) -> dict[str, object]:
    tree = state.tree
    return {"code": code, "name": tree.label(code), "level": tree.level[code].value,
            "level_label": tree.level[code].label, "parent": tree.parent.get(code)}


def require_area(state: AppState, code: str) -> None:
    if code not in state.tree or state.tree.level[code] is Level.FACILITY:
        raise NotFound(f"找不到区域“{code}”", f"no area {code!r}")


@router.get("/org-units", summary="区域列表 / areas")
def org_units(_caller: Caller, state: State, parent: str | None = None,
              level: Annotated[Level | None, Query()] = None) -> JSONResponse:
    codes = sub_areas(state, parent) if parent is not None else state.tree.areas()
    if parent is not None:
        require_area(state, parent)
    return reply([area_json(state, c) for c in codes if level is None or state.tree.level[c] is level])


@router.get("/org-units/{code}", summary="一个区域及其下级 / one area and its sub-areas")
def org_unit(code: str, _caller: Caller, state: State) -> JSONResponse:
    require_area(state, code)
    return reply({**area_json(state, code), "children": [area_json(state, c) for c in sub_areas(state, code)]})


@router.get("/boundaries", summary="下级区域边界 GeoJSON（WGS84）/ sub-area boundaries")
def boundaries(parent: str, _caller: Caller, state: State) -> JSONResponse:
    require_area(state, parent)
    return reply(feature_collection(sub_areas(state, parent)))
