"""Roll-up benchmark: every catalog indicator for every org unit and year of a synthetic 山西省.

Measures, in one run:
1. healthplan's engine (DuckDB): a full recompute of the 43 catalog indicators × every area × 10 years;
2. the peer — the very same roll-up statements (engine/batch.py, engine/rollup.py) run by PostgreSQL on the same
   tables, started on 127.0.0.1 for the run — and the ratio;
3. the incremental path through a real store (SQLite): one facility's value edited with the store's write, then
   the engine refreshes from the audit log and recomputes only what read that value.

Goals (issue 2): full recompute ≤ 10 s on 2 cores, ≥ 5× faster than PostgreSQL, incremental ≤ 200 ms.
Run: ``python -m benchmarks.rollup`` (``--skip-postgres`` / ``--skip-store`` to leave a part out).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from benchmarks.province import YEARS, Province, build
from healthplan.engine.analytics import Analytics
from healthplan.engine.batch import (
    create_exact_values,
    create_facilities_as_of,
    create_run_tables,
    indicator_select,
    shift_column,
)
from healthplan.engine.catalog import Catalog
from healthplan.engine.rollup import TermBuilder
from healthplan.store import values as store_values
from healthplan.store.database import Database
from healthplan.store.schema import DataValueRow, FacilityVersionRow, OrgUnitRow
from healthplan.store.setup import initialise

PERIODS = [str(y) for y in YEARS]
PG_SETTINGS = ("shared_buffers=2GB", "work_mem=256MB", "max_parallel_workers_per_gather=2",
               "effective_cache_size=8GB")


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def duckdb_full(province: Province, repeat: int) -> tuple[list[float], Analytics, Catalog]:
    times = []
    engine = Analytics(None)
    engine.load_snapshot(province.snapshot, province.elements)
    catalog = Catalog(data_elements=engine.elements)
    for _ in range(repeat):
        engine._reset_cache()  # a full recompute each time
        seconds, _ = _timed(lambda: engine.compute(catalog.builtin(), PERIODS))
        times.append(seconds)
    return times, engine, catalog


def _pg_load(conn: Any, engine: Analytics) -> None:
    """Copy the engine's base tables (areas, closure, versions, values, element kinds) into PostgreSQL."""
    schema = {
        "areas": "id BIGINT, level TEXT, depth BIGINT, urban_rural TEXT",
        "closure": "anc BIGINT, des BIGINT, anc_depth BIGINT",
        "fversions": "fid BIGINT, valid_from DATE, valid_to DATE, parent_id BIGINT, category TEXT, specialty TEXT, "
                     "level BIGINT, grade TEXT, ownership TEXT, host TEXT, urban_rural TEXT, central BOOLEAN, "
                     "groups TEXT[]",
        "dv": "de TEXT, ou_id BIGINT, period TEXT, value DOUBLE PRECISION",
        "de_meta": "code TEXT, kind TEXT, aggregation TEXT",
    }
    for table, columns in schema.items():
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"CREATE TABLE {table} ({columns})")
        rows = engine.con.execute(f"SELECT * FROM {table}").fetchall()
        with conn.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    conn.execute("CREATE INDEX ON closure (des)")
    conn.execute("CREATE INDEX ON closure (anc)")
    conn.execute("CREATE INDEX ON dv (de, period)")
    conn.execute("CREATE INDEX ON fversions (fid)")
    conn.execute("ANALYZE")


