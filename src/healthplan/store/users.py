"""Web users (roles scoped to an org-unit subtree), their sessions and API tokens, and failed logins.

Passwords are kept as argon2 hashes; session and API tokens only as SHA-256 digests, so a copy of the
database gives nobody a way in. Every change to a user or a token is in the audit log (never the secret).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from healthplan.domain.labels import LabelledEnum, labelled
from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.store import audit
from healthplan.store.registry import get_org_unit
from healthplan.store.schema import Base

USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")
MIN_PASSWORD = 8
_hasher = PasswordHasher()
#: Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@labelled({"admin": "管理员", "planner": "规划人员", "editor": "数据填报员", "analyst": "分析人员",
           "viewer": "只读用户"})
class Role(LabelledEnum):
    ADMIN = "admin"
    PLANNER = "planner"
    EDITOR = "editor"
    ANALYST = "analyst"
    VIEWER = "viewer"


class UserRow(Base):
    __tablename__ = "web_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SessionRow(Base):
    """A browser session; ``id`` is the SHA-256 of the cookie value."""

    __tablename__ = "web_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class ApiTokenRow(Base):
    """A token for scripts (``Authorization: Bearer …``), shown once and stored as its SHA-256."""

    __tablename__ = "web_api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginFailureRow(Base):
    """One failed login, kept for the rate limit (by user name and by client address)."""

    __tablename__ = "web_login_failure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    scope: str
    active: bool

    def to_json(self) -> dict[str, object]:
        return {"username": self.username, "display_name": self.display_name, "role": self.role.value,
                "role_label": self.role.label, "scope": self.scope, "active": self.active}


@dataclass(frozen=True)
class ApiToken:
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "prefix": self.prefix,
                "created_at": self.created_at.isoformat(),
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}


def _user(row: UserRow) -> User:
    return User(row.id, row.username, row.display_name, Role(row.role), row.scope, row.active)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ---- users -----------------------------------------------------------------------------------------

def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise HealthplanError(f"口令至少 {MIN_PASSWORD} 个字符", f"a password needs at least {MIN_PASSWORD} characters")


def _state(row: UserRow) -> str:
    return json.dumps({"username": row.username, "display_name": row.display_name, "role": row.role,
                       "scope": row.scope, "active": row.active}, ensure_ascii=False)


def create_user(session: Session, username: str, password: str, role: Role, scope: str, actor: str,
                display_name: str = "") -> User:
    if not USERNAME.match(username):
        raise HealthplanError("用户名只能包含字母、数字、下划线、点和连字符（2–64 个）",
                              "a user name is 2–64 letters, digits, '_', '.' or '-'")
    if session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
        raise HealthplanError(f"用户“{username}”已存在", f"user {username!r} already exists")
    _check_password(password)
    get_org_unit(session, scope)
    row = UserRow(username=username, display_name=display_name or username, role=role.value, scope=scope,
                  password_hash=_hasher.hash(password), active=True, created_at=audit.now())
    session.add(row)
    session.flush()
    audit.record(session, user=actor, action="insert", entity="web_user", key=username, org_unit=scope,
                 new=_state(row))
    return _user(row)


def update_user(session: Session, username: str, actor: str, *, role: Role | None = None,
                scope: str | None = None, display_name: str | None = None, active: bool | None = None,
                password: str | None = None, reason: str = "") -> User:
    """Change a user's role, scope, name, active flag or password (the audit says "password changed")."""
    row = _row(session, username)
    old = _state(row)
    if role is not None:
        row.role = role.value
    if scope is not None:
        get_org_unit(session, scope)
        row.scope = scope
    if display_name is not None:
        row.display_name = display_name
    if active is not None:
        row.active = active
        if not active:
            session.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
    if password is not None:
        _check_password(password)
        row.password_hash = _hasher.hash(password)
        session.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
    session.flush()
    new = _state(row)
    if new != old or password is not None:
        audit.record(session, user=actor, action="password" if new == old else "update", entity="web_user",
                     key=username, org_unit=row.scope, old=old, new=new, reason=reason)
    return _user(row)


