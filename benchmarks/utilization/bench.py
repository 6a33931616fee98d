"""Tiered-care metrics at province scale: DuckDB on 10⁸ encounters, against pandas and Spark in the same run.

1. ``healthplan synth encounters`` writes the 晋城 demo region's encounters, 2019–2024, to Parquet on disk:
   ``--rows`` (default 10⁸, the province scale) and a ``--sample`` (default 10⁷); generation speed is reported.
2. Every count and metric for every county, the city and every year — ``compute_years``, the command's code —
   runs on DuckDB over the full dataset and over the sample, each in its own process (time, rows/s, peak RSS).
3. The peer: a straightforward pandas implementation of the same counts on the sample (the ratio, goal ≥ 10×),
   and Spark local mode on the sample (reported; no goal on 2 cores). Every engine's counts are compared.

Goals (issue 5): DuckDB ≤ 30 s for 10⁸ rows with bounded memory; ≥ 10× pandas' throughput.
Run: ``python -m benchmarks.utilization.bench`` (``--rows``, ``--sample``, ``--data``, ``--skip-spark``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.utilization.measure import rows_of
from healthplan.utilization.dataset import METADATA_FILE
from healthplan.utilization.synth import Generator, synthesize

YEARS = list(range(2019, 2025))


def dataset(path: Path, rows: int, seed: int) -> tuple[Path, float | None]:
    """The dataset at ``path`` (kept between runs); generated when missing. Returns generation rows/s."""
    if (path / METADATA_FILE).is_file() and rows_of(path) == rows:
        return path, None
    start = time.perf_counter()
    synthesize(Generator.for_region("jincheng", YEARS, rows, seed), path)
    return path, rows / (time.perf_counter() - start)


def measure(engine: str, path: Path, memory: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.utilization.measure", engine, str(path), "--memory", memory]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two engines counted the same (missing = 0; floats to 1e-9 relative)."""
    for key in set(a["counts"]) | set(b["counts"]):
        left, right = a["counts"].get(key, {}), b["counts"].get(key, {})
        for name in set(left) | set(right):
            x, y = left.get(name, 0.0), right.get(name, 0.0)
            if abs(x - y) > 1e-9 * max(abs(x), abs(y), 1.0):
                print(f"  differ: {key} {name}: {x} vs {y}")
                return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--sample", type=int, default=10_000_000)
    parser.add_argument("--data", type=Path, default=Path("/tmp/healthplan-bench-encounters"))
    parser.add_argument("--memory", default="6GB", help="DuckDB memory_limit and Spark driver memory")
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--skip-pandas", action="store_true")
    args = parser.parse_args()

    full, full_speed = dataset(args.data / f"rows-{args.rows}", args.rows, 1)
    sample, sample_speed = dataset(args.data / f"rows-{args.sample}", args.sample, 2)
    for rows, speed in ((args.rows, full_speed), (args.sample, sample_speed)):
        if speed is not None:
            print(f"generated {rows:,} encounters at {speed:,.0f} rows/s")
    runs = [("duckdb", full), ("duckdb", sample)]
    runs += [] if args.skip_pandas else [("pandas", sample)]
    runs += [] if args.skip_spark else [("spark", sample)]
    results = []
    for engine, path in runs:
        result = measure(engine, path, args.memory)
        results.append(result)
        print(f"{engine:7s} {result['rows']:>12,} rows {result['seconds']:8.2f} s "
              f"{result['rows'] / result['seconds']:>14,.0f} rows/s  peak RSS {result['peak_rss_mb']:,.0f} MB",
              flush=True)
    duck_full, duck_sample = results[0], results[1]
    for other in results[2:]:
        speed = other["rows"] / other["seconds"]
        same = agree(duck_sample, other)
        print(f"throughput DuckDB ÷ {other['engine']}: {duck_sample['rows'] / duck_sample['seconds'] / speed:.1f}× on "
              f"the same {other['rows']:,} rows, {duck_full['rows'] / duck_full['seconds'] / speed:.1f}× with DuckDB on "
              f"{duck_full['rows']:,} (counts {'identical' if same else 'DIFFER'})")
    print(f"load average during the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    goal = results[0]["seconds"] <= 30
    print(f"DuckDB, {results[0]['rows']:,} rows: {results[0]['seconds']:.1f} s — goal ≤ 30 s {'met' if goal else 'missed'}")


if __name__ == "__main__":
    main()
