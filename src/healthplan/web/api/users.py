"""User administration (admins, within their scope)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from healthplan.web import accounts
from healthplan.web.api.reply import reply
from healthplan.web.deps import Caller, State

router = APIRouter(tags=["用户 users"])


@router.get("/users", summary="管辖范围内的用户 / users in my scope")
def users(caller: Caller, state: State) -> JSONResponse:
    return reply([{**u.to_json(), "scope_name": state.tree.label(u.scope)}
                  for u in accounts.visible_users(state, caller.user)])


@router.post("/users", status_code=201, summary="新建用户 / create a user")
def create(body: accounts.NewUser, caller: Caller, state: State) -> JSONResponse:
    return reply(accounts.add_user(state, caller.user, body).to_json(), 201)


@router.patch("/users/{username}", summary="修改用户（角色、范围、停用、重置口令）/ edit a user")
def edit(username: str, body: accounts.UserEdit, caller: Caller, state: State) -> JSONResponse:
    return reply(accounts.edit_user(state, caller.user, username, body).to_json())
