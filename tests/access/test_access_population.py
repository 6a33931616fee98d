"""The population surface: cells inside the county, township totals kept, urban people close to the seat."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from healthplan.access.population import cell_polygon, grid_demand, read_boundaries, shipped_boundaries
from healthplan.domain.geo import contains
from healthplan.domain.problems import HealthplanError, ValidationFailed
from tests.access.access_toys import region, seat

SQUARE_A = [[[(111.95, 34.95), (112.05, 34.95), (112.05, 35.05), (111.95, 35.05)]]]
SQUARE_B = [[[(112.05, 34.95), (112.35, 34.95), (112.35, 35.05), (112.05, 35.05)],
             [(112.30, 35.00), (112.34, 35.00), (112.34, 35.04), (112.30, 35.04)]]]  # with a hole


def test_grid_keeps_township_totals_and_stays_inside() -> None:
    reg = region([seat("A1", "A", 112.0, 35.0, 10000), seat("B1", "B", 112.1, 35.0, 5000),
                  seat("B2", "B", 112.25, 35.0, 2000)])
    demand = grid_demand(reg, {"A": SQUARE_A, "B": SQUARE_B}, cell_km=1.0)
    assert demand.level == "grid" and len(demand) > 100
    assert demand.population.sum() == pytest.approx(17000)
    for code, total in (("A1", 10000), ("B1", 5000), ("B2", 2000)):
        mine = np.array([s.code == code for s in demand.seat])
        assert demand.population[mine].sum() == pytest.approx(total)
    for i in range(len(demand)):
        shape = SQUARE_A if demand.seat[i].part == "A" else SQUARE_B
        assert contains(shape, (float(demand.places.lon[i]), float(demand.places.lat[i])))


def test_urban_population_is_more_concentrated() -> None:
    reg = region([seat("A1", "A", 112.0, 35.0, 1000), seat("B1", "B", 112.2, 35.0, 1000)])
    demand = grid_demand(reg, {"A": SQUARE_A, "B": SQUARE_B}, cell_km=1.0)
    for code in ("A1", "B1"):
        mine = np.array([s.code == code for s in demand.seat])
        assert demand.population[mine].max() > 1000 / mine.sum()  # denser near the seat than uniform
    urban_top = np.sort(demand.population[np.array([s.code == "A1" for s in demand.seat])])[-9:].sum()
    rural_top = np.sort(demand.population[np.array([s.code == "B1" for s in demand.seat])])[-9:].sum()
    assert urban_top > rural_top


def test_a_township_without_cells_keeps_its_seat() -> None:
    tiny = [[[(112.0, 35.0), (112.001, 35.0), (112.001, 35.001), (112.0, 35.001)]]]
    reg = region([seat("A1", "A", 112.0005, 35.0005, 300)])
    demand = grid_demand(reg, {"A": tiny}, cell_km=1.0)
    assert demand.ids == ("A1",) and demand.population.tolist() == [300]


def test_missing_boundary_is_an_error() -> None:
    with pytest.raises(HealthplanError):
        grid_demand(region([seat("A1", "A", 112.0, 35.0, 300)]), {}, cell_km=1.0)


def test_cell_polygon_is_a_closed_square() -> None:
    ring = cell_polygon(112.0, 35.0, 1.0, np.radians(35.0))
    assert ring[0] == ring[-1] and len(ring) == 5


def test_boundaries() -> None:
    shapes = shipped_boundaries(["140502", "140525"])
    assert {"140502", "140521", "140522", "140524", "140525", "140581"} <= shapes.keys()
    assert shipped_boundaries(["999999"]) == {}


def test_bad_boundaries_file(tmp_path: Path) -> None:
    path = tmp_path / "b.geojson"
    path.write_text('{"features": [{"properties": {}, "geometry": {"type": "Polygon", "coordinates": []}}]}',
                    encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_boundaries(path)
    assert caught.value.problems[0].row == 1
