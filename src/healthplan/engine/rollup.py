"""The roll-up rule of DESIGN §3.2 as DuckDB SQL: one table ``(ou_id, period, v)`` per term.

For a data element D at org unit A and period P: the value recorded at A wins; otherwise the sum over A's
children, recursively; facilities count while active (stocks: at the period's end; flows: at any time in the
period). With a closure table of the area tree this is a single aggregation: every node N contributes its own
value (or, if it has none, the sum of its facilities) to the ancestors strictly below the deepest recorded
ancestor of N. A filtered sum (``sum(D where …)``) selects facilities, so values recorded at areas — which
cannot be filtered — do not enter it. Missing is not zero: an area where D is recorded nowhere beneath gets no
row (null); an area where D is recorded but no facility passes the filter gets 0.

Tables the builder expects in the connection (created by :mod:`healthplan.engine.analytics`):
``areas(id, level, depth, urban_rural)``, ``closure(anc, des, anc_depth)``, ``req(code, start, end)``,
``fac_at(period, fid, parent_id, active_end, category, …)``, ``rv(de, ou_id, period, value)``,
``area_grid(ou_id, period)`` and ``want_fac(id)`` (facilities whose own values are wanted).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from healthplan.domain.data import Aggregation, DataElement, Kind
from healthplan.engine.compiler import Compiler, FilterSql, de_column, sql_string, term_column
from healthplan.engine.expression import CountAreas, CountFacilities, SumTerm, Term, ValueTerm


def term_data_elements(term: Term, compiler: Compiler) -> set[str]:
    """Every data element a term reads (its own, its filter's, its nested terms'): for cache invalidation."""
    match term:
        case SumTerm(de, flt, _):
            f = compiler.facility_filter(flt, "")
            return {de, *f.data_elements}
        case ValueTerm(de, _):
            return {de}
        case CountFacilities(flt, _):
            return set(compiler.facility_filter(flt, "").data_elements)
        case CountAreas(_, flt, _):
            f = compiler.area_filter(flt, "")
            return set().union(*(term_data_elements(t, compiler) for t in f.terms)) if f.terms else set()
    raise AssertionError(term)


class TermBuilder:
    """Builds term tables in one evaluation; each distinct term is built once and reused."""

    def __init__(self, con: Any, compiler: Compiler, elements: Mapping[str, DataElement]) -> None:
        self.con = con
        self.compiler = compiler
        self.elements = elements
        self.tables: dict[Term, str] = {}
        self.presence: dict[str, str] = {}
        self._serial = 0

    def _name(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}_{self._serial}"

    def table(self, term: Term) -> str:
        """The name of the table holding ``term`` for every area (and wanted facility) and period."""
        name = self.tables.get(term)
        if name is not None:
            return name
        name = self._name("t")
        match term:
            case SumTerm(de, None, _) | ValueTerm(de, _):
                element = self.elements[de]
                if element.aggregation is Aggregation.NONE:
                    self._own_values(name, de)
                else:
                    name = self.presence_table(de)
            case SumTerm(de, flt, _):
                self._filtered_sum(name, de, self.compiler.facility_filter(flt, ""))
            case CountFacilities(flt, _):
                self._count_facilities(name, self.compiler.facility_filter(flt, ""))
            case CountAreas(level, flt, _):
                self._count_areas(name, level, self.compiler.area_filter(flt, ""))
        self.tables[term] = name
        return name

    def _create(self, name: str, query: str) -> None:
        """A temp table from a query, in SQL that DuckDB and PostgreSQL both run (the benchmark's peer)."""
        self.con.execute(f"DROP TABLE IF EXISTS {name}")
        self.con.execute(f"CREATE TEMP TABLE {name} AS {query}")

    def drop(self) -> None:
        for name in {*self.tables.values(), *self.presence.values()}:
            self.con.execute(f"DROP TABLE IF EXISTS {name}")
        self.tables.clear()
        self.presence.clear()

    # ---- pieces ------------------------------------------------------------------------------------------

    def _facility_values(self, de: str) -> str:
        """Values of ``de`` at facilities, with the facility's version for the period."""
        active = " AND f.active_end" if self.elements[de].kind is Kind.STOCK else ""
        return (f"SELECT f.fid, f.parent_id, r.period, r.value FROM rv r "
                f"JOIN fac_at f ON f.fid = r.ou_id AND f.period = r.period WHERE r.de = {sql_string(de)}{active}")

    def presence_table(self, de: str) -> str:
        """The unfiltered roll-up of ``de``: its rows are also where ``de`` is recorded at all."""
        name = self.presence.get(de)
        if name is not None:
            return name
        name = self._name("p")
        d = sql_string(de)
        self._create(name, f"""
            WITH own AS (SELECT r.ou_id AS n, r.period, r.value FROM rv r JOIN areas a ON a.id = r.ou_id
                         WHERE r.de = {d}),
                 fv AS ({self._facility_values(de)}),
                 fsum AS (SELECT parent_id AS n, period, sum(value) AS value FROM fv GROUP BY parent_id, period),
                 node AS (SELECT coalesce(o.n, s.n) AS n, coalesce(o.period, s.period) AS period,
                                 coalesce(o.value, s.value) AS value
                          FROM own o FULL JOIN fsum s ON o.n = s.n AND o.period = s.period),
                 blk AS (SELECT c.des AS n, o.period, max(c.anc_depth) AS d
                         FROM own o JOIN closure c ON c.anc = o.n AND c.des <> c.anc GROUP BY c.des, o.period)
            SELECT c.anc AS ou_id, x.period, sum(x.value) AS v
            FROM node x LEFT JOIN blk b ON b.n = x.n AND b.period = x.period
            JOIN closure c ON c.des = x.n AND c.anc_depth > coalesce(b.d, -1)
            GROUP BY c.anc, x.period
            UNION ALL
            SELECT fid, period, value FROM fv WHERE fid IN (SELECT id FROM want_fac)""")
        self.presence[de] = name
        return name

    def _own_values(self, name: str, de: str) -> None:
        """Non-additive elements (人均预期寿命): only what is recorded at the org unit itself."""
        self._create(name, f"""
            SELECT r.ou_id, r.period, r.value AS v FROM rv r
            WHERE r.de = {sql_string(de)} AND (r.ou_id IN (SELECT id FROM areas) OR r.ou_id IN (SELECT id FROM want_fac))""")

    def _joins(self, flt: FilterSql) -> str:
        return "".join(
            f" LEFT JOIN (SELECT ou_id, period, value FROM rv WHERE de = {sql_string(code)}) {de_column(code)}"
            f" ON {de_column(code)}.ou_id = f.fid AND {de_column(code)}.period = f.period"
            for code in flt.data_elements)

    def _presence_join(self, codes: tuple[str, ...] | list[str], alias: str = "g") -> str:
        return "".join(
            f" JOIN {self.presence_table(code)} pr{i} ON pr{i}.ou_id = {alias}.ou_id AND pr{i}.period = {alias}.period"
            for i, code in enumerate(codes))

    def _filtered_sum(self, name: str, de: str, flt: FilterSql) -> None:
        active = " AND f.active_end" if self.elements[de].kind is Kind.STOCK else ""
        base = (f"FROM rv r JOIN fac_at f ON f.fid = r.ou_id AND f.period = r.period{self._joins(flt)} "
                f"WHERE r.de = {sql_string(de)}{active}")
        self.presence_table(de)
        self._create(name, f"""
            WITH fv AS (SELECT f.parent_id, r.period, sum(r.value) AS value {base} AND ({flt.sql})
                         GROUP BY f.parent_id, r.period),
                 s AS (SELECT c.anc AS ou_id, fv.period, sum(fv.value) AS v FROM fv
                       JOIN closure c ON c.des = fv.parent_id GROUP BY c.anc, fv.period)
            SELECT g.ou_id, g.period, coalesce(s.v, 0) AS v
            FROM (SELECT ou_id, period FROM {self.presence_table(de)}
                  WHERE ou_id IN (SELECT id FROM areas)) g{self._presence_join(flt.required)}
            LEFT JOIN s ON s.ou_id = g.ou_id AND s.period = g.period
            UNION ALL
            SELECT f.fid, r.period, CASE WHEN coalesce({flt.sql}, FALSE) THEN r.value ELSE 0 END {base}
              AND f.fid IN (SELECT id FROM want_fac)""")

    def _count_facilities(self, name: str, flt: FilterSql) -> None:
        base = f"FROM fac_at f{self._joins(flt)} WHERE f.active_end"
        self._create(name, f"""
            WITH fc AS (SELECT f.parent_id, f.period, count(*) AS n {base} AND ({flt.sql})
                        GROUP BY f.parent_id, f.period),
                 s AS (SELECT c.anc AS ou_id, fc.period, sum(fc.n) AS v FROM fc
                       JOIN closure c ON c.des = fc.parent_id GROUP BY c.anc, fc.period)
            SELECT g.ou_id, g.period, CAST(coalesce(s.v, 0) AS DOUBLE PRECISION) AS v
            FROM area_grid g{self._presence_join(flt.required)}
            LEFT JOIN s ON s.ou_id = g.ou_id AND s.period = g.period
            UNION ALL
            SELECT f.fid, f.period, CASE WHEN coalesce({flt.sql}, FALSE) THEN 1.0 ELSE 0.0 END {base}
              AND f.fid IN (SELECT id FROM want_fac)""")

    def _count_areas(self, name: str, level: str, flt: FilterSql) -> None:
        inner = [self.table(t) for t in flt.terms]
        columns = "".join(f", t{i}.v AS {term_column(i)}" for i in range(len(inner)))
        joins = "".join(f" LEFT JOIN {tab} t{i} ON t{i}.ou_id = a.id AND t{i}.period = q.code"
                        for i, tab in enumerate(inner))
        needs = [code for t in flt.terms if isinstance(t, SumTerm | ValueTerm) for code in [t.de]]
        self._create(name, f"""
            WITH cand AS (SELECT a.id, q.code AS period, a.urban_rural{columns}
                          FROM areas a CROSS JOIN req q{joins} WHERE a.level = {sql_string(level)}),
                 hit AS (SELECT a.id, a.period FROM cand a WHERE {flt.sql}),
                 s AS (SELECT c.anc AS ou_id, h.period, count(*) AS v FROM hit h
                       JOIN closure c ON c.des = h.id GROUP BY c.anc, h.period)
            SELECT g.ou_id, g.period, CAST(coalesce(s.v, 0) AS DOUBLE PRECISION) AS v
            FROM area_grid g{self._presence_join(needs)}
            LEFT JOIN s ON s.ou_id = g.ou_id AND s.period = g.period""")
