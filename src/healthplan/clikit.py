"""What every ``healthplan`` command group shares: the root context (database, user), output helpers.

Capability packages define their own Typer app (``healthplan/<package>/cli.py``) with these helpers;
``healthplan/cli.py`` mounts them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from healthplan.store.database import ENV_URL, Database
from healthplan.store.registry import Changes

console = Console()
errors = Console(stderr=True)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


class Context:
    def __init__(self, database_url: str | None, user: str) -> None:
        self.database_url = database_url
        self.user = user
        self._database: Database | None = None

    @property
    def database(self) -> Database:
        if self._database is None:
            self._database = Database(self.database_url)
        return self._database

    def ready(self) -> Database:
        self.database.require_schema()
        return self.database


def context_of(ctx: typer.Context) -> Context:
    obj = ctx.find_root().obj
    assert isinstance(obj, Context)
    return obj


DatabaseOption = Annotated[str | None, typer.Option(
    "--database", help=f"数据库地址（默认 ${ENV_URL} 或内置 SQLite 文件）/ database URL", envvar=ENV_URL)]


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def report(changes: Changes, what: str) -> None:
    console.print(f"[green]{what}[/green]：新增 {changes.inserted}，更新 {changes.updated}，未变 {changes.unchanged} "
                  f"/ inserted {changes.inserted}, updated {changes.updated}, unchanged {changes.unchanged}")


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[], None]]:
    """A Rich progress bar on stderr; yields the function that advances it."""
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=errors, transient=False) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
