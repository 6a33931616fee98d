"""What the encounter generator is calibrated to: a demo region's registry and yearly statistics.

For every year the generator needs, per facility, how many outpatient/emergency visits and discharges it
reported (``svc.visits``, ``svc.discharges``), its average stay and surgery mix; per township, its resident
population; per county, the share of its residents' visits made inside the county
(``svc.resident_visits_in_county`` ÷ ``svc.resident_visits_total``). Residents choose facilities by distance and
level in an attraction-constrained gravity model: each facility's reported volume is shared among the townships
in proportion to population × exp(−distance / reach), the reach longer for higher levels, with a penalty for
crossing a county border. The visits residents make outside the city are then whatever brings each county's
in-county share to its reported value. All behaviour parameters are in :class:`Behaviour`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from healthplan.domain.problems import HealthplanError
from healthplan.domain.registry import PRIMARY_CARE, Category


class Tier(IntEnum):
    """How far people travel to a facility: 村卫生室/诊所, 乡镇卫生院/社区中心, 医院 by level."""

    VILLAGE = 0
    CENTER = 1
    HOSPITAL = 2
    HOSPITAL_2 = 3
    HOSPITAL_3 = 4


_VILLAGE = {Category.VILLAGE_CLINIC, Category.CLINIC, Category.COMMUNITY_HEALTH_STATION}
_CENTER = {Category.TOWNSHIP_HEALTH_CENTER, Category.COMMUNITY_HEALTH_CENTER, Category.OUTPATIENT_DEPT}


def tier_of(category: Category, level: int) -> Tier:
    if category in _VILLAGE:
        return Tier.VILLAGE
    if category in _CENTER:
        return Tier.CENTER
    return Tier.HOSPITAL_3 if level >= 3 else Tier.HOSPITAL_2 if level == 2 else Tier.HOSPITAL


@dataclass(frozen=True)
class Behaviour:
    """Assumed behaviour (synthetic, not from any source): per tier, from village clinic to 三级医院."""

    reach_km: tuple[float, ...] = (3.0, 8.0, 15.0, 25.0, 60.0)
    cross_county: tuple[float, ...] = (0.02, 0.05, 0.15, 0.3, 0.8)  # attraction across a county border
    non_resident: tuple[float, ...] = (0.002, 0.005, 0.02, 0.03, 0.05)  # share of visitors from outside
    emergency: tuple[float, ...] = (0.0, 0.01, 0.03, 0.06, 0.1)  # share of visits that are 急诊
    margin: float = 0.35  # at least this share of the gap to 100 % in-county goes out of the city
    out_of_city_inpatient: float = 0.15  # share of out-of-city encounters that are stays
    out_of_city_stay: float = 11.0  # days
    referral_up: tuple[float, float] = (0.01, 0.06)  # (visits, stays) at hospitals referred up, 2019
    referral_down: tuple[float, float] = (0.003, 0.03)  # at 基层 referred down, 2019
    referral_growth: float = 0.15  # a year: 医共体 make referrals commoner
    cost_visit: tuple[float, ...] = (30.0, 70.0, 160.0, 230.0, 340.0)  # median yuan 2019
    cost_stay: tuple[float, ...] = (1800.0, 2600.0, 4200.0, 6500.0, 11500.0)
    cost_day_surgery: float = 5200.0
    cost_outside: tuple[float, float] = (450.0, 18000.0)  # (visit, stay) out of the city
    cost_growth: float = 0.035
    oop_visit: tuple[float, ...] = (0.45, 0.45, 0.55, 0.55, 0.55)
    oop_stay: tuple[float, ...] = (0.15, 0.15, 0.28, 0.3, 0.35)
    oop_outside: tuple[float, float] = (0.6, 0.45)


#: Places of care and residence outside each demo city (6-digit 区划代码) with their weights.
OUTSIDE: dict[str, tuple[dict[str, float], dict[str, float]]] = {
    "140500": ({"140100": 0.45, "410100": 0.15, "140400": 0.15, "410800": 0.1, "110000": 0.15},
               {"140400": 0.4, "410800": 0.3, "410700": 0.2, "140100": 0.1}),
    "140600": ({"140100": 0.5, "140200": 0.2, "110000": 0.2, "150100": 0.1},
               {"140200": 0.4, "140900": 0.3, "150100": 0.2, "140100": 0.1}),
}
_DEFAULT_IN_COUNTY = 0.85


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str
    parent: str | None
    lat: float | None
    lon: float | None


@dataclass
class YearModel:
    """Everything the generator draws from in one year (arrays indexed by township / facility / county)."""

    year: int
    counties: list[str]
    towns: list[str]
    town_county: Any  # int index into counties
    town_pop: Any
    facilities: list[str]
    facility_county: Any
    tier: Any
    primary: Any  # bool: 基层医疗卫生机构
    visits: Any  # reported outpatient + emergency visits
    stays: Any  # reported discharges
    alos: Any
    surgical: Any  # share of stays with an elective surgery
    day_share: Any  # share of those done as day surgery
    origin: Any  # (facilities + counties) × (towns + 1) probabilities; last column: outside the city
    out_of_city: Any  # expected encounters of each county's residents outside the city
    home_center: Any  # per town: its nearest 乡镇卫生院/社区中心 (index into facilities)
    county_hospital: Any  # per county: its busiest hospital
    outside_places: dict[str, float] = field(default_factory=dict)
    outside_residences: dict[str, float] = field(default_factory=dict)

    @property
    def expected(self) -> float:
        return float(self.visits.sum() + self.stays.sum() + self.out_of_city.sum())


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def _number(text: str | None) -> float:
    return float(text) if text not in (None, "") else 0.0


def region_folder(region: str) -> Path:
    """The demo region named by its Chinese name (晋城/晋城市), folder name (jincheng) or city code."""
    root = Path(str(resources.files("healthplan.demo").joinpath("data")))
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for row in _rows(folder / "orgunits.csv"):
            if row["level"] == "city" and region in (folder.name, row["code"], row["name"],
                                                     row["name"].removesuffix("市")):
                return folder
    names = "、".join(sorted(p.name for p in root.iterdir() if p.is_dir()))
    raise HealthplanError(f"没有名为“{region}”的示范区域（可选：{names}）", f"no demo region {region!r} ({names})")


def _haversine(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(h))


class Region:
    """A demo region's files, read once; :meth:`year` calibrates one year."""

    def __init__(self, folder: Path, behaviour: Behaviour | None = None) -> None:
        self.folder = folder
        self.behaviour = behaviour or Behaviour()
        self.areas = {r["code"]: Area(r["code"], r["name"], r["level"], r["parent_code"] or None,
                                      float(r["lat"]) if r["lat"] else None, float(r["lon"]) if r["lon"] else None)
                      for r in _rows(folder / "orgunits.csv")}
        self.city = next(a for a in self.areas.values() if a.level == "city")
        self.versions: dict[str, list[dict[str, str]]] = {}
        for row in _rows(folder / "facilities.csv"):
            self.versions.setdefault(row["code"], []).append(row)
        self.values: dict[tuple[str, int], dict[str, str]] = {
            (r["org_unit"], int(r["period"])): r for r in _rows(folder / "facility_values.csv")}
        self.area_values: dict[tuple[str, str, int], float] = {
            (r["data_element"], r["org_unit"], int(r["period"])): float(r["value"])
            for r in _rows(folder / "area_values.csv") if r["period"].isdigit()}

    @property
    def years(self) -> list[int]:
        return sorted({y for _code, y in self.values})

    def county_of(self, code: str | None) -> str | None:
        area = self.areas.get(code) if code else None
        while area is not None and area.level not in ("county", "city"):
            area = self.areas.get(area.parent) if area.parent else None
        return area.code if area is not None and area.level == "county" else None

    def _version(self, code: str, year: int) -> dict[str, str] | None:
        end = dt.date(year, 12, 31).isoformat()
        for row in self.versions[code]:
            if row["valid_from"] <= end and (not row["valid_to"] or end < row["valid_to"]):
                return row
        return None

    def year(self, year: int) -> YearModel:
        if year not in self.years:
            raise HealthplanError(f"示范区域没有 {year} 年的数据（{self.years[0]}–{self.years[-1]} 年）",
                                  f"the demo region has no data for {year} ({self.years[0]}–{self.years[-1]})")
        b = self.behaviour
        counties = sorted(c for c, a in self.areas.items() if a.level == "county")
        towns = sorted(c for c, a in self.areas.items() if a.level == "township")
        town_county = np.array([counties.index(self.county_of(t) or "") for t in towns])
        town_pop = np.array([self.area_values.get(("pop.resident", t, year), 0.0) for t in towns])
        facilities, rows = [], []
        for code in sorted(self.versions):
            version, values = self._version(code, year), self.values.get((code, year))
            if version is None or values is None or self.county_of(version["parent_code"]) is None:
                continue
            if _number(values.get("svc.visits")) + _number(values.get("svc.discharges")) <= 0:
                continue
            facilities.append(code)
            rows.append((version, values))
        category = [Category(v["category"]) for v, _ in rows]
        tier = np.array([tier_of(c, int(v["level"] or 0)) for c, (v, _) in zip(category, rows, strict=True)])
        stays = np.array([_number(x.get("svc.discharges")) for _, x in rows])
        bed_days = np.array([_number(x.get("svc.discharged_bed_days")) for _, x in rows])
        elective = np.array([_number(x.get("svc.elective_surgeries")) for _, x in rows])
        day = np.array([_number(x.get("svc.day_surgeries")) for _, x in rows])
        model = YearModel(
            year=year, counties=counties, towns=towns, town_county=town_county, town_pop=town_pop,
            facilities=facilities, facility_county=np.array([counties.index(self.county_of(v["parent_code"]) or "")
                                                             for v, _ in rows]),
            tier=tier, primary=np.array([c in PRIMARY_CARE for c in category]),
            visits=np.array([_number(x.get("svc.visits")) for _, x in rows]), stays=stays,
            alos=np.divide(bed_days, stays, out=np.zeros_like(stays), where=stays > 0),
            surgical=np.minimum(np.divide(elective, stays, out=np.zeros_like(stays), where=stays > 0), 0.9),
            day_share=np.divide(day, elective, out=np.zeros_like(stays), where=elective > 0),
            origin=np.zeros(0), out_of_city=np.zeros(len(counties)),
            home_center=np.zeros(len(towns), dtype=np.int64), county_hospital=np.zeros(len(counties), dtype=np.int64),
            outside_places=OUTSIDE.get(self.city.code, OUTSIDE["140500"])[0],
            outside_residences=OUTSIDE.get(self.city.code, OUTSIDE["140500"])[1])
        lat = np.array([float(v["lat"]) for v, _ in rows])
        lon = np.array([float(v["lon"]) for v, _ in rows])
        town_lat = np.array([self.areas[t].lat or 0.0 for t in towns])
        town_lon = np.array([self.areas[t].lon or 0.0 for t in towns])
        distance = _haversine(lat[:, None], lon[:, None], town_lat[None, :], town_lon[None, :])
        _calibrate(model, distance, b, [self._in_county(c, year) for c in counties])
        self._referral_partners(model, distance)
        return model

    def _in_county(self, county: str, year: int) -> float:
        inside = self.area_values.get(("svc.resident_visits_in_county", county, year))
        total = self.area_values.get(("svc.resident_visits_total", county, year))
        return inside / total if inside is not None and total else _DEFAULT_IN_COUNTY

    @staticmethod
    def _referral_partners(model: YearModel, distance: Any) -> None:
        centers = np.flatnonzero(model.tier == Tier.CENTER)
        for t in range(len(model.towns)):
            own = centers[model.facility_county[centers] == model.town_county[t]]
            pool = own if len(own) else centers
            model.home_center[t] = pool[np.argmin(distance[pool, t])] if len(pool) else 0
        hospitals = np.flatnonzero(model.tier >= Tier.HOSPITAL)
        for c in range(len(model.counties)):
            own = hospitals[model.facility_county[hospitals] == c]
            pool = own if len(own) else hospitals
            model.county_hospital[c] = pool[np.argmax(model.visits[pool])] if len(pool) else 0


