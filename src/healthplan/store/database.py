"""Where the data lives: a SQLite file by default, PostgreSQL by URL; schema kept current by Alembic."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from healthplan.domain.problems import HealthplanError

ENV_URL = "HEALTHPLAN_DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"


def default_url() -> str:
    """``HEALTHPLAN_DATABASE_URL`` if set, else the embedded SQLite file under the user's data directory."""
    url = os.environ.get(ENV_URL)
    if url:
        return url
    home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "healthplan"
    return f"sqlite:///{home / 'healthplan.db'}"


class Database:
    """An engine plus session factory for one database URL."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise HealthplanError(f"数据库地址无效：{self.url}", f"invalid database URL: {self.url}") from None
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {}
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.engine: Engine = create_engine(parsed, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back whole on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def migrate(self) -> None:
        """Bring the schema to the newest migration (creates it on an empty database)."""
        with self.engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")

    def is_current(self) -> bool:
        """Every migration branch (one per capability package that stores data) is at its head."""
        heads = set(ScriptDirectory.from_config(_alembic_config()).get_heads())
        with self.engine.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads()) == heads

    def require_schema(self) -> None:
        if not self.is_current():
            raise HealthplanError(
                f"数据库 {self.display_url} 尚未初始化或版本过旧，请先运行 healthplan init",
                f"database {self.display_url} is not initialised or out of date: run 'healthplan init' first",
            )

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
