"""The web's own tables on SQLite and PostgreSQL: migration, users and sessions, tokens, failed logins,
approval transitions — each write in the audit log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from healthplan.domain.data import ApprovalState
from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.domain.registry import Level, OrgUnit
from healthplan.store import approval, audit, registry, users
from healthplan.store.approval import Action
from healthplan.store.database import Database
from healthplan.store.schema import Base


def test_migration_creates_exactly_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    mine = ("web_user", "web_session", "web_api_token", "web_login_failure", "data_approval")
    assert [d for d in diffs if any(name in str(d) for name in mine)] == []
    assert users.UserRow.__table__.name in Base.metadata.tables and approval.ApprovalRow.__tablename__ == "data_approval"


@pytest.fixture
def city(database: Database) -> Database:
    with database.transaction() as s:
        registry.upsert_org_units(s, [OrgUnit("140500", "晋城市", Level.CITY, None),
                                      OrgUnit("140525", "泽州县", Level.COUNTY, "140500")], "test")
    return database


def test_users_passwords_sessions_and_tokens(city: Database) -> None:
    with city.transaction() as s:
        made = users.create_user(s, "zz", "correct horse", users.Role.EDITOR, "140525", "admin", "泽州县")
        with pytest.raises(HealthplanError):
            users.create_user(s, "zz", "another one", users.Role.EDITOR, "140525", "admin")
        with pytest.raises(HealthplanError):
            users.create_user(s, "short", "1234567", users.Role.EDITOR, "140525", "admin")
        with pytest.raises(NotFound):
            users.create_user(s, "nowhere", "long enough", users.Role.EDITOR, "999999", "admin")
    with city.sessions() as s:
        stored = s.get(users.UserRow, made.id)
        assert stored is not None and stored.password_hash.startswith("$argon2id$")
        assert "correct horse" not in stored.password_hash
    with city.transaction() as s:
        assert users.authenticate(s, "zz", "wrong password") is None
        assert users.authenticate(s, "nobody", "correct horse") is None
        assert users.authenticate(s, "zz", "correct horse") == made
        cookie = users.create_session(s, made, dt.timedelta(hours=1))
        token, secret = users.create_token(s, made, "script", "zz")
    with city.transaction() as s:
        found = users.session_user(s, cookie)
        assert found is not None and found[0] == made and found[1] == users.digest(cookie)
        assert s.get(users.SessionRow, cookie) is None  # only the digest is stored
        assert users.token_user(s, secret) == made and users.token_user(s, secret + "x") is None
        users.revoke_token(s, made, token.id, "zz")
        assert users.token_user(s, secret) is None
        users.update_user(s, "zz", "admin", password="a new password")
        assert users.session_user(s, cookie) is None  # a new password ends the sessions
        users.update_user(s, "zz", "admin", active=False)
        assert users.authenticate(s, "zz", "a new password") is None
    with city.sessions() as s:
        trail = audit.history(s, entity="web_user", key="zz")
        token_trail = audit.history(s, entity="web_api_token")
    assert [e.action for e in trail] == ["update", "password", "insert"]
    assert json.loads(trail[0].old_value or "{}")["active"] is True and json.loads(trail[0].new_value or "{}")["active"] is False
    assert all("$argon2" not in (e.new_value or "") + (e.old_value or "") for e in trail)
    assert [e.action for e in token_trail] == ["revoke", "insert"] and secret not in (token_trail[1].new_value or "")


def test_failed_logins_are_counted_by_name_and_client(city: Database) -> None:
    window = dt.timedelta(minutes=15)
    with city.transaction() as s:
        for _ in range(3):
            users.record_failure(s, "zz", "10.0.0.1", window)
        users.record_failure(s, "other", "10.0.0.1", window)
    since = audit.now() - window
    with city.transaction() as s:
        assert users.failures_since(s, since, "zz", "10.0.0.1") == (3, 4)
        users.clear_failures(s, "zz")
        assert users.failures_since(s, since, "zz", "10.0.0.2") == (0, 0)


def test_approval_transitions_follow_the_workflow(city: Database) -> None:
    key = ("resources_yearly", "140525", "2024")
    with city.transaction() as s:
        assert approval.get_approval(s, *key).state is ApprovalState.DRAFT
        with pytest.raises(HealthplanError):
            approval.transition(s, *key, Action.APPROVE, "planner")  # nothing submitted yet
        assert approval.transition(s, *key, Action.SUBMIT, "zz").locked
        with pytest.raises(HealthplanError):
            approval.transition(s, *key, Action.RETURN, "planner")  # returning needs a reason
        approval.transition(s, *key, Action.RETURN, "planner", "床位数与上年差距过大")
        approval.transition(s, *key, Action.SUBMIT, "zz")
        approved = approval.transition(s, *key, Action.APPROVE, "planner")
        assert approved.state is ApprovalState.APPROVED and approved.updated_by == "planner"
        approval.transition(s, *key, Action.UNLOCK, "planner", "补报负压病床")
    with city.sessions() as s:
        assert approval.all_states(s) == {key: ApprovalState.DRAFT}
        trail = approval.history(s, *key)
    assert [(e.action, e.old_value, e.new_value, e.user) for e in reversed(trail)] == [
        ("submit", "draft", "submitted", "zz"), ("return", "submitted", "draft", "planner"),
        ("submit", "draft", "submitted", "zz"), ("approve", "submitted", "approved", "planner"),
        ("unlock", "approved", "draft", "planner")]
    assert trail[0].reason == "补报负压病床"
