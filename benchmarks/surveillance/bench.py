"""Surveillance benchmark: farringtonFlexible against R in one run, and the daily run over 120,000 series.

1. The same controls (Farrington 1996 and Noufaily 2013, the oracle's) on the same weekly series — salmNewport
   summed and by state (17) plus simulated negative-binomial series — the last 104 weeks of each, in R
   (``Rscript``, ``surveillance`` package: ``apt-get install r-base-core r-cran-surveillance``) and in
   healthplan (``farrington_many``).  R spends seconds per series, so it runs on ``--r-series`` of them,
   spread evenly over the set, and its time is extrapolated per series; healthplan runs on the same series
   (thresholds compared: 1e-6 relative, alarms and NA identical; the like-for-like ratio) and on all
   ``--series`` (per series, as a daily run batches them).  Times are wall clock and CPU (the machine is
   shared: CPU time is the steadier of the two).
2. The daily run: 3,000 townships x 40 diseases, 5 years of daily counts (sparse: zero days not stored) in a
   SQLite database, ``run_detection`` for one day end to end (read, detect, store signals, rules), with the
   shipped configuration, its re-run, and on a copy of the database the same diseases without the
   ``min_cases`` minimum (plain CIDARS P80: ten times the signals, so the bulk writes are exercised).

    python -m benchmarks.surveillance.bench [--series 60] [--r-series 20] [--areas 3000] [--skip-r] [--skip-daily]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from healthplan.surveillance.detectors import FARRINGTON_NOUFAILY, FARRINGTON_ORIGINAL
from healthplan.surveillance.detectors.batch import farrington_many

HERE = Path(__file__).parent
CATALOG = Path(__file__).parents[2] / "src/healthplan/surveillance/config/catalog.yaml"
R_SALM = ("suppressMessages(library(surveillance)); data(salmNewport); "
          "s <- salmNewport; write.table(t(cbind(observed(aggregate(s, by='unit')), observed(s))), "
          "commandArgs(TRUE)[1], sep=',', row.names=FALSE, col.names=FALSE)")


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def weekly_series(folder: Path, count: int) -> np.ndarray:
    """salmNewport (the sum, then the 16 states) and simulated series up to ``count`` rows."""
    salm = folder / "salm.csv"
    subprocess.run(["Rscript", "-e", R_SALM, str(salm)], check=True)
    y = np.loadtxt(salm, delimiter=",")
    rng = np.random.default_rng(2013)
    means = rng.uniform(0.5, 30, max(0, count - y.shape[0]))
    sim = [rng.negative_binomial(2, 2 / (2 + m), y.shape[1]).astype(float) for m in means]
    return np.vstack([y, *sim])[:count]


def _timed(y: np.ndarray, at: np.ndarray, control: Any, dates: np.ndarray) -> tuple[Any, float, float]:
    """``farrington_many`` on the rows of ``y``, with its wall-clock and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = farrington_many(y, at, control, dates=dates)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def farrington_vs_r(n_series: int, r_series: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="surv_bench_"))
    try:
        y = weekly_series(folder, n_series)
        # R's share: evenly spread over the set (salmNewport's sum first, states and simulated series).
        sample = np.unique(np.linspace(0, y.shape[0] - 1, min(r_series, y.shape[0])).round().astype(int))
        np.savetxt(folder / "series.csv", y[sample], delimiter=",", fmt="%d")
        print(f"farringtonFlexible, weekly series x 104 weeks ({load()}): R surveillance on {sample.size} of the "
              f"{y.shape[0]} series (one in {y.shape[0] / sample.size:.0f}), its time extrapolated per series; "
              f"healthplan on the same {sample.size} and on all {y.shape[0]}")
        out = subprocess.run(["Rscript", str(HERE / "farrington_r.R"), str(folder / "series.csv"),
                              str(folder / "r")], check=True, capture_output=True, text=True).stdout
        r_time = {line.split()[0]: (float(line.split()[1]), float(line.split()[2]))
                  for line in out.splitlines() if line.strip()}
        dates = np.datetime64("2004-01-05") + 7 * np.arange(y.shape[1])
        at = np.arange(y.shape[1] - 104, y.shape[1])
        for name, control in (("original", FARRINGTON_ORIGINAL), ("nbplugin", FARRINGTON_NOUFAILY)):
            ours, wall, cpu = _timed(y[sample], at, control, dates)
            _, all_wall, all_cpu = _timed(y, at, control, dates)
            r_upper = np.loadtxt(folder / f"r_{name}_upper.csv", delimiter=",", ndmin=2)
            r_alarm = np.loadtxt(folder / f"r_{name}_alarm.csv", delimiter=",", ndmin=2)
            same_na = np.array_equal(np.isnan(r_upper), np.isnan(ours.upperbound))
            with np.errstate(invalid="ignore", divide="ignore"):
                rel = np.nanmax(np.abs(ours.upperbound - r_upper) / np.abs(r_upper))
            same_alarms = np.array_equal(np.ma.filled(ours.alarm.astype(float), np.nan), r_alarm, equal_nan=True)
            r_wall, r_cpu = (t / sample.size for t in r_time[name])
            print(f"  {name:9s} s per series: R {r_wall:.3f} wall {r_cpu:.3f} cpu; healthplan same series "
                  f"{wall / sample.size:.4f} wall {cpu / sample.size:.4f} cpu -> ratio {r_wall * sample.size / wall:.1f}x "
                  f"wall {r_cpu * sample.size / cpu:.1f}x cpu; healthplan all {y.shape[0]} {all_wall / y.shape[0]:.4f} "
                  f"wall {all_cpu / y.shape[0]:.4f} cpu -> ratio {r_wall * y.shape[0] / all_wall:.1f}x wall "
                  f"{r_cpu * y.shape[0] / all_cpu:.1f}x cpu | max rel diff {rel:.1e}, NA identical {same_na}, "
                  f"alarms identical {same_alarms}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _load_counts(path: Path, catalog: Any, areas: int, first: dt.date, length: int) -> tuple[int, int]:
    """Townships and 5 years of Poisson counts written straight into the SQLite file (the index on day is
    dropped during the load and rebuilt after: much faster than maintaining it row by row)."""
    from sqlalchemy import create_engine

    from healthplan.store.surveillance import CountRow

    engine = create_engine(f"sqlite:///{path}")
    (day_index,) = (i for i in CountRow.__table__.indexes if i.name == "ix_surv_count_day")  # type: ignore[attr-defined]
    day_index.drop(engine)
    connection = sqlite3.connect(path)
    connection.executemany("INSERT INTO org_unit (id, code, name, level, parent_id) VALUES (?, ?, ?, ?, NULL)",
                           [(i + 1, f"T{i:05d}", f"乡镇{i}", "township") for i in range(areas)])
    rng = np.random.default_rng(7)
    days = [(first + dt.timedelta(days=d)).isoformat() for d in range(length)]
    series_id = rows = 0
    for i, disease in enumerate(catalog.diseases.values()):
        fixed_disease = disease.method == "fixed"
        high = disease.kind != "disease"
        mean = 0.0005 if fixed_disease else (0.2 if high else 0.04)
        counts = rng.poisson(mean, (areas, length))
        ids = np.arange(series_id + 1, series_id + areas + 1)
        connection.executemany("INSERT INTO surv_series (id, org_unit_id, source, disease, first_day) "
                               "VALUES (?, ?, ?, ?, ?)",
                               [(int(s), a + 1, "case_report", disease.code, first.isoformat())
                                for a, s in enumerate(ids)])
        a_idx, d_idx = np.nonzero(counts)
        connection.executemany("INSERT INTO surv_count (series_id, day, count) VALUES (?, ?, ?)",
                               zip(ids[a_idx].tolist(), [days[d] for d in d_idx.tolist()],
                                   counts[a_idx, d_idx].tolist(), strict=True))
        rows += a_idx.size
        series_id += areas
        print(f"\r  loading: {i + 1}/{len(catalog.diseases)} diseases, {rows:,} count rows", end="", flush=True)
    connection.commit()
    connection.close()
    day_index.create(engine)
    engine.dispose()
    return series_id, rows


def _catalog(folder: Path, name: str, diseases: int, minimum: bool) -> Any:
    from healthplan.surveillance.catalog import load_catalog

    shipped = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    base = [d for d in shipped["diseases"] if d["method"] != "fixed"]
    fixed = [d for d in shipped["diseases"] if d["method"] == "fixed"]
    chosen = [dict(d, code=f"d{i:02d}", name=f"{d['name']}{i}") for i, d in enumerate((fixed[:4] + base * 3)[:diseases])]
    if not minimum:
        chosen = [dict(d, params={k: v for k, v in d["params"].items() if k != "min_cases"}) for d in chosen]
    (folder / f"{name}.yaml").write_text(yaml.safe_dump({"sources": shipped["sources"], "diseases": chosen},
                                                        allow_unicode=True), encoding="utf-8")
    (folder / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    return load_catalog(folder / f"{name}.yaml", folder / "rules.yaml")


def daily_run(areas: int, diseases: int, years: int) -> None:
    from healthplan.store.database import Database
    from healthplan.store.setup import initialise
    from healthplan.surveillance.run import run_detection

    folder = Path(tempfile.mkdtemp(prefix="surv_daily_"))
    try:
        db = Database(f"sqlite:///{folder / 'bench.db'}")
        initialise(db)
        db.dispose()
        catalog = _catalog(folder, "shipped", diseases, minimum=True)
        day = dt.date(2024, 12, 31)
        first = dt.date(day.year - years + 1, 1, 1)
        start = time.perf_counter()
        series, rows = _load_counts(folder / "bench.db", catalog, areas, first, (day - first).days + 1)
        print(f"\n  database built in {time.perf_counter() - start:.0f} s: {series:,} series, {rows:,} rows, "
              f"{(folder / 'bench.db').stat().st_size / 2**30:.1f} GB")
        shutil.copy(folder / "bench.db", folder / "plain.db")
        runs = (("shipped configuration", "bench.db", catalog),
                ("CIDARS without min_cases", "plain.db", _catalog(folder, "plain", diseases, minimum=False)))
        for label, file, chosen in runs:
            db = Database(f"sqlite:///{folder / file}")
            print(f"  {label} ({load()})")
            start = time.perf_counter()
            summary = run_detection(db, day, None, "bench", catalog=chosen)
            elapsed = time.perf_counter() - start
            print(f"daily run over {summary.series:,} series ({areas} areas x {diseases} diseases, {years} years), "
                  f"{label}: {elapsed:.1f} s (goal <= 60 s); alarms {summary.alarms}, "
                  f"signals {len(summary.signals_created)}")
            start = time.perf_counter()
            again = run_detection(db, day, None, "bench", catalog=chosen)
            print(f"  re-run of the same day: {time.perf_counter() - start:.1f} s, "
                  f"new signals {len(again.signals_created)} ({load()})")
            db.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--series", type=int, default=60, help="weekly series for healthplan")
    parser.add_argument("--r-series", type=int, default=20, help="of which R runs N, spread evenly")
    parser.add_argument("--areas", type=int, default=3000)
    parser.add_argument("--diseases", type=int, default=40)
    parser.add_argument("--skip-r", action="store_true")
    parser.add_argument("--skip-daily", action="store_true")
    args = parser.parse_args()
    if not args.skip_r:
        farrington_vs_r(args.series, args.r_series)
    if not args.skip_daily:
        daily_run(args.areas, args.diseases, 5)


if __name__ == "__main__":
    main()
