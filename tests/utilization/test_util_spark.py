"""The same Ibis expressions on Spark (local mode, one core) give exactly the DuckDB results.

Needs PySpark (the ``spark`` extra) and a Java 17 runtime; skipped without them. Kept to one Spark session and
small inputs: Spark's start-up dominates.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from healthplan.utilization.dataset import EncounterDataset
from healthplan.utilization.engines import Connection, Engine, connect, read_spark_conf
from healthplan.utilization.flows import flows
from healthplan.utilization.metrics import compute_years
from healthplan.utilization.synth import Generator, synthesize
from healthplan.utilization.territory import Territory
from tests.utilization.conftest import oracle_dataset

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)

# The example cluster configuration the docs point to (docs/utilization.md §7): the tests run with it, in local mode.
CLUSTER_CONF = Path(__file__).parents[2] / "benchmarks" / "utilization" / "spark-cluster.conf"


@pytest.fixture(scope="module")
def spark() -> Iterator[Connection]:
    connection = connect(Engine.SPARK, master="local[1]", conf=read_spark_conf(CLUSTER_CONF))
    yield connection
    connection.close()


def test_conf_lines_take_either_separator(tmp_path: Path) -> None:
    conf = tmp_path / "spark.conf"
    conf.write_text("# like spark-defaults.conf\nspark.sql.shuffle.partitions 2\n\nspark.driver.memory=1g\n",
                    encoding="utf-8")
    assert read_spark_conf(conf) == {"spark.sql.shuffle.partitions": "2", "spark.driver.memory": "1g"}
    assert read_spark_conf(CLUSTER_CONF)["spark.sql.adaptive.enabled"] == "true"


def _without_engine(data: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k != "engine"}


def test_oracle_metrics_and_flows_are_identical(spark: Connection, tmp_path: Path, tiny_territory: Territory) -> None:
    dataset = oracle_dataset(tmp_path, tiny_territory, weight=1.5)
    duckdb = connect()
    on_spark = compute_years(spark, dataset, tiny_territory, [2019, 2020, 2021])
    assert [r.engine for r in on_spark] == ["spark"] * 3
    assert ([_without_engine(r.to_json()) for r in on_spark]
            == [_without_engine(r.to_json()) for r in compute_years(duckdb, dataset, tiny_territory, [2019, 2020, 2021])])
    assert (_without_engine(flows(spark, dataset, tiny_territory, 2020).to_json())
            == _without_engine(flows(duckdb, dataset, tiny_territory, 2020).to_json()))


def test_generated_region_metrics_are_identical(spark: Connection, tmp_path: Path,
                                                demo_territory: Territory) -> None:
    dataset: EncounterDataset = synthesize(Generator.for_region("晋城", [2020, 2021], 30_000, 3), tmp_path / "e")
    on_spark = compute_years(spark, dataset, demo_territory, [2020, 2021])
    on_duckdb = compute_years(connect(), dataset, demo_territory, [2020, 2021])
    assert [_without_engine(r.to_json()) for r in on_spark] == [_without_engine(r.to_json()) for r in on_duckdb]
    assert any(a.counts for a in on_spark[0].areas)


def test_a_bad_conf_line_is_reported(tmp_path: Path) -> None:
    from healthplan.domain.problems import HealthplanError

    conf = tmp_path / "bad.conf"
    conf.write_text("spark.master\n", encoding="utf-8")
    with pytest.raises(HealthplanError, match=r"bad.conf:1"):
        read_spark_conf(conf)
