"""One evaluation batch in SQL that DuckDB and PostgreSQL both run: the per-run tables and the final query.

DuckDB runs it in production; the roll-up benchmark runs the very same statements in PostgreSQL as its peer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from healthplan.domain.periods import Period
from healthplan.engine.compiler import CompiledExpr, TermRef, sql_string
from healthplan.engine.rollup import TermBuilder

Execute = Callable[[str], Any]


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return sql_string(value)
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    return repr(value)


def create_table(execute: Execute, name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[object]]
                 ) -> None:
    """A temp table from literal rows (portable VALUES; typed even when empty)."""
    execute(f"DROP TABLE IF EXISTS {name}")
    execute(f"CREATE TEMP TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns)})")
    rows = list(rows)
    for start in range(0, len(rows), 1000):
        chunk = rows[start:start + 1000]
        values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in chunk)
        execute(f"INSERT INTO {name} VALUES {values}")


def create_run_tables(execute: Execute, periods: Sequence[Period], fac_ids: Sequence[int],
                      shifts: Sequence[tuple[str, dict[str, str]]]) -> None:
    """``req`` (periods), ``want_fac``, ``area_grid`` and ``shifts``; ``fac_at`` comes from :func:`facilities_as_of`.

    ``shifts``: for each main period, the period each shift column points at (``{"p0": "2024", "pm1": "2023"}``).
    """
    create_table(execute, "req", [("code", "VARCHAR"), ("start", "DATE"), ('"end"', "DATE")],
                 [(p.code, p.start, p.end) for p in periods])
    create_table(execute, "want_fac", [("id", "BIGINT")], [(i,) for i in fac_ids])
    columns = sorted({c for _, cols in shifts for c in cols})
    create_table(execute, "shifts", [("period", "VARCHAR"), *((c, "VARCHAR") for c in columns)],
                 [(main, *(cols[c] for c in columns)) for main, cols in shifts])
    execute("DROP TABLE IF EXISTS area_grid")
    execute("CREATE TEMP TABLE area_grid AS SELECT a.id AS ou_id, q.code AS period FROM areas a CROSS JOIN req q")


def facilities_as_of(periods_table: str) -> str:
    """SELECT of ``fac_at`` rows: each facility's latest version overlapping each period of ``periods_table``.

    Stocks count a facility only if it is still active at the period's end (``active_end``); flows count it if
    it was active at any time in the period.
    """
    return f"""
        SELECT * FROM (
            SELECT q.code AS period, v.*,
                   (v.valid_from <= q."end" AND (v.valid_to IS NULL OR v.valid_to > q."end")) AS active_end,
                   row_number() OVER (PARTITION BY q.code, v.fid ORDER BY v.valid_from DESC) AS version_rank
            FROM fversions v JOIN {periods_table} q
              ON v.valid_from <= q."end" AND (v.valid_to IS NULL OR v.valid_to > q.start)
        ) ranked WHERE version_rank = 1"""


def create_facilities_as_of(execute: Execute) -> None:
    execute("DROP TABLE IF EXISTS fac_at")
    execute(f"CREATE TEMP TABLE fac_at AS {facilities_as_of('req')}")


def create_exact_values(execute: Execute, data_elements: Iterable[str]) -> None:
    """``rv`` when every recorded period asked for is recorded exactly (no sub-periods to combine)."""
    des = ", ".join(sql_string(d) for d in sorted(data_elements)) or "NULL"
    execute("DROP TABLE IF EXISTS rv")
    execute(f"""CREATE TEMP TABLE rv AS SELECT de, ou_id, period, value FROM dv
                WHERE de IN ({des}) AND period IN (SELECT code FROM req)""")


def indicator_select(key: str, numerator: CompiledExpr, denominator: CompiledExpr | None, factor: float,
                     refs: dict[TermRef, str], builder: TermBuilder, shift_columns: dict[int | None, str],
                     periods: Sequence[str]) -> str:
    """``SELECT key, ou_id, period, numerator, denominator, value`` for every area and wanted facility."""
    joins = "".join(
        f" LEFT JOIN {builder.table(ref.term)} {alias} ON {alias}.ou_id = g.ou_id "
        f"AND {alias}.period = s.{shift_columns[ref.shift]}"
        for ref, alias in refs.items())
    num = numerator.sql
    den = denominator.sql if denominator else "NULL"
    scale = repr(float(factor))
    value = (f"({num}) * {scale}" if denominator is None
             else f"CAST({num} AS DOUBLE PRECISION) / NULLIF({den}, 0) * {scale}")
    period_list = ", ".join(sql_string(p) for p in periods)
    return f"""
        SELECT {sql_string(key)} AS key, g.ou_id, g.period, {num} AS numerator, {den} AS denominator,
               {value} AS value
        FROM (SELECT ou_id, period FROM area_grid UNION ALL
              SELECT w.id, q.code FROM want_fac w CROSS JOIN req q) g
        JOIN shifts s ON s.period = g.period{joins}
        WHERE g.period IN ({period_list})"""


def shift_column(shift: int | None) -> str:
    """The ``shifts`` column for a shift: ``p0``, ``pm1`` (one period earlier), ``pb`` (base period)."""
    if shift is None:
        return "pb"
    return f"p{'m' if shift < 0 else ''}{abs(shift)}"
