"""A synthetic 山西省 for benchmarks: the census's county-level units, ≈40,000 facilities, 10 years of values.

Deterministic (numpy seed). Areas: province → 11 cities → every 山西 county-level unit in the 2020 census →
townships (one per ≈30,000 residents). Facilities per county in proportion to population, with the category mix
of a Chinese province (≈62 % village clinics, ≈22 % clinics, a township health center per township, hospitals,
public-health institutions); about a tenth have a second registry version (upgraded or moved) and some open or
close during the decade. Values per facility type as the yearly statistical report has them.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from healthplan.domain.data import DataElement
from healthplan.store.snapshot import Snapshot
from healthplan.store.values import core_data_elements

YEARS = list(range(2015, 2025))
CENSUS = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "data" / "census_2020_counties.csv"

# (category, share of facilities, level, data elements reported)
_HOSPITAL = ["beds.actual", "beds.approved", "beds.open", "beds.psychiatric", "beds.infectious",
             "beds.negative_pressure", "beds.icu", "staff.total", "staff.health_technical", "staff.physician",
             "staff.physician_tcm", "staff.nurse", "staff.pharmacist", "staff.psychiatrist", "equip.ambulance",
             "equip.ambulance_negative_pressure", "dept.geriatrics", "dept.infectious", "dept.tcm_clinical",
             "dept.mental", "dept.emergency", "dept.rehab", "cap.emr_level", "cap.smart_service_level",
             "cap.chest_pain_center", "cap.stroke_center", "svc.visits", "svc.discharges", "svc.bed_days_occupied",
             "svc.bed_days_open", "svc.discharged_bed_days", "svc.day_surgeries", "svc.elective_surgeries",
             "svc.referrals_up", "svc.referrals_down"]
_PRIMARY_CENTER = ["beds.actual", "staff.total", "staff.health_technical", "staff.physician", "staff.nurse",
                   "staff.gp", "staff.public_health_physician", "staff.pharmacist", "dept.fever_clinic",
                   "dept.tcm_hall", "svc.visits", "svc.discharges", "svc.bed_days_occupied", "svc.bed_days_open",
                   "svc.discharged_bed_days", "svc.referrals_up", "svc.referrals_down"]
_SMALL = ["staff.total", "staff.physician", "staff.nurse", "svc.visits"]
_PUBLIC_HEALTH = ["staff.total", "staff.established", "staff.professional_technical", "staff.health_technical",
                  "staff.public_health_physician", "equip.ambulance", "equip.ambulance_negative_pressure"]
_AREA = ["pop.resident", "pop.registered", "pop.age65plus", "pop.age0_2", "pop.key_groups", "vital.live_births",
         "vital.infant_deaths", "vital.under5_deaths", "vital.maternal_deaths", "childcare.places",
         "fin.basic_ph_funding", "svc.resident_visits_in_county", "svc.resident_visits_total",
         "ph.elderly_managed", "ph.hypertension_managed", "ph.hypertension_registered", "ph.diabetes_managed",
         "ph.diabetes_registered", "ph.key_pop_signed", "ph.tb_cases"]


@dataclass
class Province:
    snapshot: Snapshot
    elements: dict[str, DataElement]
    counties: list[str]
    facilities: int
    values: int


def _census() -> list[dict[str, str]]:
    with CENSUS.open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["province"] == "山西省"]


def build(seed: int = 2020) -> Province:
    rng = np.random.default_rng(seed)
    rows = _census()
    ids: list[int] = []
    codes: list[str] = []
    levels: list[str] = []
    parents: list[int | None] = []
    next_id = iter(range(1, 10_000_000))

    def area(code: str, level: str, parent: int | None) -> int:
        new = next(next_id)
        ids.append(new)
        codes.append(code)
        levels.append(level)
        parents.append(parent)
        return new

    province = area("140000", "province", None)
    cities: dict[str, int] = {}
    townships: list[tuple[int, int, float]] = []  # (id, county id, population)
    counties: list[tuple[int, str, float]] = []
    for r in rows:
        city_code = r["adcode"][:4] + "00"
        if city_code not in cities:
            cities[city_code] = area(city_code, "city", province)
        county = area(r["adcode"], "county", cities[city_code])
        pop = float(r["population"])
        counties.append((county, r["adcode"], pop))
        n_town = int(np.clip(round(pop / 30_000), 5, 25))
        weights = rng.dirichlet(np.ones(n_town) * 3)
        for t in range(n_town):
            townships.append((area(f"{r['adcode']}{t + 1:03d}", "township", county), county, pop * weights[t]))

    fac_rows: list[tuple[int, int, str, int, str, dt.date, dt.date | None]] = []  # id, parent, cat, level, owner, from, to
    fac_des: dict[int, list[str]] = {}
    town_by_county: dict[int, list[tuple[int, float]]] = {}
    for town, county, pop in townships:
        town_by_county.setdefault(county, []).append((town, pop))
    start = dt.date(2000, 1, 1)

    def facility(parent: int, category: str, level: int, owner: str, des: list[str]) -> None:
        fid = next(next_id)
        opened = start if rng.random() > 0.06 else dt.date(int(rng.integers(2016, 2024)), 1 + int(rng.integers(12)), 1)
        closed = None if rng.random() > 0.04 else dt.date(int(rng.integers(2016, 2025)), 1 + int(rng.integers(12)), 1)
        if closed is not None and closed <= opened:
            closed = None
        if rng.random() < 0.1 and closed is None:  # a second version: upgraded or moved in some year
            change = dt.date(int(rng.integers(2016, 2024)), 7, 1)
            if change > opened:
                fac_rows.append((fid, parent, category, level, owner, opened, change))
                fac_rows.append((fid, parent, category, min(level + 1, 3), owner, change, None))
                fac_des[fid] = des
                ids.append(fid)
                codes.append(f"F{fid}")
                levels.append("facility")
                parents.append(parent)
                return
        fac_rows.append((fid, parent, category, level, owner, opened, closed))
        fac_des[fid] = des
        ids.append(fid)
        codes.append(f"F{fid}")
        levels.append("facility")
        parents.append(parent)

    for county, _code, pop in counties:
        towns = town_by_county[county]
        n_hosp = max(3, round(pop / 25_000))
        for h in range(n_hosp):
            category = ["general_hospital", "tcm_hospital", "specialty_hospital", "general_hospital"][h % 4]
            facility(county if h < 2 else towns[h % len(towns)][0], category, 2 if h < 3 else int(rng.integers(0, 2)),
                     "public" if h < 3 or rng.random() < 0.4 else "private", _HOSPITAL)
        for category in ("cdc", "mch_center", "health_inspection") + (("emergency_center",) if rng.random() < 0.5 else ()):
            facility(county, category, 2 if category == "mch_center" else 0, "public", _PUBLIC_HEALTH)
        for town, town_pop in towns:
            facility(town, "township_health_center", 1, "public", _PRIMARY_CENTER)
            if rng.random() < 0.25:
                facility(town, "community_health_center", 0, "public", _PRIMARY_CENTER)
            for _ in range(max(1, round(town_pop / 1_250))):
                facility(town, "village_clinic", 0, "private" if rng.random() < 0.7 else "public", _SMALL)
            for _ in range(round(town_pop / 3_500)):
                facility(town, "clinic", 0, "private", _SMALL)

    elements = {e.code: e for e in core_data_elements()}
    de_col: list[str] = []
    ou_col: list[int] = []
    period_col: list[str] = []
    value_col: list[float] = []
    versions_by_id: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    for fid, _p, _c, _l, _o, vf, vt in fac_rows:
        versions_by_id.setdefault(fid, []).append((vf, vt))
    for fid, des in fac_des.items():
        spans = versions_by_id[fid]
        size = float(rng.lognormal(3, 1))
        for year in YEARS:
            end = dt.date(year, 12, 31)
            if not any(vf <= end and (vt is None or vt > dt.date(year, 1, 1)) for vf, vt in spans):
                continue
            growth = 1 + 0.03 * (year - 2015)
            for de in des:
                element = elements[de]
                if element.value_type.value == "boolean":
                    value = float(rng.random() < 0.3 + 0.04 * (year - 2015))
                elif de.startswith("cap."):
                    value = float(rng.integers(0, 3))
                else:
                    value = float(round(size * growth * (50 if de.startswith("svc.") else 1) * rng.uniform(0.5, 1.5)))
                de_col.append(de)
                ou_col.append(fid)
                period_col.append(str(year))
                value_col.append(value)
    for county, _code, pop in counties:
        for year in YEARS:
            p = pop * (1 - 0.004 * (year - 2020))
            for de in _AREA:
                share = {"pop.resident": 1.0, "pop.registered": 1.05, "pop.age65plus": 0.14, "pop.age0_2": 0.025,
                         "pop.key_groups": 0.3, "vital.live_births": 0.009, "vital.infant_deaths": 0.00003,
                         "vital.under5_deaths": 0.00004, "vital.maternal_deaths": 0.0000015,
                         "childcare.places": 0.002, "fin.basic_ph_funding": 80.0,
                         "svc.resident_visits_in_county": 4.0, "svc.resident_visits_total": 4.6,
                         "ph.elderly_managed": 0.1, "ph.hypertension_managed": 0.12,
                         "ph.hypertension_registered": 0.16, "ph.diabetes_managed": 0.04,
                         "ph.diabetes_registered": 0.05, "ph.key_pop_signed": 0.22, "ph.tb_cases": 0.0003}[de]
                de_col.append(de)
                ou_col.append(county)
                period_col.append(str(year))
                value_col.append(float(round(p * share * rng.uniform(0.95, 1.05))))
    for town, _county, pop in townships:
        for year in YEARS:
            de_col.append("pop.resident")
            ou_col.append(town)
            period_col.append(str(year))
            value_col.append(float(round(pop * (1 - 0.004 * (year - 2020)))))
    org_units = pa.table({"id": pa.array(ids, pa.int64()), "code": codes, "name": codes, "level": levels,
                          "parent_id": pa.array(parents, pa.int64()),
                          "urban_rural": pa.array([None] * len(ids), pa.string())})
    f = fac_rows
    versions = pa.table({
        "fid": pa.array([r[0] for r in f], pa.int64()), "valid_from": pa.array([r[5] for r in f], pa.date32()),
        "valid_to": pa.array([r[6] for r in f], pa.date32()), "parent_id": pa.array([r[1] for r in f], pa.int64()),
        "category": [r[2] for r in f], "specialty": pa.array([None] * len(f), pa.string()),
        "level": pa.array([r[3] for r in f], pa.int64()), "grade": pa.array([None] * len(f), pa.string()),
        "ownership": [r[4] for r in f], "host": pa.array(["county"] * len(f), pa.string()),
        "urban_rural": pa.array([None] * len(f), pa.string()), "central": pa.array([False] * len(f), pa.bool_()),
        "groups": pa.array([""] * len(f), pa.string())})
    values = pa.table({"de": de_col, "ou_id": pa.array(ou_col, pa.int64()), "period": period_col,
                       "value": pa.array(value_col, pa.float64())})
    data_elements = pa.table({"code": list(elements), "kind": [e.kind.value for e in elements.values()],
                              "aggregation": [e.aggregation.value for e in elements.values()]})
    return Province(Snapshot(org_units, versions, values, data_elements, 0), elements,
                    [c[1] for c in counties], len(fac_des), len(value_col))
