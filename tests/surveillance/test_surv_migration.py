"""The surveillance migration creates exactly the tables and indexes the models describe (SQLite and
PostgreSQL), including the covering index the daily run reads counts through."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from healthplan.store.database import Database
from healthplan.store.schema import Base
from healthplan.store.surveillance import CountRow

TABLES = {"surv_series", "surv_count", "surv_signal", "surv_alarm", "surv_signal_step", "surv_event",
          "surv_event_signal"}


def _ours(diff: object) -> bool:
    text = repr(diff)
    return any(f"'{name}'" in text or f"Table('{name}'" in text for name in TABLES)


def test_migration_matches_models(database: Database) -> None:
    assert CountRow.metadata is Base.metadata
    with database.engine.connect() as connection:
        inspector = inspect(connection)
        assert set(inspector.get_table_names()) >= TABLES
        day = next(i for i in inspector.get_indexes("surv_count") if i["name"] == "ix_surv_count_day")
        assert day["column_names"] == ["day", "series_id", "count"]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, Base.metadata) if _ours(d)]
        assert "surveillance_0001" in context.get_current_heads()
    assert differences == []
