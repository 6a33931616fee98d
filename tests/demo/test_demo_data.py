"""The demo data reproduce the plans' published figures, and the files are consistent.

Every indicator is recomputed here from the CSV files with the standard library, independently of the
engine and of the generator, using the engine's definitions (sums over facilities active on 31 December,
population = pop.resident recorded at the city) and compared with the published figure at its printed
precision (half-up rounding of the exact ratio).
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

import healthplan.demo

DATA = Path(healthplan.demo.__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]
REFERENCE = Path(os.environ.get("HEALTHPLAN_REFERENCE", REPO.parent / "shared" / "reference"))
CITY = {"jincheng": "140500", "shuozhou": "140600"}
YEARS = {"jincheng": range(2015, 2025), "shuozhou": range(2016, 2025)}

HOSPITALS = {"general_hospital", "tcm_hospital", "integrated_hospital", "ethnic_hospital", "specialty_hospital",
             "nursing_home"}
PRIMARY = {"community_health_center", "community_health_station", "township_health_center", "village_clinic",
           "outpatient_dept", "clinic"}
PUBLIC_HEALTH = {"cdc", "disease_control_specialty", "mch_center", "emergency_center", "blood_center",
                 "health_inspection", "health_education"}
CATEGORIES = HOSPITALS | PRIMARY | PUBLIC_HEALTH | {"other"}
SPECIALTIES = {"", "psychiatric", "infectious", "maternity", "children", "oncology", "rehabilitation", "eye",
               "stomatology", "occupational", "other"}
HOSTS = {"province", "city", "county", "township", "village", "enterprise", "private"}

Row = dict[str, str]


@dataclass
class Region:
    key: str
    orgunits: list[Row]
    facilities: list[Row]
    values: dict[int, dict[str, Row]] = field(default_factory=dict)  # year → facility → element → text
    areas: dict[tuple[str, str, int], str] = field(default_factory=dict)  # (element, org unit, year) → text

    @property
    def city(self) -> str:
        return CITY[self.key]

    def active(self, year: int) -> dict[str, Row]:
        day = date(year, 12, 31).isoformat()
        return {
            f["code"]: f
            for f in self.facilities
            if f["valid_from"] <= day and (f["valid_to"] == "" or day < f["valid_to"])
        }

    def total(self, year: int, element: str, where: Callable[[Row], bool] = lambda f: True) -> Fraction:
        versions = self.active(year)
        return sum(
            (Fraction(row[element]) for code, row in self.values[year].items()
             if row[element] != "" and where(versions[code])),
            Fraction(0),
        )

    def count(self, year: int, where: Callable[[Row], bool]) -> int:
        return sum(1 for f in self.active(year).values() if where(f))

    def count_with(self, year: int, element: str, where: Callable[[Row], bool]) -> int:
        versions = self.active(year)
        return sum(1 for code, row in self.values[year].items() if row[element] == "1" and where(versions[code]))

    def area(self, element: str, year: int, org_unit: str | None = None) -> Fraction | None:
        text = self.areas.get((element, org_unit or self.city, year))
        return None if text is None else Fraction(text)

    def area_sum(self, element: str, year: int) -> Fraction:
        counties = [o["code"] for o in self.orgunits if o["level"] == "county"]
        return sum((Fraction(self.areas[(element, c, year)]) for c in counties), Fraction(0))

    def population(self, year: int) -> Fraction:
        value = self.area("pop.resident", year)
        assert value is not None
        return value


def read(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def load(key: str) -> Region:
    folder = DATA / key
    region = Region(key, read(folder / "orgunits.csv"), read(folder / "facilities.csv"))
    for row in read(folder / "facility_values.csv"):
        code, period = row.pop("org_unit"), int(row.pop("period"))
        region.values.setdefault(period, {})[code] = row
    for row in read(folder / "area_values.csv"):
        region.areas[(row["data_element"], row["org_unit"], int(row["period"]))] = row["value"]
    return region


def rounded(value: Fraction, decimals: int) -> Decimal:
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def is_hospital(f: Row) -> bool:
    return f["category"] in HOSPITALS


def senior(categories: set[str]) -> Callable[[Row], bool]:
    return lambda f: f["category"] in categories and int(f["level"]) >= 2


def per(numerator: str, factor: int, where: Callable[[Row], bool] = lambda f: True) -> Callable[[Region, int],
                                                                                                    Fraction]:
    return lambda r, y: r.total(y, numerator, where) / r.population(y) * factor


def ratio(numerator: str, denominator: str, factor: int,
          where: Callable[[Row], bool] = lambda f: True) -> Callable[[Region, int], Fraction]:
    return lambda r, y: r.total(y, numerator, where) / r.total(y, denominator, where) * factor


def dept_share(element: str, pool: Callable[[Row], bool]) -> Callable[[Region, int], Fraction]:
    return lambda r, y: Fraction(r.count_with(y, element, pool) * 100, r.count(y, pool))


def area_ratio(numerator: str, denominator: str, factor: int) -> Callable[[Region, int], Fraction]:
    def compute(r: Region, y: int) -> Fraction:
        return r.area_sum(numerator, y) / r.area_sum(denominator, y) * factor

    return compute


def recorded(element: str) -> Callable[[Region, int], Fraction]:
    def compute(r: Region, y: int) -> Fraction:
        value = r.area(element, y)
        assert value is not None, f"{element} not recorded at the city in {y}"
        return value

    return compute


INDICATORS: dict[str, Callable[[Region, int], Fraction]] = {
    "beds_per_1000": per("beds.actual", 1000),
    "hospital_beds_per_1000": per("beds.actual", 1000, is_hospital),
    "physicians_per_1000": per("staff.physician", 1000),
    "nurses_per_1000": per("staff.nurse", 1000),
    "gps_per_10000": per("staff.gp", 10000),
    "psychiatric_beds_per_1000": per("beds.psychiatric", 1000),
    "public_health_staff_per_1000": per("staff.total", 1000, lambda f: f["category"] in PUBLIC_HEALTH),
    "ambulances_per_10000": per("equip.ambulance", 10000),
    "cdc_professional_share": ratio("staff.professional_technical", "staff.established", 100,
                                    lambda f: f["category"] == "cdc"),
    "bed_occupancy_rate": ratio("svc.bed_days_occupied", "svc.bed_days_open", 100),
    "hospital_alos": ratio("svc.discharged_bed_days", "svc.discharges", 1, is_hospital),
    "geriatrics_dept_share": dept_share("dept.geriatrics", senior({"general_hospital"})),
    "infectious_dept_share": dept_share("dept.infectious", senior({"general_hospital", "tcm_hospital"})),
    "occupational_diagnosis_count": lambda r, y: Fraction(r.count_with(y, "cap.occupational_diagnosis",
                                                                       lambda f: True)),
    "visits_10k": lambda r, y: r.total(y, "svc.visits") / 10000,
    "discharges_10k": lambda r, y: r.total(y, "svc.discharges") / 10000,
    "infant_mortality": area_ratio("vital.infant_deaths", "vital.live_births", 1000),
    "under5_mortality": area_ratio("vital.under5_deaths", "vital.live_births", 1000),
    "maternal_mortality": area_ratio("vital.maternal_deaths", "vital.live_births", 100000),
    "elderly_health_management_rate": area_ratio("ph.elderly_managed", "pop.age65plus", 100),
    "hypertension_management_rate": area_ratio("ph.hypertension_managed", "ph.hypertension_registered", 100),
    "diabetes_management_rate": area_ratio("ph.diabetes_managed", "ph.diabetes_registered", 100),
    "childcare_places_per_1000": lambda r, y: r.area_sum("childcare.places", y) / r.population(y) * 1000,
    "basic_ph_funding_per_capita": lambda r, y: r.area_sum("fin.basic_ph_funding", y) / r.population(y),
    "oop_share": lambda r, y: recorded("fin.out_of_pocket")(r, y) / recorded("fin.total_health_expenditure")(r, y)
    * 100,
    "health_literacy": recorded("health.literacy_pct"),
    "life_expectancy": recorded("health.life_expectancy"),
}

# (region, indicator, year, figure as printed): 晋城 表1, 第一章; 朔州 表1 “2020年现状”, 第一章(一)
PUBLISHED = [
    ("jincheng", "beds_per_1000", 2015, "4.64"),
    ("jincheng", "beds_per_1000", 2020, "6.13"),
    ("jincheng", "physicians_per_1000", 2015, "2.32"),
    ("jincheng", "physicians_per_1000", 2020, "2.77"),
    ("jincheng", "nurses_per_1000", 2015, "1.91"),
    ("jincheng", "nurses_per_1000", 2020, "2.76"),
    ("jincheng", "gps_per_10000", 2015, "0.76"),
    ("jincheng", "gps_per_10000", 2020, "1.6"),
    ("jincheng", "infant_mortality", 2015, "4.96"),
    ("jincheng", "infant_mortality", 2020, "3.40"),
    ("jincheng", "under5_mortality", 2015, "6.11"),
    ("jincheng", "under5_mortality", 2020, "4.59"),
    ("jincheng", "maternal_mortality", 2015, "12.73"),
    ("jincheng", "maternal_mortality", 2020, "17.01"),
    ("jincheng", "health_literacy", 2020, "12.78"),
    ("jincheng", "hospital_beds_per_1000", 2020, "4.94"),
    ("jincheng", "public_health_staff_per_1000", 2020, "0.62"),
    ("jincheng", "bed_occupancy_rate", 2020, "54.15"),
    ("jincheng", "hospital_alos", 2020, "10.5"),
    ("jincheng", "visits_10k", 2020, "898.55"),
    ("jincheng", "discharges_10k", 2020, "26.05"),
    ("jincheng", "elderly_health_management_rate", 2020, "73"),
    ("jincheng", "hypertension_management_rate", 2020, "77"),
    ("jincheng", "diabetes_management_rate", 2020, "75"),
    ("shuozhou", "health_literacy", 2020, "14"),
    ("shuozhou", "cdc_professional_share", 2020, "70.07"),
    ("shuozhou", "public_health_staff_per_1000", 2020, "0.47"),
    ("shuozhou", "beds_per_1000", 2020, "6.29"),
    ("shuozhou", "beds_per_1000", 2016, "4.35"),
    ("shuozhou", "physicians_per_1000", 2020, "2.29"),
    ("shuozhou", "nurses_per_1000", 2020, "2.37"),
    ("shuozhou", "gps_per_10000", 2020, "3.35"),
    ("shuozhou", "ambulances_per_10000", 2020, "0.31"),
    ("shuozhou", "infectious_dept_share", 2020, "57"),
    ("shuozhou", "psychiatric_beds_per_1000", 2020, "0.23"),
    ("shuozhou", "childcare_places_per_1000", 2020, "1.5"),
    ("shuozhou", "geriatrics_dept_share", 2020, "64.29"),
    ("shuozhou", "occupational_diagnosis_count", 2020, "1"),
    ("shuozhou", "basic_ph_funding_per_capita", 2020, "74"),
    ("shuozhou", "oop_share", 2020, "28.94"),
    ("shuozhou", "infant_mortality", 2020, "2.62"),
    ("shuozhou", "under5_mortality", 2020, "3.46"),
    ("shuozhou", "elderly_health_management_rate", 2020, "72.99"),
    ("shuozhou", "hypertension_management_rate", 2020, "86.63"),
    ("shuozhou", "diabetes_management_rate", 2020, "82.93"),
]


@pytest.mark.parametrize(("key", "indicator", "year", "figure"), PUBLISHED)
def test_published_figure_is_reproduced(key: str, indicator: str, year: int, figure: str) -> None:
    decimals = len(figure.split(".")[1]) if "." in figure else 0
    assert rounded(INDICATORS[indicator](load(key), year), decimals) == Decimal(figure)


@pytest.mark.parametrize(("key", "element", "year"), [
    ("jincheng", "health.literacy_pct", 2015),  # 表1 “-”
    ("shuozhou", "health.life_expectancy", 2020),  # 表1 “—”
])
def test_unpublished_figure_has_no_value(key: str, element: str, year: int) -> None:
    region = load(key)
    assert not [k for k in region.areas if k[0] == element and k[2] == year]


def test_jincheng_stays_are_plausible_over_all_facilities() -> None:
    region = load("jincheng")
    alos = region.total(2020, "svc.discharged_bed_days") / region.total(2020, "svc.discharges")
    assert 7 < alos < 10.5
    spending = sum(region.area("fin.total_health_expenditure", y) or 0 for y in range(2016, 2021))
    assert rounded(Fraction(spending) / 10**8, 0) == Decimal(190)  # 十三五 卫生总费用 190 亿元


def category(name: str) -> Callable[[Row], bool]:
    return lambda f: f["category"] == name


CENSUS_YEAR_COUNTS: dict[str, dict[str, Callable[[Row], bool]]] = {
    "common": {
        "hospital": is_hospital,
        "primary": lambda f: f["category"] in PRIMARY,
        "public_health": lambda f: f["category"] in PUBLIC_HEALTH,
        "other": category("other"),
        "township_health_center": category("township_health_center"),
        "community": lambda f: f["category"] in ("community_health_center", "community_health_station"),
        "village_clinic": category("village_clinic"),
        "cdc": category("cdc"),
        "mch_center": category("mch_center"),
        "emergency_center": category("emergency_center"),
        "blood_center": category("blood_center"),
        "health_inspection": category("health_inspection"),
        "general_hospital": category("general_hospital"),
        "tcm_hospital": category("tcm_hospital"),
        "integrated_hospital": category("integrated_hospital"),
        "specialty_hospital": category("specialty_hospital"),
        "outpatient_dept": category("outpatient_dept"),
        "clinic": category("clinic"),
        "private": lambda f: f["ownership"] == "private",
        "level3": lambda f: is_hospital(f) and f["level"] == "3",
        "level3A": lambda f: is_hospital(f) and f["level"] == "3" and f["grade"] == "A",
        "county_general": lambda f: f["category"] == "general_hospital" and f["host"] == "county",
        "county_general_2A": lambda f: f["category"] == "general_hospital" and f["host"] == "county"
        and f["level"] == "2" and f["grade"] == "A",
        "psychiatric": lambda f: f["specialty"] == "psychiatric",
        "occupational": lambda f: f["specialty"] == "occupational",
    }
}
EXPECTED_2020 = {
    "jincheng": {"total": 3163, "hospital": 94, "primary": 3038, "public_health": 24, "other": 7,
                 "township_health_center": 80, "community": 40, "village_clinic": 2220, "cdc": 7, "mch_center": 7,
                 "emergency_center": 1, "blood_center": 1, "health_inspection": 7, "private": 2360, "level3": 4,
                 "level3A": 3, "county_general": 6, "county_general_2A": 6, "psychiatric": 4, "occupational": 1},
    "shuozhou": {"total": 2134, "hospital": 82, "general_hospital": 48, "tcm_hospital": 7,
                 "integrated_hospital": 6, "specialty_hospital": 21, "primary": 2026,
                 "township_health_center": 92, "community": 69, "village_clinic": 1477, "outpatient_dept": 13,
                 "clinic": 375, "public_health": 24, "cdc": 7, "mch_center": 7, "emergency_center": 1,
                 "blood_center": 2, "health_inspection": 7, "other": 2, "level3A": 0},
}


@pytest.mark.parametrize("key", sorted(EXPECTED_2020))
def test_census_year_registry_counts(key: str) -> None:
    region = load(key)
    active = region.active(2020)
    got = {"total": len(active)}
    got |= {name: region.count(2020, where) for name, where in CENSUS_YEAR_COUNTS["common"].items()}
    assert {name: got[name] for name in EXPECTED_2020[key]} == EXPECTED_2020[key]
    if key == "jincheng":
        assert rounded(Fraction(got["private"] * 100, got["total"]), 2) == Decimal("74.61")
        # every 乡镇 (not 街道) has at least one 乡镇卫生院
        towns = {o["code"] for o in region.orgunits if o["level"] == "township" and "街道" not in o["name"]}
        with_center = {f["parent_code"] for f in active.values() if f["category"] == "township_health_center"}
        assert towns <= with_center


# ---- structure -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(CITY))
def test_codes_parents_and_domains(key: str) -> None:
    region = load(key)
    org_codes = [o["code"] for o in region.orgunits]
    assert len(org_codes) == len(set(org_codes))
    levels = {o["code"]: o["level"] for o in region.orgunits}
    parent_level = {"city": "province", "county": "city", "township": "county"}
    for o in region.orgunits:
        if o["level"] == "province":
            assert o["parent_code"] == ""
        else:
            assert levels[o["parent_code"]] == parent_level[o["level"]]
        assert o["urban_rural"] in ("urban", "rural", "")
    assert region.orgunits[0] == {"code": "140000", "name": "山西省", "level": "province", "parent_code": "",
                                  "lat": "", "lon": "", "urban_rural": ""}
    assert Counter(levels.values())["city"] == 1
    for f in region.facilities:
        assert f["code"] not in levels
        assert levels[f["parent_code"]] == "township"
        assert f["category"] in CATEGORIES
        assert f["specialty"] in SPECIALTIES
        assert (f["specialty"] != "") == (f["category"] == "specialty_hospital")
        assert f["level"] in ("0", "1", "2", "3") and f["grade"] in ("", "A", "B", "C")
        assert f["ownership"] in ("public", "private") and f["host"] in HOSTS
        assert f["urban_rural"] in ("urban", "rural") and f["central"] in ("0", "1")
        assert f["central"] == "0" or f["category"] == "township_health_center"
        for group in filter(None, f["groups"].split(";")):
            assert group.startswith(("JC-", "SZ-"))


def test_province_is_identical_in_both_regions() -> None:
    assert load("jincheng").orgunits[0] == load("shuozhou").orgunits[0]


@pytest.mark.parametrize("key", sorted(CITY))
def test_versions_do_not_overlap(key: str) -> None:
    versions: dict[str, list[Row]] = defaultdict(list)
    for f in load(key).facilities:
        versions[f["code"]].append(f)
    changed = 0
    for code, rows in versions.items():
        for row in rows:
            assert row["valid_to"] == "" or row["valid_from"] < row["valid_to"], code
        for earlier, later in itertools.pairwise(rows):
            assert earlier["valid_to"] != "" and earlier["valid_to"] <= later["valid_from"], code
            changed += 1
    assert changed > 50  # history: groups formed, upgrades, renames, moves
    closed = sum(1 for rows in versions.values() if rows[-1]["valid_to"])
    assert closed > 50


@pytest.mark.parametrize("key", sorted(CITY))
def test_values_only_for_facilities_active_at_year_end(key: str) -> None:
    region = load(key)
    for year in YEARS[key]:
        assert set(region.values[year]) == set(region.active(year)), year


@pytest.mark.parametrize("key", sorted(CITY))
def test_values_are_consistent(key: str) -> None:
    region = load(key)

    def v(row: Row, element: str) -> int:
        return int(row[element]) if row[element] else 0

    for year, rows in region.values.items():
        for code, row in rows.items():
            assert all(int(x) >= 0 for x in row.values() if x), (code, year)
            assert v(row, "beds.open") <= v(row, "beds.actual")
            assert v(row, "beds.psychiatric") <= v(row, "beds.actual")
            assert v(row, "beds.negative_pressure") <= v(row, "beds.infectious") <= v(row, "beds.actual")
            assert v(row, "staff.gp") + v(row, "staff.psychiatrist") + v(row, "staff.physician_tcm") + v(
                row, "staff.public_health_physician") <= v(row, "staff.physician"), (code, year)
            assert v(row, "staff.physician") + v(row, "staff.nurse") <= v(row, "staff.health_technical")
            assert v(row, "staff.health_technical") <= v(row, "staff.total")
            assert v(row, "equip.ambulance_negative_pressure") <= v(row, "equip.ambulance")
            assert v(row, "svc.bed_days_occupied") <= v(row, "svc.bed_days_open")
            assert v(row, "svc.day_surgeries") <= v(row, "svc.elective_surgeries")
            if row["staff.professional_technical"]:
                assert v(row, "staff.health_technical") <= v(row, "staff.professional_technical") <= v(
                    row, "staff.total")


def _ring_contains(ring: list[list[float]], lon: float, lat: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (x2 - x1) * (lat - y1) / (y2 - y1):
            inside = not inside
    return inside


def _inside(geometry: dict[str, list[list[list[list[float]]]]], lon: float, lat: float) -> bool:
    return any(
        _ring_contains(polygon[0], lon, lat) and not any(_ring_contains(h, lon, lat) for h in polygon[1:])
        for polygon in geometry["coordinates"]
    )


@pytest.mark.parametrize("key", sorted(CITY))
def test_points_lie_inside_their_county(key: str) -> None:
    region = load(key)
    shapes = {
        feature["properties"]["code"]: feature["geometry"]
        for feature in json.loads((DATA / key / "boundaries.geojson").read_text(encoding="utf-8"))["features"]
    }
    parent = {o["code"]: o["parent_code"] for o in region.orgunits}
    counties = [o for o in region.orgunits if o["level"] == "county"]
    assert {o["code"] for o in counties} == set(shapes)
    for o in region.orgunits:
        if o["level"] in ("county", "township"):
            county = o["code"] if o["level"] == "county" else o["parent_code"]
            assert _inside(shapes[county], float(o["lon"]), float(o["lat"])), o["code"]
    for f in region.facilities:
        assert _inside(shapes[parent[f["parent_code"]]], float(f["lon"]), float(f["lat"])), f["code"]


@pytest.mark.parametrize("key", sorted(CITY))
def test_boundaries_are_wgs84_near_the_gcj02_source(key: str) -> None:
    """WGS84 lies a few hundred metres south-west of GCJ-02 in Shanxi; same vertex count."""
    source = json.loads((REFERENCE / "data" / "boundaries" / f"{CITY[key]}_full.json").read_text(encoding="utf-8"))
    ours = {f["properties"]["code"]: f for f in json.loads((DATA / key / "boundaries.geojson").read_text())[
        "features"]}
    for feature in source["features"]:
        gcj = feature["geometry"]["coordinates"][0][0][0]
        wgs = ours[str(feature["properties"]["adcode"])]["geometry"]["coordinates"][0][0][0]
        assert 0.001 < gcj[0] - wgs[0] < 0.01 and -0.005 < gcj[1] - wgs[1] < 0.005


@pytest.mark.parametrize("key", sorted(CITY))
def test_populations_add_up(key: str) -> None:
    region = load(key)
    with (REFERENCE / "data" / "census_2020_counties.csv").open(encoding="utf-8") as handle:
        census = {row["adcode"]: int(row["population"]) for row in csv.DictReader(handle)}
    counties = [o["code"] for o in region.orgunits if o["level"] == "county"]
    townships: dict[str, list[str]] = defaultdict(list)
    for o in region.orgunits:
        if o["level"] == "township":
            townships[o["parent_code"]].append(o["code"])
    for year in YEARS[key]:
        county_pops = {c: region.area("pop.resident", year, c) or Fraction(0) for c in counties}
        assert all(county_pops.values())
        assert region.population(year) == sum(county_pops.values())
        for county, pop in county_pops.items():
            assert sum(region.area("pop.resident", year, t) or 0 for t in townships[county]) == pop
    for county in counties:
        expected = census.get(county, 71_744)  # 朔州经济开发区: city total − its six counties
        assert region.area("pop.resident", 2020, county) == expected
    assert region.population(2020) == {"jincheng": 2_194_545, "shuozhou": 1_593_444}[key]


# ---- the 2021–2024 path shows every target status -----------------------------------------------------

TARGETS = {  # (indicator, op, 2025 target) from 晋城 表2 / 朔州 表1
    "jincheng": [("beds_per_1000", "ge", 7), ("physicians_per_1000", "ge", 3), ("nurses_per_1000", "ge", 3.8),
                 ("gps_per_10000", "ge", 3.5), ("geriatrics_dept_share", "ge", 70),
                 ("psychiatric_beds_per_1000", "ge", 0.78), ("ambulances_per_10000", "ge", 0.32),
                 ("infant_mortality", "le", 5.25), ("maternal_mortality", "le", 12.5)],
    "shuozhou": [("beds_per_1000", "ge", 7.5), ("physicians_per_1000", "ge", 3.8), ("gps_per_10000", "ge", 3.5),
                 ("psychiatric_beds_per_1000", "ge", 0.78), ("public_health_staff_per_1000", "ge", 0.83),
                 ("geriatrics_dept_share", "ge", 70), ("infectious_dept_share", "ge", 100),
                 ("oop_share", "le", 27.54), ("childcare_places_per_1000", "ge", 4.5)],
}


def status(baseline: Fraction, value: Fraction, op: str, target: float, year: int) -> str:
    sign = 1 if op == "ge" else -1
    goal = Fraction(str(target))
    if sign * (value - goal) >= 0:
        return "met"
    if sign * (value - baseline) < 0:
        return "regressing"
    trajectory = baseline + (goal - baseline) * Fraction(year - 2020, 5)
    return "on_track" if sign * (value - trajectory) >= 0 else "behind"


@pytest.mark.parametrize("key", sorted(TARGETS))
def test_2024_shows_every_status(key: str) -> None:
    region = load(key)
    statuses = {
        indicator: status(INDICATORS[indicator](region, 2020), INDICATORS[indicator](region, 2024), op, target,
                          2024)
        for indicator, op, target in TARGETS[key]
    }
    assert set(statuses.values()) == {"met", "on_track", "behind", "regressing"}, statuses


# ---- reproducibility -----------------------------------------------------------------------------------


def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    env = {**os.environ, "HEALTHPLAN_REFERENCE": str(REFERENCE)}
    subprocess.run([sys.executable, "-m", "healthplan.demo.synthesize", "--out", str(tmp_path)], check=True,
                   env=env, capture_output=True)
    for key in CITY:
        names = sorted(p.name for p in (DATA / key).iterdir())
        assert names == sorted(p.name for p in (tmp_path / key).iterdir())
        for name in names:
            assert (tmp_path / key / name).read_bytes() == (DATA / key / name).read_bytes(), f"{key}/{name}"
