"""机构: the registry list with its map, one facility's versions, and forms that add versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from healthplan.domain.registry import (
    CATEGORY_GROUP_LABELS,
    HOSPITAL_LEVEL_LABELS,
    Category,
    Grade,
    Host,
    Level,
    Ownership,
    Specialty,
    UrbanRural,
)
from healthplan.web import facilities
from healthplan.web.boundaries import feature_collection
from healthplan.web.deps import Caller, State
from healthplan.web.explorer import sub_areas
from healthplan.web.forms import parse_form
from healthplan.web.permissions import ENTRY, in_scope
from healthplan.web.state import AppState
from healthplan.web.templating import render

router = APIRouter()
PAGE = 100
FIELDS = ("name", "parent_code", "category", "specialty", "level", "grade", "ownership", "host", "urban_rural",
          "lat", "lon", "central")


def choices(state: AppState) -> dict[str, object]:
    """Everything the facility forms offer, labelled in Chinese."""
    tree = state.tree
    return {"categories": list(Category), "specialties": list(Specialty), "grades": list(Grade),
            "ownerships": list(Ownership), "hosts": list(Host), "urban_rurals": list(UrbanRural),
            "levels": HOSPITAL_LEVEL_LABELS, "groups": CATEGORY_GROUP_LABELS,
            "areas": [c for c in tree.areas() if tree.level[c] is not Level.VILLAGE]}


@router.get("/registry")
def registry_page(request: Request, caller: Caller, state: State, area: str | None = None,
                  category: str | None = None, q: Annotated[str | None, Query(max_length=100)] = None,
                  as_of: dt.date | None = None, include_closed: bool = False,
                  page: Annotated[int, Query(ge=1)] = 1) -> Response:
    chosen = area or state.tree.approval_unit(caller.user.scope)
    listing = facilities.facilities(state, area=chosen, category=category or None, q=q, as_of=as_of,
                                    include_closed=include_closed, limit=PAGE, offset=(page - 1) * PAGE)
    every = facilities.facilities(state, area=chosen, category=category or None, q=q, as_of=as_of,
                                  include_closed=include_closed, limit=5000)
    points = [[f["lat"], f["lon"], f["name"], f["code"], f["category_label"]] for f in every.items
              if f["lat"] is not None and f["lon"] is not None]
    outline = sub_areas(state, chosen) or [chosen]
    return render(request, "registry.html", {
        **choices(state), "listing": listing, "area": chosen, "category": category or "", "q": q or "",
        "as_of": as_of.isoformat() if as_of else "", "include_closed": include_closed, "page": page,
        "pages": max(1, -(-listing.total // PAGE)), "points": points,
        "boundaries": feature_collection(outline), "can_create": caller.user.role in ENTRY})


@router.get("/registry/new")
def new_page(request: Request, caller: Caller, state: State) -> Response:
    return render(request, "facility_new.html", {**choices(state), "values": {"parent_code": caller.user.scope},
                                                 "error": None})


def _form_fields(form: Mapping[str, object]) -> dict[str, object]:
    fields = {k: form.get(k, "") for k in FIELDS}
    fields["central"] = form.get("central") in ("1", "on", "true")
    return fields


@router.post("/registry/new")
async def create(request: Request, caller: Caller, state: State) -> Response:
    form = dict(await request.form())
    fields = {**_form_fields(form), "code": form.get("code", ""), "valid_from": form.get("valid_from", "")}

    def work() -> str:
        new = parse_form(facilities.NewFacility, fields)
        facilities.create(state, caller.user, new)
        return new.code

    code = await run_in_threadpool(work)
    return RedirectResponse(f"/registry/{code}?msg=created", status_code=303)


@router.get("/registry/{code}")
def facility_page(request: Request, code: str, caller: Caller, state: State, msg: str | None = None) -> Response:
    detail = facilities.detail(state, code)
    current = detail["versions"][0]  # type: ignore[index]
    editable = caller.user.role in ENTRY and in_scope(state.tree, caller.user, str(current["parent_code"]))
    return render(request, "facility.html", {**choices(state), "facility": detail, "current": current,
                                             "editable": editable and bool(detail["active"]), "message": msg,
                                             "today": dt.date.today().isoformat()})


@router.post("/registry/{code}/versions")
async def change(request: Request, code: str, caller: Caller, state: State) -> Response:
    form = dict(await request.form())
    def work() -> None:
        current = facilities.detail(state, code)["versions"][0]  # type: ignore[index]
        fields = {k: v for k, v in _form_fields(form).items() if str(v) != str(current.get(k) or "")
                  and not (k == "central" and bool(v) == bool(current.get(k)))}
        change = parse_form(facilities.FacilityChange, {**fields, "effective": form.get("effective", ""),
                                                        "reason": form.get("reason", "")})
        facilities.change(state, caller.user, code, change)

    await run_in_threadpool(work)
    return RedirectResponse(f"/registry/{code}?msg=changed", status_code=303)


@router.post("/registry/{code}/close")
async def close(request: Request, code: str, caller: Caller, state: State) -> Response:
    form = dict(await request.form())
    def work() -> None:
        closure = parse_form(facilities.FacilityClosure, {"effective": form.get("effective", ""),
                                                          "reason": form.get("reason", "")})
        facilities.close(state, caller.user, code, closure)

    await run_in_threadpool(work)
    return RedirectResponse(f"/registry/{code}?msg=closed", status_code=303)
