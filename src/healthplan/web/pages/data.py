"""数据: the entry form of a data set (inline checks through HTMX), Excel upload, and the approval board."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from healthplan.domain.data import RecordedAt
from healthplan.domain.datasets import DataSet
from healthplan.domain.problems import HealthplanError, ValidationFailed
from healthplan.domain.registry import Level
from healthplan.store.approval import Action
from healthplan.store.datasets import approval_data_sets, get_approval_data_set
from healthplan.store.users import User
from healthplan.web import entry, workflow
from healthplan.web.deps import Caller, State
from healthplan.web.permissions import DOWNLOAD, ENTRY
from healthplan.web.state import AppState
from healthplan.web.templating import render

router = APIRouter()


def _field_id(code: str) -> str:
    return "f-" + code.replace(".", "-")


def _pickers(state: AppState, ds: DataSet, county: str) -> dict[str, object]:
    """The areas to pick from, and the org units of the chosen area the form can be filled for."""
    tree = state.tree
    counties = [c for c in tree.areas() if tree.level[c] in (Level.CITY, Level.COUNTY)]
    if ds.recorded_at is RecordedAt.FACILITY:
        units = sorted((c for c, lv in tree.level.items() if lv is Level.FACILITY and tree.within(c, county)),
                       key=lambda c: tree.label(c))
    else:
        units = [county, *(c for c in tree.children.get(county, []) if tree.level[c] is not Level.FACILITY)]
    return {"counties": counties, "units": units}


def _home_county(state: AppState, user: User) -> str:
    """Where a user's data entry starts: its own county, or the first county of its city."""
    own = state.tree.approval_unit(user.scope)
    below = state.tree.areas_below(own, Level.COUNTY) if state.tree.level[own] is not Level.COUNTY else []
    return below[0] if below else own


def _context(state: AppState, user: User, ds: DataSet, county: str, org_unit: str | None,
             period: str) -> dict[str, object]:
    elements = state.catalog.data_elements
    return {"data_sets": list(approval_data_sets().values()), "ds": ds, "county": county,
            "org_unit": org_unit, "period": period, "elements": elements, "field_id": _field_id,
            "years": state.years(), "can_enter": user.role in ENTRY, "can_download": user.role in DOWNLOAD,
            **_pickers(state, ds, county)}


@router.get("/data")
def entry_page(request: Request, caller: Caller, state: State, data_set: str = "resources_yearly",
               county: str | None = None, org_unit: str | None = None, period: str | None = None,
               msg: str | None = None) -> Response:
    ds = get_approval_data_set(data_set)
    tree = state.tree
    chosen = county or (tree.approval_unit(org_unit) if org_unit and org_unit in tree
                        else _home_county(state, caller.user))
    when = ds.check_period(period) if period else str(state.years()[-1] if state.years() else 2024)
    context = _context(state, caller.user, ds, chosen, org_unit, when)
    form = entry.load_form(state, caller.user, ds, org_unit, when) if org_unit else None
    typed = {k: "" if v is None else f"{v:g}" for k, v in form.values.items()} if form else {}
    return render(request, "data.html", {**context, "form": form, "typed": typed, "problems": [],
                                         "violations": form.violations if form else [], "message": msg})


async def _fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post("/data/validate")
async def validate(request: Request, caller: Caller, state: State) -> Response:
    """HTMX: the inline messages for what is typed so far (nothing saved)."""
    raw = await _fields(request)
    ds = get_approval_data_set(raw.get("data_set", ""))

    def work() -> Response:
        form = entry.load_form(state, caller.user, ds, raw.get("org_unit", ""), raw.get("period", ""))
        _values, problems, violations = entry.validate(state, ds, form.org_unit, form.period, raw)
        return render(request, "_checks.html", {"ds": ds, "problems": problems, "violations": violations,
                                                "field_id": _field_id, "elements": state.catalog.data_elements})

    return await run_in_threadpool(work)


@router.post("/data/save")
async def save(request: Request, caller: Caller, state: State) -> Response:
    raw = await _fields(request)
    ds = get_approval_data_set(raw.get("data_set", ""))
    org_unit, period = raw.get("org_unit", ""), raw.get("period", "")

    def work() -> Response:
        try:
            changes = entry.save_form(state, caller.user, ds, org_unit, period, raw)
        except ValidationFailed as exc:
            form = entry.load_form(state, caller.user, ds, org_unit, period)
            violations = entry.validate(state, ds, form.org_unit, form.period, raw)[2]
            context = _context(state, caller.user, ds, state.tree.approval_unit(org_unit), org_unit, form.period)
            return render(request, "data.html", {**context, "form": form, "typed": raw, "problems": exc.problems,
                                                 "violations": violations, "message": None}, 422)
        msg = f"saved-{changes.inserted}-{changes.updated}"
        return RedirectResponse(f"/data?data_set={ds.code}&org_unit={org_unit}&period={period}&msg={msg}",
                                status_code=303)

    return await run_in_threadpool(work)


@router.post("/data/upload")
async def upload(request: Request, caller: Caller, state: State, data_set: Annotated[str, Form(max_length=64)],
                 file: Annotated[UploadFile, File()], period: Annotated[str, Form(max_length=10)] = "") -> Response:
    ds = get_approval_data_set(data_set)
    content = await file.read()

    def work() -> Response:
        county = _home_county(state, caller.user)
        context = _context(state, caller.user, ds, county, None, period or str(state.years()[-1]))
        base = {**context, "form": None, "typed": {}, "problems": [], "violations": [], "message": None}
        try:
            changes = entry.upload(state, caller.user, ds, file.filename or "", content, period or None)
        except ValidationFailed as exc:
            return render(request, "data.html", {**base, "upload_problems": exc.problems,
                                                 "upload_name": file.filename}, 422)
        return render(request, "data.html", {**base, "upload_changes": changes, "upload_name": file.filename})

    return await run_in_threadpool(work)


@router.get("/data/approval")
def approval_page(request: Request, caller: Caller, state: State, data_set: str = "resources_yearly",
                  period: str | None = None, msg: str | None = None) -> Response:
    ds = get_approval_data_set(data_set)
    when = ds.check_period(period) if period else str(state.years()[-1] if state.years() else 2024)
    rows = workflow.board(state, caller.user, ds, when)
    return render(request, "approval.html", {"data_sets": list(approval_data_sets().values()), "ds": ds,
                                             "period": when, "rows": rows, "years": state.years(), "message": msg})


@router.post("/data/approval")
def approval_action(caller: Caller, state: State, data_set: Annotated[str, Form(max_length=64)],
                    org_unit: Annotated[str, Form(max_length=64)], period: Annotated[str, Form(max_length=10)],
                    action: Annotated[str, Form(max_length=16)],
                    reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    ds = get_approval_data_set(data_set)
    try:
        chosen = Action(action)
    except ValueError:
        raise HealthplanError(f"未知操作“{action}”", f"unknown action {action!r}") from None
    result = workflow.act(state, caller.user, ds, org_unit, period, chosen, reason)
    msg = f"{chosen.value}-{result.org_unit}"
    return RedirectResponse(f"/data/approval?data_set={ds.code}&period={result.period}&msg={msg}", status_code=303)