def _row(session: Session, username: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None:
        raise NotFound(f"找不到用户“{username}”", f"no user {username!r}")
    return row


def get_user(session: Session, username: str) -> User:
    return _user(_row(session, username))


def list_users(session: Session) -> list[User]:
    return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (timing does not tell which was wrong)."""
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    try:
        _hasher.verify(row.password_hash if row is not None else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    return _user(row)


# ---- failed logins -----------------------------------------------------------------------------------

def record_failure(session: Session, username: str, client: str, keep: dt.timedelta) -> None:
    """Note a failed login and forget those older than ``keep`` (the rate limit's window)."""
    stamp = audit.now()
    session.add(LoginFailureRow(username=username[:64], client=client[:64], at=stamp))
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.at < stamp - keep))


def failures_since(session: Session, since: dt.datetime, username: str, client: str) -> tuple[int, int]:
    """Failed logins since ``since``: (for this user name, from this client)."""
    f = LoginFailureRow
    by_user = session.scalar(select(func.count()).where(f.username == username[:64], f.at >= since)) or 0
    by_client = session.scalar(select(func.count()).where(f.client == client[:64], f.at >= since)) or 0
    return int(by_user), int(by_client)


def clear_failures(session: Session, username: str) -> None:
    """A good login forgets the user name's failures (the client's stay counted)."""
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.username == username[:64]))


# ---- sessions ------------------------------------------------------------------------------------------

def create_session(session: Session, user: User, lifetime: dt.timedelta) -> str:
    """A new session for ``user``; returns the cookie value (only its digest is stored)."""
    token = secrets.token_urlsafe(32)
    stamp = audit.now()
    session.add(SessionRow(id=digest(token), user_id=user.id, created_at=stamp, expires_at=stamp + lifetime))
    session.execute(delete(SessionRow).where(SessionRow.expires_at < stamp))
    return token


def session_user(session: Session, token: str) -> tuple[User, str, dt.datetime] | None:
    """The active user of a live session, the session's id and when it expires; or None."""
    sid = digest(token)
    found = session.execute(select(UserRow, SessionRow.expires_at).join(SessionRow, SessionRow.user_id == UserRow.id)
                            .where(SessionRow.id == sid)).first()
    if found is None or found[1] < audit.now() or not found[0].active:
        return None
    return _user(found[0]), sid, found[1]


def end_session(session: Session, token: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.id == digest(token)))


# ---- API tokens ------------------------------------------------------------------------------------

def create_token(session: Session, user: User, name: str, actor: str) -> tuple[ApiToken, str]:
    """A new API token; the returned secret is shown once and never stored."""
    if not name.strip() or len(name) > 100:
        raise HealthplanError("令牌名称不能为空（最多 100 字）", "a token needs a name (at most 100 characters)")
    secret = "hp_" + secrets.token_urlsafe(32)
    row = ApiTokenRow(user_id=user.id, name=name.strip(), token_hash=digest(secret), prefix=secret[:7],
                      created_at=audit.now(), revoked_at=None)
    session.add(row)
    session.flush()
    audit.record(session, user=actor, action="insert", entity="web_api_token", key=f"{user.username}#{row.id}",
                 new=json.dumps({"name": row.name, "prefix": row.prefix}, ensure_ascii=False))
    return _token(row), secret


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(row.id, row.name, row.prefix, row.created_at, row.revoked_at)


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    rows = session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user.id).order_by(ApiTokenRow.id))
    return [_token(r) for r in rows]


def revoke_token(session: Session, user: User, token_id: int, actor: str) -> ApiToken:
    row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.id == token_id, ApiTokenRow.user_id == user.id))
    if row is None:
        raise NotFound(f"找不到令牌 {token_id}", f"no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = audit.now()
        audit.record(session, user=actor, action="revoke", entity="web_api_token", key=f"{user.username}#{row.id}",
                     old=json.dumps({"name": row.name, "revoked": False}, ensure_ascii=False),
                     new=json.dumps({"name": row.name, "revoked": True}, ensure_ascii=False))
    return _token(row)


def token_user(session: Session, secret: str) -> User | None:
    found = session.execute(select(UserRow, ApiTokenRow.revoked_at).join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
                            .where(ApiTokenRow.token_hash == digest(secret))).first()
    if found is None or found[1] is not None or not found[0].active:
        return None
    return _user(found[0])
