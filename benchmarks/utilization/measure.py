"""One engine, one dataset, all years, in its own process: ``python -m benchmarks.utilization.measure``.

Run in a child process so that its peak memory is its own (``VmHWM`` of /proc/self/status: the high-water mark
of this process's resident set since its ``exec``; Spark's JVM is a separate process, bounded by
``spark.driver.memory``, and not included). Prints one JSON line:
``{"engine", "rows", "seconds", "peak_rss_mb", "counts"}`` where ``counts`` maps ``year/area`` to the records'
counts (money in cents), the numbers the engines must agree on.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from healthplan.utilization.calibration import region_folder
from healthplan.utilization.dataset import EncounterDataset
from healthplan.utilization.engines import Engine, connect
from healthplan.utilization.metrics import COUNTS, compute_years
from healthplan.utilization.territory import Territory


def rows_of(root: Path) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in root.rglob("*.parquet"))


def _records(value: float, key: str, weight: float) -> float:
    count = next(c for c in COUNTS if c.key == key)
    scaled = value * 100 if count.money else value
    return scaled / weight if count.sampled else scaled


def run(engine: str, root: Path, threads: int, memory: str, master: str) -> dict[str, Any]:
    territory = Territory.from_files(region_folder("jincheng"))
    dataset = EncounterDataset.open(root)
    start = time.perf_counter()
    if engine == "pandas":
        from benchmarks.utilization.pandas_metrics import pandas_counts

        counts = {f"{y}/{a}": c for (y, a), c in pandas_counts(root, territory, list(dataset.years)).items()}
    else:
        connection = (connect(Engine.DUCKDB, threads=threads, memory_limit=memory) if engine == "duckdb" else
                      connect(Engine.SPARK, master=master, conf={"spark.driver.memory": memory,
                                                                  "spark.sql.shuffle.partitions": str(threads * 2)}))
        results = compute_years(connection, dataset, territory, list(dataset.years))
        connection.close()
        counts = {f"{r.year}/{a.org_unit}": {k: _records(v, k, dataset.weight) for k, v in a.counts.items()}
                  for r in results for a in r.areas if a.counts}
    seconds = time.perf_counter() - start
    peak = _peak_rss_mb()
    return {"engine": engine, "rows": rows_of(root), "seconds": seconds, "peak_rss_mb": peak, "counts": counts}


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("engine", choices=["duckdb", "spark", "pandas"])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory", default="6GB", help="DuckDB memory_limit / Spark driver memory")
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    memory = args.memory if args.engine != "spark" else args.memory.lower().removesuffix("b")
    print(json.dumps(run(args.engine, args.dataset, args.threads, memory, args.master)))


if __name__ == "__main__":
    main()
