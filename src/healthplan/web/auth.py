"""Who is asking: browser sessions (HttpOnly, SameSite cookie) or API tokens; CSRF tokens; login rate limit.

A session cookie carries a random token whose SHA-256 is the session's id in the database. The CSRF token of a
session is an HMAC of its id under the secret generated on first start, so it needs no storage; before login
a random pre-login cookie plays the same part for the login form. Requests with ``Authorization: Bearer`` are
scripts: they carry no cookies, so they need no CSRF token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from healthplan.store import audit
from healthplan.store.users import (
    User,
    authenticate,
    clear_failures,
    create_session,
    digest,
    end_session,
    failures_since,
    record_failure,
    session_user,
    token_user,
)
from healthplan.web.errors import Forbidden, RateLimited, Unauthenticated
from healthplan.web.state import AppState

SESSION_COOKIE = "hp_session"
PRELOGIN_COOKIE = "hp_prelogin"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SESSION_LIFETIME = dt.timedelta(hours=12)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class LoginPolicy:
    """At most ``per_user`` failures for one user name and ``per_client`` from one address within ``window``."""

    window: dt.timedelta = dt.timedelta(minutes=15)
    per_user: int = 5
    per_client: int = 20


@dataclass(frozen=True)
class Principal:
    user: User
    session_id: str | None  # None: authenticated by an API token

    @property
    def by_token(self) -> bool:
        return self.session_id is None


def app_state(request: Request) -> AppState:
    state = request.app.state.healthplan
    assert isinstance(state, AppState)
    return state


def _sign(secret: bytes, purpose: str, value: str) -> str:
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def csrf_token(state: AppState, principal: Principal | None, prelogin: str | None = None) -> str:
    """The token forms and cookie-authenticated API writes must send back."""
    if principal is not None and principal.session_id is not None:
        return _sign(state.secret, "csrf", principal.session_id)
    return _sign(state.secret, "login", prelogin or "")


def current_principal(request: Request) -> Principal | None:
    """The caller, from a bearer token or the session cookie.

    Known credentials are remembered by the app state until an account changes (a password, a revoked token,
    a logout: all in the audit log); an unknown one is looked up in the database every time.
    """
    if hasattr(request.state, "principal"):
        cached = request.state.principal
        return cached if isinstance(cached, Principal) else None
    state = app_state(request)
    header = request.headers.get("authorization", "")
    secret = header[7:].strip() if header.lower().startswith("bearer ") else None
    cookie = request.cookies.get(SESSION_COOKIE) if secret is None else None
    key = f"t:{digest(secret)}" if secret else f"s:{digest(cookie)}" if cookie else None
    found: Principal | None = None
    hit = state.principals.get(key) if key else None
    if hit is not None and (hit[2] is None or hit[2] > audit.now()):
        found = Principal(hit[0], hit[1])
    elif key is not None:
        remembered: tuple[User, str | None, dt.datetime | None] | None = None
        with state.database.sessions() as session:
            if secret:
                user = token_user(session, secret)
                remembered = (user, None, None) if user is not None else None
            else:
                remembered = session_user(session, cookie or "")
        if remembered is not None:
            if len(state.principals) > 10_000:
                state.principals.clear()
            state.principals[key] = remembered
            found = Principal(remembered[0], remembered[1])
    request.state.principal = found
    return found


async def require_principal(request: Request) -> Principal:
    """The caller or 401 (run on the event loop: usually a dictionary lookup)."""
    principal = current_principal(request)
    if principal is None:
        raise Unauthenticated()
    return principal


async def check_csrf(request: Request) -> None:
    """Every unsafe request made with a session cookie must carry the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    principal = current_principal(request)
    if principal is None or principal.by_token:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, csrf_token(app_state(request), principal)):
        raise Forbidden("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试",
                        "missing or wrong CSRF token; reload the page and try again")


def check_login_csrf(request: Request, sent: str | None) -> None:
    prelogin = request.cookies.get(PRELOGIN_COOKIE, "")
    expected = csrf_token(app_state(request), None, prelogin)
    if not prelogin or not sent or not hmac.compare_digest(sent, expected):
        raise Forbidden("登录表单已过期（CSRF 校验失败），请刷新页面后重试",
                        "the login form expired (CSRF check failed); reload and try again")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def log_in(state: AppState, username: str, password: str, client: str,
           policy: LoginPolicy = LoginPolicy()) -> tuple[User, str] | None:
    """The user and a new session token, or None for a wrong name or password (the failure is recorded).

    Raises :class:`RateLimited` once a user name or a client has failed too often within the window, whether or
    not the password is right this time.
    """
    since = audit.now() - policy.window
    with state.database.transaction() as session:
        by_user, by_client = failures_since(session, since, username, client)
        if by_user >= policy.per_user or by_client >= policy.per_client:
            raise RateLimited(int(policy.window.total_seconds()))
        user = authenticate(session, username, password)
        if user is None:
            record_failure(session, username, client, policy.window)
            audit.record(session, user=username[:64] or "?", action="fail", entity="web_login", key=client[:200])
            return None
        clear_failures(session, username)
        token = create_session(session, user, SESSION_LIFETIME)
        audit.record(session, user=user.username, action="login", entity="web_login", key=client[:200])
    return user, token


def log_out(state: AppState, request: Request) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    principal = current_principal(request)
    if not token:
        return
    with state.database.transaction() as session:
        end_session(session, token)
        if principal is not None:
            audit.record(session, user=principal.user.username, action="logout", entity="web_login",
                         key=client_address(request)[:200])
    state.sync()  # forget the remembered session now


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()), httponly=True,
                        samesite="lax", secure=request.url.scheme == "https", path="/")
    response.delete_cookie(PRELOGIN_COOKIE, path="/")


def prelogin_of(request: Request) -> str:
    """The browser's pre-login value, or a fresh one to set with :func:`keep_prelogin`."""
    return request.cookies.get(PRELOGIN_COOKIE) or secrets.token_urlsafe(24)


def keep_prelogin(request: Request, response: Response, value: str) -> None:
    if request.cookies.get(PRELOGIN_COOKIE) != value:
        response.set_cookie(PRELOGIN_COOKIE, value, max_age=3600, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", path="/")
