"""Indicator evaluation in DuckDB over a copy of the store, with a result cache kept current by the audit log.

The engine loads the registry and the data values once (Arrow → DuckDB), computes whole periods for every area
at a time, and caches the results per (indicator, org unit, period). :meth:`Analytics.refresh` replays the
audit log since the last load: a changed value updates the copy and drops only the cached periods of the
indicators that read it; a registry change reloads the registry and drops the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from healthplan.domain.data import DataElement
from healthplan.domain.indicators import Indicator
from healthplan.domain.periods import Period, PeriodError
from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.domain.registry import Level
from healthplan.engine.batch import (
    create_exact_values,
    create_run_tables,
    create_table,
    facilities_as_of,
    indicator_select,
    shift_column,
)
from healthplan.engine.compiler import CompiledExpr, Compiler, TermRef, sql_string
from healthplan.engine.rollup import TermBuilder, term_data_elements
from healthplan.store import audit
from healthplan.store.database import Database
from healthplan.store.snapshot import Snapshot, read_snapshot, read_value_totals, registry_tables
from healthplan.store.values import data_elements

#: Beyond this many audit entries since the last load, reloading everything is cheaper than replaying.
REPLAY_LIMIT = 20_000


@dataclass(frozen=True)
class IndicatorValue:
    indicator: str
    org_unit: str
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None

    def to_json(self) -> dict[str, object]:
        return {"indicator": self.indicator, "org_unit": self.org_unit, "period": self.period,
                "value": self.value, "numerator": self.numerator, "denominator": self.denominator}


@dataclass(frozen=True)
class _Compiled:
    key: str
    indicator: Indicator
    numerator: CompiledExpr
    denominator: CompiledExpr | None
    data_elements: frozenset[str]

    @property
    def refs(self) -> dict[TermRef, str]:
        return self.numerator.refs

    @property
    def uses_shift(self) -> bool:
        return self.numerator.uses_shift


class Analytics:
    """The analytics engine over one database."""

    def __init__(self, database: Database | None) -> None:
        """``database`` None: an engine over tables given to :meth:`load_snapshot` only (tests, benchmarks)."""
        self.database = database
        self.con: Any = duckdb.connect()
        self.elements: dict[str, DataElement] = {}
        self.compiler = Compiler(self.elements)
        self.audit_id = -1
        self.code_to_id: dict[str, int] = {}
        self.id_to_code: dict[int, str] = {}
        self.facility_ids: set[int] = set()
        self.periods: dict[str, Period] = {}
        self._computed: set[tuple[str, str, int | None]] = set()
        self._fac_at_periods: set[str] = set()
        self._compiled: dict[str, _Compiled] = {}

    def close(self) -> None:
        self.con.close()

    # ---- loading -----------------------------------------------------------------------------------------

    def load(self) -> None:
        """Copy the registry and all values from the store into DuckDB."""
        assert self.database is not None, "an engine without a database is loaded with load_snapshot()"
        with self.database.sessions() as session:
            snap = read_snapshot(session)
            elements = data_elements(session)
        self.load_snapshot(snap, elements)

    def load_snapshot(self, snap: Snapshot, elements: Mapping[str, DataElement]) -> None:
        """Load given tables (the store's, or built in memory by tests and benchmarks)."""
        self.elements.clear()
        self.elements.update(elements)
        self._load_registry(snap.org_units, snap.versions)
        self.con.register("snap_values", snap.values)
        self.con.execute("CREATE OR REPLACE TABLE dv AS SELECT de, ou_id, period, value FROM snap_values "
                         "ORDER BY period, de")  # zone maps then skip the row groups of other periods
        self.con.unregister("snap_values")
        self.con.register("snap_elements", snap.data_elements)
        self.con.execute("CREATE OR REPLACE TABLE de_meta AS SELECT * FROM snap_elements")
        self.con.unregister("snap_elements")
        self.periods.clear()
        codes = [row[0] for row in self.con.execute("SELECT DISTINCT period FROM dv").fetchall()]
        self._add_periods(codes)
        self._reset_cache()
        self.audit_id = snap.audit_id

    def _load_registry(self, org_units: Any, versions: Any) -> None:
        rows = org_units.to_pylist()
        self.code_to_id = {r["code"]: r["id"] for r in rows}
        self.id_to_code = {r["id"]: r["code"] for r in rows}
        self.facility_ids = {r["id"] for r in rows if r["level"] == Level.FACILITY.value}
        areas = {r["id"]: r for r in rows if r["level"] != Level.FACILITY.value}
        depth: dict[int, int] = {}

        def depth_of(node: int) -> int:
            chain = []
            while node not in depth:
                chain.append(node)
                parent = areas[node]["parent_id"]
                if parent is None or parent not in areas:
                    depth[node] = 0
                    chain.pop()
                    break
                node = parent
            for n in reversed(chain):
                depth[n] = depth[areas[n]["parent_id"]] + 1
            return depth[chain[0]] if chain else depth[node]

        anc, des, anc_depth = [], [], []
        for node in areas:
            depth_of(node)
        for node in areas:
            cur: int | None = node
            while cur is not None and cur in areas:
                anc.append(cur)
                des.append(node)
                anc_depth.append(depth[cur])
                cur = areas[cur]["parent_id"]
        area_table = pa.table({
            "id": pa.array(list(areas), pa.int64()),
            "level": pa.array([a["level"] for a in areas.values()], pa.string()),
            "depth": pa.array([depth[i] for i in areas], pa.int64()),
            "urban_rural": pa.array([a["urban_rural"] for a in areas.values()], pa.string()),
        })
        closure = pa.table({"anc": pa.array(anc, pa.int64()), "des": pa.array(des, pa.int64()),
                            "anc_depth": pa.array(anc_depth, pa.int64())})
        for name, table in (("snap_areas", area_table), ("snap_closure", closure), ("snap_versions", versions)):
            self.con.register(name, table)
        self.con.execute("CREATE OR REPLACE TABLE areas AS SELECT * FROM snap_areas")
        self.con.execute("CREATE OR REPLACE TABLE closure AS SELECT * FROM snap_closure")
        self.con.execute("""CREATE OR REPLACE TABLE fversions AS
            SELECT fid, valid_from, valid_to, parent_id, category, specialty, level, grade, ownership, host,
                   urban_rural, central, CASE WHEN groups = '' THEN []::VARCHAR[] ELSE string_split(groups, ';')
                   END AS groups
            FROM snap_versions""")
        for name in ("snap_areas", "snap_closure", "snap_versions"):
            self.con.unregister(name)
        create_table(self.con.execute, "req_none", [("code", "VARCHAR"), ("start", "DATE"), ('"end"', "DATE")], [])
        self.con.execute(f"CREATE OR REPLACE TABLE fac_at_all AS {facilities_as_of('req_none')}")
        self._fac_at_periods.clear()

    def _add_periods(self, codes: Iterable[str]) -> None:
        for code in codes:
            if code not in self.periods:
                self.periods[code] = Period.parse(code)

    def _reset_cache(self) -> None:
        self.con.execute("""CREATE OR REPLACE TABLE cache (key VARCHAR, ou_id BIGINT, period VARCHAR,
                            numerator DOUBLE, denominator DOUBLE, value DOUBLE)""")
        self._computed.clear()

    # ---- keeping current ---------------------------------------------------------------------------------

    def refresh(self) -> int:
        """Apply the writes made since the last load or refresh; returns how many audit entries were read."""
        if self.database is None:
            return 0
        if self.audit_id < 0:
            self.load()
            return 0
        with self.database.sessions() as session:
            latest = audit.latest_id(session)
            if latest == self.audit_id:
                return 0
            if latest - self.audit_id > REPLAY_LIMIT:
                self.load()
                return latest - self.audit_id
            entries = audit.entries_since(session, self.audit_id)
            structural = {"org_unit", "facility", "data_element"}
            if any(e.entity in structural for e in entries):
                org_units, versions = registry_tables(session)
                self.elements.clear()
                self.elements.update(data_elements(session))
                self._load_registry(org_units, versions)
                self._reset_cache()
            keys = {(e.data_element, self.code_to_id[e.org_unit], e.period) for e in entries
                    if e.entity == "data_value" and e.data_element and e.org_unit in self.code_to_id and e.period}
            totals = read_value_totals(session, keys) if keys else None
        if keys:
            self.apply_values(keys, totals)
        self.audit_id = entries[-1].id if entries else latest
        return len(entries)

    def apply_values(self, keys: set[tuple[str, int, str]], totals: Any) -> None:
        """Replace the values of (element, org unit id, period) ``keys`` by ``totals`` (Arrow: de, ou_id, period,
        value; a key absent from it was deleted) and drop the cached results that read them."""
        key_table = pa.table({"de": [k[0] for k in keys], "ou_id": pa.array([k[1] for k in keys], pa.int64()),
                              "period": [k[2] for k in keys]})
        self.con.register("changed_keys", key_table)
        self.con.register("changed_values", totals)
        self.con.execute("DELETE FROM dv USING changed_keys k WHERE dv.de = k.de AND dv.ou_id = k.ou_id "
                         "AND dv.period = k.period")
        self.con.execute("INSERT INTO dv SELECT de, ou_id, period, value FROM changed_values")
        self.con.unregister("changed_keys")
        self.con.unregister("changed_values")
        self._add_periods(k[2] for k in keys)
        self._invalidate({(k[0], k[2]) for k in keys})

    def _invalidate(self, changed: set[tuple[str, str]]) -> None:
        """Drop cached periods of indicators that read a changed (data element, period)."""
        stale: set[tuple[str, str]] = set()
        cached_periods: dict[str, set[str]] = {}
        for key, period, _ in self._computed:
            cached_periods.setdefault(key, set()).add(period)
        for key, periods in cached_periods.items():
            compiled = self._compiled.get(key)
            if compiled is None:
                continue
            for de, period in changed:
                if de not in compiled.data_elements:
                    continue
                changed_period = self.periods[period]
                for cached in periods:
                    cached_p = self.periods.get(cached) or Period.parse(cached)
                    overlaps = cached_p.start <= changed_period.end and changed_period.start <= cached_p.end
                    if compiled.uses_shift or overlaps:
                        stale.add((key, cached))
        if not stale:
            return
        self._computed = {c for c in self._computed if (c[0], c[1]) not in stale}
        table = pa.table({"key": [s[0] for s in stale], "period": [s[1] for s in stale]})
        self.con.register("stale", table)
        self.con.execute("DELETE FROM cache USING stale s WHERE cache.key = s.key AND cache.period = s.period")
        self.con.unregister("stale")

    # ---- evaluation --------------------------------------------------------------------------------------

    def compile(self, indicator: Indicator, base_period: str | None = None) -> _Compiled:
        definition = f"{indicator.numerator}|{indicator.denominator}|{indicator.factor}|{base_period}"
        key = f"{indicator.code}#{hashlib.sha1(definition.encode()).hexdigest()[:10]}"
        compiled = self._compiled.get(key)
        if compiled is not None:
            return compiled
        refs: dict[TermRef, str] = {}
        allow_baseline = base_period is not None
        numerator = self.compiler.compile(indicator.numerator, refs=refs, allow_baseline=allow_baseline)
        denominator = (self.compiler.compile(indicator.denominator, refs=refs, allow_baseline=allow_baseline)
                       if indicator.denominator else None)
        des = frozenset().union(*(term_data_elements(r.term, self.compiler) for r in refs)) if refs else frozenset()
        compiled = _Compiled(key, indicator, numerator, denominator, des)
        self._compiled[key] = compiled
        return compiled

    def evaluate(self, indicators: Sequence[Indicator], periods: Sequence[str],
                 org_units: Sequence[str] | None = None, *, base_period: str | None = None,
                 progress: Any = None) -> list[IndicatorValue]:
        """Values of ``indicators`` for ``org_units`` (default: every area) and ``periods`` (codes)."""
        compiled, ou_ids = self.compute(indicators, periods, org_units, base_period=base_period, progress=progress)
        return self._read(compiled, periods, ou_ids)

    def compute(self, indicators: Sequence[Indicator], periods: Sequence[str],
                org_units: Sequence[str] | None = None, *, base_period: str | None = None,
                progress: Any = None) -> tuple[list[_Compiled], list[int]]:
        """Bring the cache up to date for these indicators, periods and org units (nothing read back)."""
        self.refresh()
        for code in periods:
            try:
                self._add_periods([code])
            except PeriodError as exc:
                raise HealthplanError(*str(exc).split(" / ", 1)) from None
        if base_period is not None:
            self._add_periods([base_period])
        if org_units is None:
            ou_ids = [i for i in self.id_to_code if i not in self.facility_ids]
        else:
            missing = [c for c in org_units if c not in self.code_to_id]
            if missing:
                raise NotFound(f"找不到组织机构：{', '.join(missing)}", f"unknown org unit(s): {', '.join(missing)}")
            ou_ids = [self.code_to_id[c] for c in org_units]
        fac_ids = sorted(i for i in ou_ids if i in self.facility_ids)
        compiled = [self.compile(ind, base_period) for ind in indicators]
        todo: dict[str, set[str]] = {}
        for c in compiled:
            for period in periods:
                if (c.key, period, None) not in self._computed or any(
                        (c.key, period, f) not in self._computed for f in fac_ids):
                    todo.setdefault(c.key, set()).add(period)
        if todo:
            self._compute({c.key: c for c in compiled if c.key in todo}, todo, fac_ids, base_period, progress)
        return compiled, ou_ids

    def _compute(self, compiled: dict[str, _Compiled], todo: dict[str, set[str]], fac_ids: list[int],
                 base_period: str | None, progress: Any) -> None:
        main = sorted(set().union(*todo.values()))
        shifts = sorted({r.shift for c in compiled.values() for r in c.refs}, key=lambda s: (s is None, s or 0))
        shift_columns = {s: shift_column(s) for s in shifts}
        targets = {code: {shift_columns[s]: self._shifted(code, s, base_period) for s in shifts} for code in main}
        needed = set(main) | {p for columns in targets.values() for p in columns.values()}
        self._add_periods(needed)
        req = [self.periods[p] for p in sorted(needed)]
        create_run_tables(self.con.execute, req, fac_ids, sorted(targets.items()))
        self._facilities_as_of(req)
        self._resolve_values(req, set().union(*(c.data_elements for c in compiled.values())))
        builder = TermBuilder(self.con, self.compiler, self.elements)
        try:
            for c in compiled.values():
                periods = sorted(todo[c.key])
                stale = [p for p in periods if (c.key, p, None) in self._computed]  # more facilities wanted
                if stale:
                    stale_list = ", ".join(sql_string(p) for p in stale)
                    self.con.execute(f"DELETE FROM cache WHERE key = {sql_string(c.key)} AND period IN ({stale_list})")
                select = indicator_select(c.key, c.numerator, c.denominator, c.indicator.factor, c.refs, builder,
                                          shift_columns, periods)
                self.con.execute(f"INSERT INTO cache {select}")
                for period in periods:
                    self._computed.add((c.key, period, None))
                    self._computed.update((c.key, period, f) for f in fac_ids)
                if progress is not None:
                    progress()
        finally:
            builder.drop()

    def _facilities_as_of(self, req: list[Period]) -> None:
        """``fac_at`` for the requested periods, from a table kept per period until the registry changes."""
        missing = [p for p in req if p.code not in self._fac_at_periods]
        if missing:
            create_table(self.con.execute, "req_new", [("code", "VARCHAR"), ("start", "DATE"), ('"end"', "DATE")],
                         [(p.code, p.start, p.end) for p in missing])
            self.con.execute(f"INSERT INTO fac_at_all {facilities_as_of('req_new')}")
            self._fac_at_periods.update(p.code for p in missing)
        codes = ", ".join(sql_string(p.code) for p in req)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE fac_at AS SELECT * FROM fac_at_all WHERE period IN ({codes})")

    def _shifted(self, code: str, shift: int | None, base_period: str | None) -> str:
        if shift is None:
            if base_period is None:
                raise HealthplanError("baseline() 需要基期", "baseline() needs a base period")
            return base_period
        return self.periods[code].shift(shift).code if shift else code

    def _resolve_values(self, req: list[Period], des: set[str]) -> None:
        """``rv``: each (element, org unit, requested period) once — the exact record, else sub-periods.

        Sub-periods: flows sum the recorded periods not inside another recorded one; stocks take the value of
        the latest-ending record (the period-end level).
        """
        pairs = [(q.code, s.code, q.code == s.code) for q in req for s in self.periods.values() if q.contains(s)]
        if all(p[2] for p in pairs):
            create_exact_values(self.con.execute, des)
            return
        de_list = ", ".join(sql_string(d) for d in sorted(des)) or "NULL"
        self.con.register("pmap_rows", pa.table({"target": [p[0] for p in pairs], "sub": [p[1] for p in pairs],
                                                 "exact": pa.array([p[2] for p in pairs], pa.bool_())}))
        self.con.execute("CREATE OR REPLACE TEMP TABLE pmap AS SELECT * FROM pmap_rows")
        self.con.unregister("pmap_rows")
        subs = [s for s in self.periods.values() if any(q.contains(s) for q in req)]
        self.con.register("sub_rows", pa.table({
            "code": [s.code for s in subs], "start": pa.array([s.start for s in subs], pa.date32()),
            "end": pa.array([s.end for s in subs], pa.date32()), "ptype": [int(s.type) for s in subs]}))
        self.con.execute("CREATE OR REPLACE TEMP TABLE sub_periods AS SELECT * FROM sub_rows")
        self.con.unregister("sub_rows")
        self.con.execute(f"""CREATE OR REPLACE TEMP TABLE rv AS
            WITH m AS (SELECT d.de, d.ou_id, pm.target AS period, d.value, pm.exact, sp.start, sp."end", sp.ptype
                       FROM dv d JOIN pmap pm ON pm.sub = d.period JOIN sub_periods sp ON sp.code = d.period
                       WHERE d.de IN ({de_list})),
                 ex AS (SELECT de, ou_id, period, value FROM m WHERE exact),
                 sub AS (SELECT m.* FROM m ANTI JOIN ex USING (de, ou_id, period)),
                 top AS (SELECT s.* FROM sub s WHERE NOT EXISTS (
                            SELECT 1 FROM sub o WHERE o.de = s.de AND o.ou_id = s.ou_id AND o.period = s.period
                              AND o.start <= s.start AND o."end" >= s."end"
                              AND (o.start < s.start OR o."end" > s."end")))
            SELECT de, ou_id, period, value FROM ex
            UNION ALL
            SELECT t.de, t.ou_id, t.period,
                   CASE WHEN any_value(k.kind) = 'flow' THEN sum(t.value)
                        ELSE arg_max(t.value, date_diff('day', DATE '1900-01-01', t."end") * 10 + t.ptype) END
            FROM top t JOIN de_meta k ON k.code = t.de GROUP BY t.de, t.ou_id, t.period""")

    def _read(self, compiled: list[_Compiled], periods: Sequence[str], ou_ids: Sequence[int]) -> list[IndicatorValue]:
        self.con.register("want_keys", pa.table({"key": [c.key for c in compiled],
                                                 "ord": list(range(len(compiled)))}))
        self.con.register("want_ous", pa.table({"ou_id": pa.array(list(ou_ids), pa.int64()),
                                                "ord": list(range(len(ou_ids)))}))
        self.con.register("want_periods", pa.table({"period": list(periods), "ord": list(range(len(periods)))}))
        rows = self.con.execute("""
            SELECT k.key, o.ou_id, p.period,
                   CASE WHEN isfinite(c.value) THEN c.value END,
                   CASE WHEN isfinite(c.numerator) THEN c.numerator END,
                   CASE WHEN isfinite(c.denominator) THEN c.denominator END
            FROM want_keys k CROSS JOIN want_periods p CROSS JOIN want_ous o
            LEFT JOIN cache c ON c.key = k.key AND c.period = p.period AND c.ou_id = o.ou_id
            ORDER BY k.ord, o.ord, p.ord""").fetchall()
        for name in ("want_keys", "want_ous", "want_periods"):
            self.con.unregister(name)
        code_of = {c.key: c.indicator.code for c in compiled}
        names = self.id_to_code
        return [IndicatorValue(code_of[key], names[ou], period, v, n, d) for key, ou, period, v, n, d in rows]
