"""Create or upgrade a database and give it the core data elements."""

from __future__ import annotations

from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.store.values import core_data_elements, upsert_data_elements


def initialise(database: Database) -> Changes:
    """Idempotent: migrate the schema to head and upsert the built-in data elements."""
    database.migrate()
    with database.transaction() as session:
        return upsert_data_elements(session, core_data_elements())
