"""User administration and a user's own account: an admin manages the users inside its scope; everybody
changes their own password and keeps their own API tokens."""

from __future__ import annotations

from pydantic import BaseModel, Field

from healthplan.domain.problems import HealthplanError
from healthplan.store import users as store
from healthplan.store.users import ApiToken, Role, User
from healthplan.web.errors import Forbidden
from healthplan.web.permissions import may_manage
from healthplan.web.state import AppState


class NewUser(BaseModel):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    password: str = Field(min_length=store.MIN_PASSWORD, max_length=200)
    role: Role
    scope: str = Field(min_length=1, max_length=64)
    display_name: str = Field(default="", max_length=100)


class UserEdit(BaseModel):
    role: Role | None = None
    scope: str | None = Field(default=None, min_length=1, max_length=64)
    display_name: str | None = Field(default=None, max_length=100)
    active: bool | None = None
    password: str | None = Field(default=None, min_length=store.MIN_PASSWORD, max_length=200)


class PasswordChange(BaseModel):
    old_password: str = Field(max_length=200)
    new_password: str = Field(min_length=store.MIN_PASSWORD, max_length=200)


class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=100)


def _require_manage(state: AppState, admin: User, scope: str) -> None:
    if not may_manage(state.tree, admin, scope):
        raise Forbidden(f"只有管辖{state.tree.label(scope)}的管理员可以管理此用户",
                        f"only an admin whose scope holds {scope} may manage this user")


def visible_users(state: AppState, admin: User) -> list[User]:
    if admin.role is not Role.ADMIN:
        raise Forbidden("只有管理员可以管理用户", "only admins manage users")
    with state.database.sessions() as session:
        everyone = store.list_users(session)
    return [u for u in everyone if may_manage(state.tree, admin, u.scope)]


def add_user(state: AppState, admin: User, new: NewUser) -> User:
    _require_manage(state, admin, new.scope)
    with state.database.transaction() as session:
        made = store.create_user(session, new.username, new.password, new.role, new.scope, admin.username,
                                 new.display_name)
    state.sync()
    return made


def edit_user(state: AppState, admin: User, username: str, edit: UserEdit) -> User:
    with state.database.sessions() as session:
        target = store.get_user(session, username)
    _require_manage(state, admin, target.scope)
    if edit.scope is not None:
        _require_manage(state, admin, edit.scope)
    if target.id == admin.id and (edit.active is False or (edit.role not in (None, Role.ADMIN))):
        raise HealthplanError("不能停用自己或取消自己的管理员角色", "you cannot deactivate yourself or drop your own admin role")
    with state.database.transaction() as session:
        changed = store.update_user(session, username, admin.username, role=edit.role, scope=edit.scope,
                                    display_name=edit.display_name, active=edit.active, password=edit.password)
    state.sync()  # the user's remembered sessions and tokens carry the old role and scope
    return changed


def change_password(state: AppState, user: User, change: PasswordChange) -> None:
    with state.database.transaction() as session:
        if store.authenticate(session, user.username, change.old_password) is None:
            raise Forbidden("原口令不正确", "the old password is wrong")
        store.update_user(session, user.username, user.username, password=change.new_password)
    state.sync()


def tokens(state: AppState, user: User) -> list[ApiToken]:
    with state.database.sessions() as session:
        return store.list_tokens(session, user)


def new_token(state: AppState, user: User, name: str) -> tuple[ApiToken, str]:
    with state.database.transaction() as session:
        made = store.create_token(session, user, name, user.username)
    state.sync()
    return made


def revoke(state: AppState, user: User, token_id: int) -> ApiToken:
    with state.database.transaction() as session:
        revoked = store.revoke_token(session, user, token_id, user.username)
    state.sync()
    return revoked