def _calibrate(model: YearModel, distance: Any, b: Behaviour, in_county: list[float]) -> None:
    """Origins of every facility's patients, and each county's out-of-city volume (see the module docstring)."""
    tier = model.tier
    reach = np.array(b.reach_km)[tier][:, None]
    cross = np.array(b.cross_county)[tier][:, None]
    border = model.facility_county[:, None] != model.town_county[None, :]
    base = model.town_pop[None, :] * np.exp(-distance / reach)
    target = np.array(in_county)
    damp = np.ones(len(model.counties))  # per resident county: fewer trips to other counties when needed
    volume = model.visits + model.stays
    for _ in range(40):
        kernel = base * np.where(border, cross * damp[model.town_county][None, :], 1.0)
        share = kernel / np.maximum(kernel.sum(axis=1, keepdims=True), 1e-300)
        flows = volume[:, None] * share
        inside = np.bincount(model.town_county, (flows * ~border).sum(axis=0), len(model.counties))
        in_city = np.bincount(model.town_county, flows.sum(axis=0), len(model.counties))
        ceiling = target + b.margin * (1 - target)
        short = inside < ceiling * in_city
        if not short.any():
            break
        damp[short] *= 0.7
    resident = np.array(b.non_resident)[tier]
    facility_rows = np.hstack([share * (1 - resident)[:, None], resident[:, None]])
    county_rows = np.zeros((len(model.counties), len(model.towns) + 1))
    for c in range(len(model.counties)):
        pop = np.where(model.town_county == c, model.town_pop, 0.0)
        county_rows[c, :-1] = pop / max(pop.sum(), 1e-300)
    model.origin = np.vstack([facility_rows, county_rows])
    resident_flows = volume[:, None] * facility_rows[:, :-1]
    inside = np.bincount(model.town_county, (resident_flows * ~border).sum(axis=0), len(model.counties))
    in_city = np.bincount(model.town_county, resident_flows.sum(axis=0), len(model.counties))
    model.out_of_city = np.maximum(inside / target - in_city, 0.0)
