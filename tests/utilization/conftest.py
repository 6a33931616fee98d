"""Registries for the encounter tests: a tiny hand-made one (the oracle's) and the 晋城 demo registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from healthplan.domain.registry import Category, FacilityVersion, Level, OrgUnit
from healthplan.store import registry, values
from healthplan.store.database import Database
from healthplan.utilization.calibration import region_folder
from healthplan.utilization.dataset import EncounterDataset
from healthplan.utilization.importer import import_encounters
from healthplan.utilization.territory import Territory

FIXTURES = Path(__file__).parent.parent / "fixtures" / "utilization"
D = dt.date

AREAS = [
    OrgUnit("140000", "山西省", Level.PROVINCE, None),
    OrgUnit("140500", "晋城市", Level.CITY, "140000"),
    OrgUnit("140502", "城区", Level.COUNTY, "140500"),
    OrgUnit("140502001", "街道一", Level.TOWNSHIP, "140502"),
    OrgUnit("140525", "泽州县", Level.COUNTY, "140500"),
    OrgUnit("140525100", "南村镇", Level.TOWNSHIP, "140525"),
    OrgUnit("140600", "朔州市", Level.CITY, "140000"),
    OrgUnit("140602", "朔城区", Level.COUNTY, "140600"),
]
FACILITIES = [
    FacilityVersion("H1", "市人民医院", "140502001", Category.GENERAL_HOSPITAL, D(2000, 1, 1), level=3),
    FacilityVersion("C1", "南村镇卫生院", "140525100", Category.TOWNSHIP_HEALTH_CENTER, D(2000, 1, 1)),
    FacilityVersion("V1", "东村卫生室", "140525100", Category.VILLAGE_CLINIC, D(2000, 1, 1)),
    FacilityVersion("S1", "朔城区医院", "140602", Category.GENERAL_HOSPITAL, D(2000, 1, 1), level=2),
    FacilityVersion("M1", "康宁诊所", "140502001", Category.CLINIC, D(2000, 1, 1), D(2020, 7, 1)),
    FacilityVersion("M1", "康宁诊所", "140525100", Category.CLINIC, D(2020, 7, 1)),
]
BEDS = {("H1", 2020): 10.0, ("C1", 2020): 2.0, ("S1", 2020): 5.0, ("H1", 2021): 10.0}


@pytest.fixture
def tiny_territory() -> Territory:
    return Territory(AREAS, FACILITIES, BEDS)


def build_tiny_region(db: Database) -> None:
    """The tiny registry in a database, beds as ``beds.open`` values."""
    with db.transaction() as session:
        registry.upsert_org_units(session, AREAS, "test")
        registry.upsert_facilities(session, FACILITIES, "test")
        values.write_values(session, [values.ValueWrite("beds.open", code, str(year), beds)
                                      for (code, year), beds in BEDS.items()], "test")


def oracle_dataset(folder: Path, territory: Territory, weight: float = 1.0) -> EncounterDataset:
    report = import_encounters(FIXTURES / "oracle.csv", folder / "oracle", territory, weight=weight)
    assert report.quarantined == 0, report.problems
    return EncounterDataset.open(folder / "oracle")


@pytest.fixture(scope="session")
def demo_territory() -> Territory:
    """The 晋城 demo registry read straight from its files (no database: the generator's own inputs)."""
    return Territory.from_files(region_folder("jincheng"))
