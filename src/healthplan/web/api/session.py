"""Logging in and out, the caller's own account and API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from healthplan.store.users import digest
from healthplan.web import accounts
from healthplan.web.api.reply import reply
from healthplan.web.auth import (
    SESSION_COOKIE,
    Principal,
    app_state,
    client_address,
    csrf_token,
    log_in,
    log_out,
    set_session_cookie,
)
from healthplan.web.deps import Caller, State

router = APIRouter(tags=["会话 session"])


class LoginRequest(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=200)


@router.post("/auth/login", summary="登录（设置会话 Cookie）/ log in")
def login(body: LoginRequest, request: Request) -> JSONResponse:
    state = app_state(request)
    found = log_in(state, body.username, body.password, client_address(request))
    if found is None:
        return reply({"error": {"zh": "用户名或口令错误", "en": "wrong user name or password", "status": 401,
                                "problems": []}}, 401)
    user, token = found
    response = reply({"user": user.to_json(), "csrf_token": csrf_token(state, Principal(user, digest(token)))})
    set_session_cookie(response, request, token)
    return response


@router.post("/auth/logout", status_code=204, summary="退出登录 / log out")
def logout(request: Request, _caller: Caller) -> Response:
    log_out(app_state(request), request)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me", summary="当前用户 / who am I")
async def me(caller: Caller, state: State) -> JSONResponse:
    return reply({"user": caller.user.to_json(), "scope_name": state.tree.label(caller.user.scope),
                  "csrf_token": None if caller.by_token else csrf_token(state, caller)})


@router.post("/me/password", status_code=204, summary="修改口令（其他会话随之失效）/ change password")
def password(body: accounts.PasswordChange, request: Request, caller: Caller) -> Response:
    accounts.change_password(app_state(request), caller.user, body)
    return Response(status_code=204)


@router.get("/tokens", summary="我的 API 令牌 / my API tokens")
def tokens(request: Request, caller: Caller) -> JSONResponse:
    return reply([t.to_json() for t in accounts.tokens(app_state(request), caller.user)])


@router.post("/tokens", status_code=201, summary="新建 API 令牌（只显示一次）/ new API token, shown once")
def new_token(body: accounts.TokenRequest, request: Request, caller: Caller) -> JSONResponse:
    token, secret = accounts.new_token(app_state(request), caller.user, body.name)
    return reply({**token.to_json(), "token": secret}, 201)


@router.delete("/tokens/{token_id}", summary="吊销 API 令牌 / revoke a token")
def revoke(token_id: int, request: Request, caller: Caller) -> JSONResponse:
    return reply(accounts.revoke(app_state(request), caller.user, token_id).to_json())