def postgres_full(engine: Analytics, catalog: Catalog, repeat: int) -> tuple[list[float], dict[str, float]]:
    """The same statements in PostgreSQL; returns times and a checksum per indicator to compare with DuckDB."""
    import psycopg

    from tests.pg_server import start_server

    server = start_server(PG_SETTINGS)
    try:
        conn = psycopg.connect(f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres", autocommit=True)
        _pg_load(conn, engine)
        compiled = [engine.compile(i) for i in catalog.builtin()]
        periods = [engine.periods[p] for p in PERIODS]
        times = []
        sums: dict[str, float] = {}
        for _ in range(repeat):
            def run() -> None:
                create_run_tables(conn.execute, periods, [], [(p, {shift_column(0): p}) for p in PERIODS])
                create_facilities_as_of(conn.execute)
                create_exact_values(conn.execute, set().union(*(c.data_elements for c in compiled)))
                conn.execute("DROP TABLE IF EXISTS cache")
                conn.execute("CREATE TEMP TABLE cache (key TEXT, ou_id BIGINT, period TEXT, numerator DOUBLE PRECISION,"
                             " denominator DOUBLE PRECISION, value DOUBLE PRECISION)")
                builder = TermBuilder(conn, engine.compiler, engine.elements)
                for c in compiled:
                    select = indicator_select(c.key, c.numerator, c.denominator, c.indicator.factor, c.refs,
                                              builder, {0: shift_column(0)}, PERIODS)
                    conn.execute(f"INSERT INTO cache {select}")
                builder.drop()

            seconds, _ = _timed(run)
            times.append(seconds)
        for key, total in conn.execute("SELECT key, sum(value) FROM cache GROUP BY key").fetchall():
            sums[key] = float(total or 0)
        conn.close()
        return times, sums
    finally:
        server.stop()


def _store_from(province: Province, db: Database) -> None:
    """Write the province into a store with bulk Core inserts (setup, not timed)."""
    initialise(db)
    snap = province.snapshot
    ou = snap.org_units.to_pylist()
    with db.transaction() as session:
        session.execute(insert(OrgUnitRow), [{"id": r["id"], "code": r["code"], "name": r["name"],
                                              "level": r["level"], "parent_id": r["parent_id"]} for r in ou])
        session.execute(insert(FacilityVersionRow), [
            {"facility_id": r["fid"], "valid_from": r["valid_from"], "valid_to": r["valid_to"],
             "name": "", "parent_id": r["parent_id"], "category": r["category"], "level": r["level"],
             "ownership": r["ownership"], "host": r["host"], "central": False, "groups": ""}
            for r in snap.versions.to_pylist()])
    values = snap.values.to_pylist()
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    import datetime as dt

    now = dt.datetime.fromisoformat(stamp)
    for start in range(0, len(values), 200_000):
        with db.transaction() as session:
            session.execute(insert(DataValueRow), [
                {"data_element": r["de"], "org_unit_id": r["ou_id"], "period": r["period"], "disaggregation": "",
                 "value": r["value"], "comment": "", "state": "approved", "updated_by": "bench", "updated_at": now}
                for r in values[start:start + 200_000]])


def incremental(province: Province, edits: int) -> tuple[float, list[float], list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'province.db'}")
        _store_from(province, db)
        engine = Analytics(db)
        load_seconds, _ = _timed(engine.load)
        catalog = Catalog(data_elements=engine.elements)
        engine.compute(catalog.builtin(), PERIODS)
        hospital = next(r["fid"] for r in province.snapshot.versions.to_pylist() if r["category"] == "general_hospital")
        code = engine.id_to_code[hospital]
        write_times, refresh_times = [], []
        for i in range(edits):
            def write(i: int = i) -> None:
                with db.transaction() as session:
                    store_values.write_values(session, [store_values.ValueWrite("beds.actual", code, "2024",
                                                                                1000 + i)], "bench")

            w, _ = _timed(write)
            r, _ = _timed(lambda: engine.compute(catalog.builtin(), PERIODS))
            write_times.append(w)
            refresh_times.append(r)
        value = engine.evaluate([catalog.get("beds.actual")], ["2024"], [code])[0].value
        assert value == 1000 + edits - 1, value
        db.dispose()
        return load_seconds, write_times, refresh_times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-store", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    build_seconds, province = _timed(build)
    areas = sum(1 for level in province.snapshot.org_units.column("level").to_pylist() if level != "facility")
    print(f"province: {len(province.counties)} county-level units, {areas} areas, {province.facilities:,} facilities, "
          f"{province.values:,} values, {len(PERIODS)} years ({build_seconds:.1f} s to build)")
    duck_times, engine, catalog = duckdb_full(province, args.repeat)
    indicators = len(catalog.builtin())
    duck = statistics.median(duck_times)
    print(f"healthplan (DuckDB): full recompute of {indicators} indicators × {areas} areas × {len(PERIODS)} years: "
          f"median {duck:.2f} s of {[round(t, 2) for t in duck_times]}")
    result: dict[str, Any] = {"areas": areas, "facilities": province.facilities, "values": province.values,
                              "indicators": indicators, "duckdb_full_seconds": duck_times}
    if not args.skip_postgres:
        pg_times, pg_sums = postgres_full(engine, catalog, max(1, args.repeat - 1))
        pg = statistics.median(pg_times)
        duck_sums = {k: float(v or 0) for k, v in engine.con.execute(
            "SELECT key, sum(value) FROM cache GROUP BY key").fetchall()}
        mismatched = [k for k in duck_sums if abs(duck_sums[k] - pg_sums.get(k, float("nan"))) > 1e-6 * max(1.0, abs(duck_sums[k]))]
        print(f"PostgreSQL (same statements): median {pg:.2f} s of {[round(t, 2) for t in pg_times]}")
        print(f"ratio PostgreSQL / healthplan: {pg / duck:.1f}×   (results agree: {not mismatched})")
        result.update(postgres_full_seconds=pg_times, ratio=pg / duck, results_agree=not mismatched)
    if not args.skip_store:
        load, writes, refreshes = incremental(province, args.edits)
        print(f"incremental (SQLite store): engine load {load:.1f} s; after editing one facility's value: "
              f"store write median {statistics.median(writes) * 1000:.0f} ms, refresh + recompute median "
              f"{statistics.median(refreshes) * 1000:.0f} ms of {[round(r * 1000) for r in refreshes]} ms")
        result.update(store_load_seconds=load, write_ms=[w * 1000 for w in writes],
                      incremental_ms=[r * 1000 for r in refreshes])
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
