"""规划: plans, a plan's evaluation by year with target edits, year comparison, plan-file import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from healthplan.domain.plans import Nature, Status, TargetOp
from healthplan.domain.problems import ValidationFailed
from healthplan.web import overview, planning
from healthplan.web.deps import Caller, State
from healthplan.web.forms import parse_form
from healthplan.web.permissions import DOWNLOAD, PLANNING, in_scope
from healthplan.web.templating import render

router = APIRouter()
Year = Annotated[int | None, Query(ge=1900, le=2200)]


@router.get("/plans")
def plans_page(request: Request, caller: Caller, state: State) -> Response:
    return render(request, "plans.html", {"plans": planning.plan_list(state), "problems": [], "imported": None,
                                          "can_import": caller.user.role in PLANNING})


@router.post("/plans/import")
async def import_page(request: Request, caller: Caller, state: State,
                      file: Annotated[UploadFile, File()]) -> Response:
    content = await file.read()

    def work() -> Response:
        context = {"plans": planning.plan_list(state), "can_import": caller.user.role in PLANNING,
                   "upload_name": file.filename}
        try:
            plan, changes = planning.import_file(state, caller.user, file.filename or "", content)
        except ValidationFailed as exc:
            return render(request, "plans.html", {**context, "problems": exc.problems, "imported": None}, 422)
        return render(request, "plans.html", {**context, "plans": planning.plan_list(state), "problems": [],
                                              "imported": {"plan": plan, "changes": changes}})

    return await run_in_threadpool(work)


@router.get("/plans/{code}")
def plan_page(request: Request, code: str, caller: Caller, state: State, year: Year = None,
              msg: str | None = None) -> Response:
    plan = planning.find(state, code)
    vis = state.visibility(caller.user)
    when = year if year is not None else overview.default_year(state, vis, plan)
    view = overview.overview(state, vis, code, when)
    years = [y for y in state.years() if plan.base_year <= y <= plan.target_year]
    return render(request, "plan.html", {
        "plan": plan, "info": planning.plan_json(state, plan), "view": view, "years": years, "message": msg,
        "editable": caller.user.role in PLANNING and in_scope(state.tree, caller.user, plan.org_unit),
        "can_download": caller.user.role in DOWNLOAD, "ops": list(TargetOp), "natures": list(Nature),
        "statuses": list(Status)})


@router.post("/plans/{code}/targets/{seq}")
async def edit_target(request: Request, code: str, seq: int, caller: Caller, state: State) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str) and k != "csrf_token"}
    year = form.pop("year", "")

    def work() -> None:
        planning.edit_target(state, caller.user, code, seq, parse_form(planning.TargetEdit, form))

    await run_in_threadpool(work)
    return RedirectResponse(f"/plans/{code}?msg=target-{seq}" + (f"&year={year}" if year.isdigit() else ""),
                            status_code=303)


@router.get("/plans/{code}/compare")
def compare_page(request: Request, code: str, caller: Caller, state: State,
                 first: Annotated[int, Query(ge=1900, le=2200)],
                 second: Annotated[int, Query(ge=1900, le=2200)]) -> Response:
    plan = planning.find(state, code)
    view = overview.compare(state, state.visibility(caller.user), code, first, second)
    years = [y for y in state.years() if plan.base_year <= y <= plan.target_year]
    return render(request, "compare.html", {"plan": plan, "view": view, "years": years})

