"""The tasks migration creates exactly the tables the ledger's models describe (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from healthplan.store.database import Database
from healthplan.store.schema import Base
from healthplan.store.tasks import TaskRow

TABLES = {"task_list", "task", "task_milestone", "task_progress"}


def _ours(diff: object) -> bool:
    """Whether an autogenerate difference concerns one of the ledger's tables."""
    text = repr(diff)
    return any(f"'{name}'" in text or f"Table('{name}'" in text for name in TABLES)


def test_migration_matches_models(database: Database) -> None:
    assert TaskRow.metadata is Base.metadata and {t.name for t in Base.metadata.sorted_tables} >= TABLES
    with database.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= TABLES
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, Base.metadata) if _ours(d)]
        assert "tasks_0001" in context.get_current_heads()
    assert differences == []
