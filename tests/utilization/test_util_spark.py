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

CONF = """# like spark-defaults.conf
spark.sql.shuffle.partitions 2
spark.driver.memory=1g
spark.ui.enabled false
"""


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    conf = tmp_path_factory.mktemp("spark") / "spark.conf"
    conf.write_text(CONF, encoding="utf-8")
    connection = connect(Engine.SPARK, master="local[1]", conf=read_spark_conf(conf))
    yield connection
    connection.close()


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
