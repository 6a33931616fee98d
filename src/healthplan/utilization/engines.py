"""Where the Ibis expressions run: in-process DuckDB (default) or Spark (``--engine spark``).

DuckDB reads the dataset's files directly and is the right choice up to a few 10⁸ rows on one machine. Spark
is for a province's 10⁹ rows on a cluster: the master URL comes from ``--spark-master`` (or
``HEALTHPLAN_SPARK_MASTER``; default ``local[*]``) and further settings from a ``spark-defaults.conf``-style
file (``key value`` lines, ``#`` comments). The registry lookups are small and travel to the executors with
the query (Spark broadcasts them). PySpark is an optional dependency: ``pip install healthplan[spark]``.
Ibis is imported when a connection is made, so that ``healthplan --help`` stays quick.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthplan.domain.problems import HealthplanError

if TYPE_CHECKING:
    from healthplan.utilization.dataset import EncounterDataset

MASTER_ENV = "HEALTHPLAN_SPARK_MASTER"


class Engine(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


@dataclass
class Connection:
    engine: Engine
    backend: Any  # an Ibis backend
    session: Any = None  # the SparkSession when engine is spark
    _tables: dict[Path, Any] = field(default_factory=dict)

    def encounters(self, dataset: EncounterDataset) -> Any:
        """The dataset as an Ibis table, with its ``year`` and ``month`` partition columns (read once)."""
        if dataset.root not in self._tables:
            self._tables[dataset.root] = (
                self.backend.read_parquet(str(dataset.root.resolve())) if self.engine is Engine.SPARK
                else self.backend.read_parquet(dataset.files, hive_partitioning=True))
        return self._tables[dataset.root]

    def run(self, expression: Any) -> Any:
        """Execute an Ibis expression, as an Arrow table."""
        return self.backend.to_pyarrow(expression)

    def close(self) -> None:
        if self.session is not None:
            self.session.stop()
        else:
            self.backend.disconnect()


def read_spark_conf(path: Path) -> dict[str, str]:
    """``key value`` (or ``key=value``) lines of a spark-defaults.conf-style file."""
    settings: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        key, _, value = text.replace("=", " ", 1).partition(" ")
        if not value.strip():
            raise HealthplanError(f"{path}:{number}: Spark 配置行应为“键 值”", f"{path}:{number}: expected 'key value'")
        settings[key.strip()] = value.strip()
    return settings


def connect(engine: Engine = Engine.DUCKDB, *, master: str | None = None, conf: dict[str, str] | None = None,
            threads: int | None = None, memory_limit: str | None = None) -> Connection:
    import ibis

    if engine is Engine.DUCKDB:
        options: dict[str, Any] = {}
        if threads is not None:
            options["threads"] = threads
        if memory_limit is not None:
            options["memory_limit"] = memory_limit
        return Connection(engine, ibis.duckdb.connect(**options))
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise HealthplanError("未安装 PySpark：pip install 'healthplan[spark]'（还需要 Java 17）",
                              "PySpark is not installed: pip install 'healthplan[spark]' (needs Java 17)") from error
    builder = (SparkSession.builder.appName("healthplan-utilization")
               .master(master or os.environ.get(MASTER_ENV) or "local[*]")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.showConsoleProgress", "false"))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return Connection(engine, ibis.pyspark.connect(session), session)
