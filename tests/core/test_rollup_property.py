"""Property: the engine's roll-up of a random tree equals a naive recursive evaluation of DESIGN §3.2."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthplan.domain.data import Aggregation, DataElement, Kind
from healthplan.domain.indicators import Indicator
from healthplan.engine.analytics import Analytics
from healthplan.store.snapshot import Snapshot

YEAR_END = dt.date(2020, 12, 31)
ELEMENTS = {
    "x.stock": DataElement("x.stock", "存量", "stock", Kind.STOCK),
    "x.flow": DataElement("x.flow", "流量", "flow", Kind.FLOW),
}


@dataclass
class Tree:
    parents: list[int | None]  # area i's parent (None for the root, area 0)
    facilities: list[tuple[int, dt.date, dt.date | None, str]]  # parent area, valid_from, valid_to, category
    area_values: dict[int, float]
    facility_values: dict[int, float]


@st.composite
def trees(draw: st.DrawFn) -> Tree:
    n_areas = draw(st.integers(1, 12))
    parents: list[int | None] = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n_areas)]
    n_fac = draw(st.integers(0, 15))
    dates = st.sampled_from([dt.date(2019, 1, 1), dt.date(2020, 3, 1), dt.date(2020, 12, 31), dt.date(2021, 1, 1)])
    facilities = []
    for _ in range(n_fac):
        start = draw(dates)
        end = draw(st.none() | dates.filter(lambda d, s=start: d > s))
        facilities.append((draw(st.integers(0, n_areas - 1)), start, end,
                           draw(st.sampled_from(["general_hospital", "clinic"]))))
    values = st.integers(0, 1000).map(float)
    area_values = draw(st.dictionaries(st.integers(0, n_areas - 1), values, max_size=n_areas))
    facility_values = draw(st.dictionaries(st.integers(0, max(n_fac - 1, 0)), values, max_size=n_fac)) if n_fac else {}
    return Tree(parents, facilities, area_values, facility_values)


def naive(tree: Tree, area: int, kind: Kind, only_hospitals: bool = False) -> float | None:
    """value(A) = recorded at A, else Σ children (areas recursively, facilities active as the rule says)."""
    if not only_hospitals and area in tree.area_values:
        return tree.area_values[area]
    parts: list[float | None] = [naive(tree, child, kind, only_hospitals)
                                 for child, parent in enumerate(tree.parents) if parent == area]
    for index, (parent, start, end, category) in enumerate(tree.facilities):
        if parent != area or index not in tree.facility_values:
            continue
        active = start <= YEAR_END and (end is None or end > YEAR_END) if kind is Kind.STOCK else (
            start <= YEAR_END and (end is None or end > dt.date(2020, 1, 1)))
        if active and (not only_hospitals or category == "general_hospital"):
            parts.append(tree.facility_values[index])
    known = [p for p in parts if p is not None]
    return sum(known) if known else None


def has_any(tree: Tree, area: int, kind: Kind) -> bool:
    if area in tree.area_values:
        return True
    return naive(tree, area, kind) is not None


def snapshot(tree: Tree, code: str) -> Snapshot:
    n = len(tree.parents)
    ids = list(range(1, n + 1)) + [1000 + i for i in range(len(tree.facilities))]
    org_units = pa.table({
        "id": pa.array(ids, pa.int64()), "code": [f"A{i}" for i in range(n)] + [f"F{i}" for i in range(len(tree.facilities))],
        "name": [""] * len(ids), "level": ["county"] * n + ["facility"] * len(tree.facilities),
        "parent_id": pa.array([None if p is None else p + 1 for p in tree.parents]
                              + [f[0] + 1 for f in tree.facilities], pa.int64()),
        "urban_rural": pa.array([None] * len(ids), pa.string())})
    f = tree.facilities
    versions = pa.table({
        "fid": pa.array([1000 + i for i in range(len(f))], pa.int64()),
        "valid_from": pa.array([x[1] for x in f], pa.date32()), "valid_to": pa.array([x[2] for x in f], pa.date32()),
        "parent_id": pa.array([x[0] + 1 for x in f], pa.int64()), "category": pa.array([x[3] for x in f], pa.string()),
        "specialty": pa.array([None] * len(f), pa.string()), "level": pa.array([0] * len(f), pa.int64()),
        "grade": pa.array([None] * len(f), pa.string()), "ownership": pa.array(["public"] * len(f), pa.string()),
        "host": pa.array([None] * len(f), pa.string()), "urban_rural": pa.array([None] * len(f), pa.string()),
        "central": pa.array([False] * len(f), pa.bool_()), "groups": pa.array([""] * len(f), pa.string())})
    rows = [(i + 1, v) for i, v in tree.area_values.items()] + [(1000 + i, v) for i, v in tree.facility_values.items()]
    values = pa.table({"de": pa.array([code] * len(rows), pa.string()),
                       "ou_id": pa.array([r[0] for r in rows], pa.int64()),
                       "period": pa.array(["2020"] * len(rows), pa.string()),
                       "value": pa.array([r[1] for r in rows], pa.float64())})
    elements = pa.table({"code": list(ELEMENTS), "kind": [e.kind.value for e in ELEMENTS.values()],
                         "aggregation": [Aggregation.SUM.value] * len(ELEMENTS)})
    return Snapshot(org_units, versions, values, elements, 0)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(), st.sampled_from([Kind.STOCK, Kind.FLOW]))
def test_engine_rollup_equals_naive_recursion(tree: Tree, kind: Kind) -> None:
    code = "x.stock" if kind is Kind.STOCK else "x.flow"
    engine = Analytics(None)
    engine.load_snapshot(snapshot(tree, code), ELEMENTS)
    plain = Indicator("plain", "plain", f"sum({code})")
    hospitals = Indicator("hosp", "hosp", f"sum({code} where category = 'general_hospital')")
    areas = [f"A{i}" for i in range(len(tree.parents))]
    results = engine.evaluate([plain, hospitals], ["2020"], areas)
    got = {(r.indicator, r.org_unit): r.value for r in results}
    for i in range(len(tree.parents)):
        assert got[("plain", f"A{i}")] == naive(tree, i, kind)
        expected_hosp = naive(tree, i, kind, only_hospitals=True)
        if has_any(tree, i, kind):
            assert got[("hosp", f"A{i}")] == (expected_hosp or 0)
        else:
            assert got[("hosp", f"A{i}")] is None
    engine.close()
