"""Login, logout, language, and the user's own account (password, API tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from healthplan.domain.problems import HealthplanError
from healthplan.web import accounts
from healthplan.web.auth import (
    app_state,
    check_login_csrf,
    client_address,
    csrf_token,
    current_principal,
    keep_prelogin,
    log_in,
    log_out,
    prelogin_of,
    set_session_cookie,
)
from healthplan.web.deps import Caller
from healthplan.web.errors import RateLimited
from healthplan.web.forms import parse_form
from healthplan.web.i18n import LANG_COOKIE, LANGUAGES
from healthplan.web.templating import render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site (no ``//host`` or scheme), else the overview."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/overview"


def _login_page(request: Request, next_path: str, error: HealthplanError | None = None, status: int = 200,
                username: str = "") -> Response:
    prelogin = prelogin_of(request)
    page = render(request, "login.html", {"next": next_path, "error": error, "username": username,
                                          "login_csrf": csrf_token(app_state(request), None, prelogin)}, status)
    keep_prelogin(request, page, prelogin)
    return page


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/overview", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    if current_principal(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, safe_next(next))


@router.post("/login")
def login(request: Request, username: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=200)], csrf_token: Annotated[str, Form(max_length=200)] = "",
          next: Annotated[str, Form(max_length=500)] = "/overview") -> Response:
    check_login_csrf(request, csrf_token)
    try:
        found = log_in(app_state(request), username, password, client_address(request))
    except RateLimited as exc:
        page = _login_page(request, safe_next(next), exc, 429, username)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    if found is None:
        error = HealthplanError("用户名或口令错误", "wrong user name or password")
        return _login_page(request, safe_next(next), error, 401, username)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, request, found[1])
    return response


@router.post("/logout")
def logout(request: Request, _caller: Caller) -> RedirectResponse:
    log_out(app_state(request), request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie("hp_session", path="/")
    return response


@router.get("/lang/{lang}")
def language(lang: str, next: str | None = None) -> RedirectResponse:
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("/account")
def account(request: Request, caller: Caller, created: str | None = None) -> Response:
    state = app_state(request)
    return render(request, "account.html", {"tokens": accounts.tokens(state, caller.user), "created": None,
                                            "message": created})


@router.post("/account/password")
def password(request: Request, caller: Caller, old_password: Annotated[str, Form(max_length=200)],
             new_password: Annotated[str, Form(max_length=200)]) -> Response:
    change = parse_form(accounts.PasswordChange, {"old_password": old_password, "new_password": new_password})
    accounts.change_password(app_state(request), caller.user, change)
    return RedirectResponse("/login", status_code=303)


@router.post("/account/tokens")
def new_token(request: Request, caller: Caller, name: Annotated[str, Form(max_length=100)]) -> Response:
    state = app_state(request)
    token, secret = accounts.new_token(state, caller.user, parse_form(accounts.TokenRequest, {"name": name}).name)
    return render(request, "account.html", {"tokens": accounts.tokens(state, caller.user),
                                            "created": {"name": token.name, "secret": secret}, "message": None})


@router.post("/account/tokens/{token_id}/revoke")
def revoke(request: Request, caller: Caller, token_id: int) -> RedirectResponse:
    accounts.revoke(app_state(request), caller.user, token_id)
    return RedirectResponse("/account?created=revoked", status_code=303)
