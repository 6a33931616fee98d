"""可及性: a region's coverage under an access standard on a map, with the best N new sites (HTMX-free: the
map's "建议新增 N 个站点" control asks ``/api/access/sites`` and redraws)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from healthplan.domain.problems import HealthplanError
from healthplan.web import access_maps
from healthplan.web.api.indicators import default_area
from healthplan.web.deps import Caller, State
from healthplan.web.templating import render

router = APIRouter()
Year = Annotated[int | None, Query(ge=1900, le=2200)]
New = Annotated[int, Query(ge=0, le=access_maps.MAX_NEW)]


def _seat_rows(figures: dict[str, Any], codes: list[str]) -> list[dict[str, Any]]:
    """The townships named by ``codes`` (worst first), with the name of the county they belong to."""
    seats = {s["code"]: s for s in figures["seats"]}
    parts = {a["code"]: a["name"] for a in figures["areas"]}
    return [{**seats[c], "part_name": parts.get(seats[c]["part"], seats[c]["part"])} for c in codes if c in seats]


@router.get("/access")
def access_page(request: Request, caller: Caller, state: State, area: str | None = None,
                standard: str = "emergency", new: New = 3, year: Year = None,
                level: access_maps.DemandLevel = "township") -> Response:
    chosen_area = default_area(state, caller.user.scope, area)
    chosen = access_maps.standard(standard)
    vis = state.visibility(caller.user)
    when = access_maps.year_for(state, vis, chosen_area, chosen, year)
    figures = access_maps.coverage(state, chosen_area, standard, when, level)
    siting = chosen.measure != "count" and bool(chosen.candidates)
    proposal: dict[str, Any] | None = None
    problem: HealthplanError | None = None
    if siting:
        try:
            proposal = access_maps.sites(state, chosen_area, standard, when, level, new)
        except HealthplanError as exc:  # no candidate sites here: the coverage is still worth showing
            problem = exc
    beyond = _seat_rows(figures, figures["beyond"])
    between = _seat_rows(figures, [c for c in figures["beyond_strict"] if c not in set(figures["beyond"])])
    after_beyond = {s["code"] for s in proposal["beyond_after"]} if proposal else set()
    return render(request, "access.html", {
        "areas": access_maps.area_choices(state), "area": chosen_area, "standards": access_maps.standards(),
        "embedded": _for_the_map(proposal),
        "standard": chosen, "year": when, "years": state.years(), "level": level, "new": new,
        "choices": range(access_maps.MAX_NEW + 1), "figures": figures, "proposal": proposal, "problem": problem,
        "siting": siting, "beyond": beyond, "between": between, "after_beyond": after_beyond,
        "after_areas": {a["code"]: a for a in proposal["areas_after"]} if proposal else {},
        "parts": {a["code"]: a["name"] for a in figures["areas"]}, "travel": _bilingual(figures["travel"]),
        "demand_text": _bilingual(figures["demand"]), "radius_km": _straight_radius(figures)})


def _straight_radius(figures: dict[str, Any]) -> float:
    """The widest limit as a straight-line radius (km ÷ circuity) for the circles around new sites; 0 draws none
    (time standards, or distances along a road network)."""
    standard = figures["standard"]
    if standard["measure"] != "km" or figures["distance_method"] != "great_circle" or not standard["limits"]:
        return 0.0
    return float(max(v["lenient"] for v in standard["limits"].values())) / access_maps.standards().travel.circuity


def _for_the_map(proposal: dict[str, Any] | None) -> dict[str, Any] | None:
    """The proposal as the map script reads it: without the existing facilities, which the page already drew."""
    if proposal is None:
        return None
    geo = proposal["geojson"]
    kept = [f for f in geo["features"] if f["properties"]["layer"] in ("demand", "proposed")]
    return {**proposal, "existing": [], "geojson": {**geo, "features": kept}}


def _bilingual(text: str) -> tuple[str, str]:
    """``中文 / English`` as the access package writes its descriptions."""
    zh, _, en = text.partition(" / ")
    return zh, en or zh
