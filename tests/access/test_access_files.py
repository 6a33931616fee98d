"""Standards files and location-problem files: shipped data loads, bad input is rejected with its place."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthplan.access.cost_files import read_costs, read_weights
from healthplan.access.standards import load_standards
from healthplan.domain.problems import NotFound, ValidationFailed
from healthplan.domain.registry import UrbanRural

SF = Path(__file__).resolve().parents[1] / "fixtures" / "spopt_sf"


def test_shipped_standards() -> None:
    standards = load_standards()
    emergency = standards.get("emergency")
    assert emergency.limits[UrbanRural.URBAN].lenient == 5
    rural = emergency.limits[UrbanRural.RURAL]
    assert (rural.strict, rural.lenient) == (10, 20)
    assert emergency.verified and emergency.status == "已核对"
    assert not standards.get("medical_circle_15min").verified
    assert UrbanRural.URBAN not in standards.get("village_clinic").limits
    assert standards.travel.circuity == 1.3
    with pytest.raises(NotFound):
        standards.get("nonsense")


def test_bad_standards_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("travel: {speed_kmh: {urban: 20}}\nstandards:\n"
                    "  - {code: x, name: x, measure: km, facilities: hospital, limits: {rural: [20, 10]},\n"
                    "     document: d, clause: c, verified: true}\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_standards(path)
    assert caught.value.problems[0].column == "standards.0"


def test_sf_long_table_and_weights() -> None:
    table = read_costs(SF / "SF_network_distance_candidateStore_16_censusTract_205_new.csv")
    assert table.cost.shape == (205, 16) and np.isfinite(table.cost).all()
    assert table.candidates[0] == "Store_1"
    weights = read_weights(SF / "SF_demand_205_centroid_uniform_weight.csv", table, id_column="NAME")
    assert weights.sum() == 955113
    with pytest.raises(ValidationFailed) as caught:  # the ID column does not match the cost table's names
        read_weights(SF / "SF_demand_205_centroid_uniform_weight.csv", table)
    assert "205" in caught.value.problems[0].en


def test_bad_cells_are_located(tmp_path: Path) -> None:
    path = tmp_path / "cost.csv"
    path.write_text("demand,candidate,cost\na,x,1\nb,x,-2\nc,x,far\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_costs(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, 3), (4, 3)]


def test_missing_long_pairs_are_unreachable(tmp_path: Path) -> None:
    path = tmp_path / "cost.csv"
    path.write_text("origin,destination,distance\na,x,1\nb,y,2\na,x,3\n", encoding="utf-8")
    table = read_costs(path)
    assert table.demand == ("a", "b") and table.candidates == ("x", "y")
    assert table.cost.tolist() == [[3.0, np.inf], [np.inf, 2.0]]  # the last listed cost wins


matrices = st.integers(1, 5).flatmap(lambda n: st.integers(1, 4).flatmap(lambda m: st.lists(
    st.lists(st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)), min_size=m, max_size=m),
    min_size=n, max_size=n)))


@settings(max_examples=60, deadline=None)
@given(matrices, st.booleans())
def test_long_and_wide_tables_read_back(matrix: list[list[float | None]], long: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    demand = [f"d{i}" for i in range(len(matrix))]
    candidates = [f"c{j}" for j in range(len(matrix[0]))]
    if long:
        writer.writerow(["demand", "candidate", "cost"])
        writer.writerows([d, c, repr(v)] for d, row in zip(demand, matrix, strict=True)
                         for c, v in zip(candidates, row, strict=True) if v is not None)
    else:
        writer.writerow(["", *candidates])
        writer.writerows([d, *("" if v is None else repr(v) for v in row)] for d, row in zip(demand, matrix,
                                                                                             strict=True))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cost.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        if long and all(v is None for row in matrix for v in row):
            with pytest.raises(ValidationFailed):
                read_costs(path)
            return
        table = read_costs(path)
    expected = np.array([[np.inf if v is None else v for v in row] for row in matrix])
    present = [i for i, row in enumerate(matrix) if not long or any(v is not None for v in row)]
    if long:  # a long table only knows the ids it lists, in the order they first appear
        rows = [demand.index(d) for d in table.demand]
        cols = [candidates.index(c) for c in table.candidates]
        assert sorted(rows) == present
        assert np.array_equal(table.cost, expected[np.ix_(rows, cols)])
    else:
        assert table.demand == tuple(demand) and table.candidates == tuple(candidates)
        assert np.array_equal(table.cost, expected)
