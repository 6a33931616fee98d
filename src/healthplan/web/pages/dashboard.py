"""总览 (a plan's targets by status) and 指标 (map, trend and table of one indicator)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from healthplan.domain.plans import Plan
from healthplan.domain.registry import Level
from healthplan.web import explorer, overview
from healthplan.web.api.indicators import default_area, latest
from healthplan.web.api.orgunits import require_area
from healthplan.web.boundaries import feature_collection
from healthplan.web.deps import Caller, State
from healthplan.web.permissions import DOWNLOAD
from healthplan.web.state import AppState
from healthplan.web.templating import render

router = APIRouter()
Year = Annotated[int | None, Query(ge=1900, le=2200)]


def _default_plan(state: AppState, scope: str, plans: list[Plan]) -> Plan | None:
    """The plan of the user's own area or of the area above it, else the first."""
    tree = state.tree
    for plan in plans:
        if plan.org_unit in tree and (tree.within(scope, plan.org_unit) or tree.within(plan.org_unit, scope)):
            return plan
    return plans[0] if plans else None


@router.get("/overview")
def overview_page(request: Request, caller: Caller, state: State, plan: str | None = None,
                  year: Year = None) -> Response:
    plans = explorer.plans(state)
    chosen = next((p for p in plans if p.code == plan), None) if plan else _default_plan(state, caller.user.scope,
                                                                                         plans)
    if chosen is None:
        return render(request, "overview.html", {"plans": plans, "view": None, "years": []})
    vis = state.visibility(caller.user)
    when = year if year is not None else overview.default_year(state, vis, chosen)
    years = [y for y in state.years() if chosen.base_year <= y <= chosen.target_year]
    view = overview.overview(state, vis, chosen.code, when)
    by_seq = {t["seq"]: t for t in view["targets"]}  # type: ignore[attr-defined]
    return render(request, "overview.html", {"plans": plans, "plan": chosen, "view": view, "years": years,
                                             "by_seq": by_seq})


def _indicator_choices(state: AppState) -> list[dict[str, str]]:
    planned = []
    seen = set()
    for p in explorer.plans(state):
        for t in p.targets:
            if t.indicator not in seen and t.indicator in state.catalog:
                seen.add(t.indicator)
                planned.append({"code": t.indicator, "name": state.catalog.get(t.indicator).name, "group": p.name})
    others = [{"code": i.code, "name": i.name, "group": "指标目录"} for i in state.catalog.indicators.values()
              if i.code not in seen]
    return planned + others


@router.get("/indicators")
def indicators_page(request: Request, caller: Caller, state: State, code: str | None = None,
                    area: str | None = None, year: Year = None) -> Response:
    choices = _indicator_choices(state)
    ind = state.catalog.get(code or (choices[0]["code"] if choices else "beds_per_1000"))
    chosen = default_area(state, caller.user.scope, area)
    require_area(state, chosen)
    when = year if year is not None else latest(state)
    vis = state.visibility(caller.user)
    own, children = explorer.area_values(state, vis, ind, chosen, when)
    years = state.years()
    series = explorer.trend(state, vis, ind, chosen, list(range(years[0], years[-1] + 1)) if years else [when])
    areas = [c for c in state.tree.areas()
             if state.tree.level[c] in (Level.PROVINCE, Level.CITY, Level.COUNTY)]
    return render(request, "indicators.html", {
        "indicator": ind, "choices": choices, "area": own, "children": children, "year": when, "years": years,
        "areas": areas, "series": series, "targets": explorer.targets_for(state, vis, ind, chosen),
        "boundaries": feature_collection([c.code for c in children]),
        "map_values": {c.code: {"name": c.name, "value": c.value, "text": c.to_json(ind)["text"],
                                "withheld": c.withheld} for c in children},
        "can_download": caller.user.role in DOWNLOAD})
