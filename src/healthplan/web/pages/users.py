"""用户: an admin's users (roles scoped to an org-unit subtree)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from healthplan.domain.registry import Level
from healthplan.store.users import Role
from healthplan.web import accounts
from healthplan.web.deps import Caller, State
from healthplan.web.forms import parse_form
from healthplan.web.templating import render

router = APIRouter()


@router.get("/users")
def users_page(request: Request, caller: Caller, state: State, msg: str | None = None) -> Response:
    people = accounts.visible_users(state, caller.user)
    tree = state.tree
    scopes = [c for c in tree.areas() if tree.within(c, caller.user.scope) and tree.level[c] is not Level.VILLAGE]
    return render(request, "users.html", {"people": people, "roles": list(Role), "scopes": scopes, "message": msg})


@router.post("/users")
async def create(request: Request, caller: Caller, state: State) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str) and k != "csrf_token"}

    def work() -> str:
        return accounts.add_user(state, caller.user, parse_form(accounts.NewUser, form)).username

    name = await run_in_threadpool(work)
    return RedirectResponse(f"/users?msg=created-{name}", status_code=303)


@router.post("/users/{username}")
async def edit(request: Request, username: str, caller: Caller, state: State) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str) and k != "csrf_token"}
    if "active" in form:
        form["active"] = "true" if form["active"] in ("1", "on", "true") else "false"

    def work() -> None:
        accounts.edit_user(state, caller.user, username, parse_form(accounts.UserEdit, form))

    await run_in_threadpool(work)
    return RedirectResponse(f"/users?msg=updated-{username}", status_code=303)
