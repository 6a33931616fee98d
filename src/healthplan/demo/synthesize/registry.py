"""The facility registry: who exists, where, with which attributes, and how that changed over the years.

The census-year roster is built to match the plan's published counts exactly (named institutions from the
spec, 乡镇卫生院 from the township layout, the rest from :class:`FacilityMix` groups placed by population).
History is then laid on top: opening dates, the spec's events (upgrades, renames, moves, closures), the
formation of 医共体/医联体 (a new version for every member), and the churn of village clinics and private
clinics. Each change closes the current version (``valid_to`` = the day the next starts, exclusive).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np

from . import geo
from .calibrate import apportion
from .census import CENSUS_YEAR
from .orgunits import County, Geography, Township
from .spec import (
    HOSPITAL_CATEGORIES,
    PRIMARY_CARE_CATEGORIES,
    PUBLIC_HEALTH_CATEGORIES,
    Event,
    FacilityMix,
    NamedFacility,
    RegionSpec,
)
from .streams import stream

TRAITS = (
    "growth",
    "open_ratio",
    "approved_ratio",
    "occupancy",
    "stay",
    "activity",
    "staffing",
    "nurse_mix",
    "tcm_mix",
    "village_doctors",
    "village_physician",
    "ambulance",
    "emr",
    "centres",
    "noise",
)

_STEMS = (  # name stems of private facilities (illustrative)
    "仁爱", "康宁", "博爱", "仁和", "华康", "济民", "同仁", "安康", "惠民", "德康", "益民",
    "福康", "瑞康", "康泰", "恒康", "永安", "太行", "长平", "凤城", "泽康", "佳和", "和平",
    "康馨", "民康", "安泰", "仁德", "弘康", "泰和", "华佗", "宏仁", "盛康", "友谊", "平安",
    "新华", "健民", "慈济", "爱康", "寿康", "嘉和", "广济",
)
_SUFFIX = {
    "general_hospital": "医院",
    "tcm_hospital": "中医医院",
    "integrated_hospital": "中西医结合医院",
    "nursing_home": "护理院",
    "community_health_center": "社区卫生服务中心",
    "psychiatric": "精神病医院",
    "stomatology": "口腔医院",
    "eye": "眼科医院",
    "maternity": "妇产医院",
    "rehabilitation": "康复医院",
    "oncology": "肿瘤医院",
    "children": "儿童医院",
    "other": "骨科医院",
}


@dataclass(frozen=True)
class Version:
    """One registry version of a facility (the columns of ``facilities.csv``)."""

    code: str
    name: str
    parent_code: str
    category: str
    specialty: str
    level: int
    grade: str
    ownership: str
    host: str
    urban_rural: str
    lat: float
    lon: float
    valid_from: date
    valid_to: date | None
    groups: tuple[str, ...]
    central: bool

    @property
    def is_hospital(self) -> bool:
        return self.category in HOSPITAL_CATEGORIES

    @property
    def is_primary_care(self) -> bool:
        return self.category in PRIMARY_CARE_CATEGORIES

    @property
    def is_public_health(self) -> bool:
        return self.category in PUBLIC_HEALTH_CATEGORIES

    def active_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass
class Facility:
    """A facility with its versions, relative size and the uniform draws (traits) its values are made from."""

    code: str
    key: str
    county: str
    size: float
    traits: dict[str, float]
    versions: list[Version]
    size_steps: list[tuple[date, float]] = field(default_factory=list)
    firsts: tuple[str, ...] = ()

    @property
    def opened(self) -> date:
        return self.versions[0].valid_from

    def version_on(self, day: date) -> Version | None:
        return next((v for v in self.versions if v.active_on(day)), None)

    def size_at(self, day: date) -> float:
        """Relative size on ``day``: the census-year size moved by the facility's own growth rate and by the
        size steps of its events (a new building, an upgrade)."""
        growth = 0.06 * (self.traits["growth"] - 0.5)
        factor = 1.0
        for step_day, step in self.size_steps:
            if step_day <= day:
                factor *= step
        return self.size * (1 + growth) ** (day.year - CENSUS_YEAR) * factor


@dataclass
class _Draft:
    """A facility before its history is laid down."""

    key: str
    name: str
    county: County
    township: Township
    category: str
    ownership: str
    host: str
    size: float
    opened: date
    specialty: str = ""
    level: int = 0
    grade: str = ""
    central: bool = False
    city_level: bool = False
    firsts: tuple[str, ...] = ()
    closes: date | None = None


def _day_in_year(year: int, rng: np.random.Generator) -> date:
    return date(year, 1, 1) + timedelta(days=int(rng.integers(0, 365)))


def _day_between(first: date, last: date, rng: np.random.Generator) -> date:
    return first + timedelta(days=int(rng.integers(0, (last - first).days + 1)))


class _Builder:
    def __init__(self, region: RegionSpec, geography: Geography) -> None:
        self.region = region
        self.geography = geography
        self.drafts: list[_Draft] = []
        self.stem_counter: Counter[str] = Counter()
        self.name_counter: Counter[str] = Counter()

    # ---- placement -------------------------------------------------------------------------------------

    def _urban_townships(self, county: County) -> list[Township]:
        return [t for i, t in enumerate(county.townships) if t.kind == "street" or i == 0]

    def _township_for(self, spec: NamedFacility, county: County) -> Township:
        rng = stream(self.region.key, "named-township", spec.key)
        if spec.township == "other" and len(county.townships) > 1:
            others = list(county.townships[1:])
            weights = np.array([t.population for t in others], dtype=float)
            return others[int(rng.choice(len(others), p=weights / weights.sum()))]
        if spec.city_level:
            urban = self._urban_townships(county)
            return urban[int(rng.integers(0, len(urban)))]
        return county.seat_township

    def _numbered(self, base: str) -> str:
        self.name_counter[base] += 1
        return f"{base}{self.name_counter[base]:02d}"

    def _private_name(self, county: County, suffix: str) -> str:
        index = self.stem_counter[county.code]
        self.stem_counter[county.code] += 1
        stem = _STEMS[index % len(_STEMS)]
        extra = "" if index < len(_STEMS) else str(index // len(_STEMS) + 1)
        return f"{county.name}{stem}{extra}{suffix}"

    # ---- the census-year roster ------------------------------------------------------------------------

    def add_named(self) -> None:
        for spec in self.region.named:
            county = self.geography.county(spec.county)
            self.drafts.append(
                _Draft(
                    key=spec.key,
                    name=spec.name,
                    county=county,
                    township=self._township_for(spec, county),
                    category=spec.category,
                    ownership=spec.ownership,
                    host=spec.host,
                    size=spec.size,
                    opened=date.fromisoformat(spec.opened),
                    specialty=spec.specialty,
                    level=spec.level,
                    grade=spec.grade,
                    city_level=spec.city_level,
                    firsts=spec.firsts,
                )
            )

    def add_health_centers(self) -> None:
        """乡镇卫生院: one per 镇 and 乡, plus branches in the most populous rural townships and 街道卫生院."""
        for county in self.geography.counties:
            layout = county.spec.layout
            rng = stream(self.region.key, "health-centers", county.code)
            rural = [t for t in county.townships if t.kind != "street"]
            streets = [t for t in county.townships if t.kind == "street"]
            for township in rural:
                central = township.kind == "town" and float(rng.random()) < 0.45
                suffix = "中心卫生院" if central else "卫生院"
                self._add_center(f"THC-{township.code}", f"{township.name}{suffix}", county, township, central,
                                 size=float(rng.uniform(35, 75) if central else rng.uniform(10, 40)))
            by_rural = sorted(rural, key=lambda t: (-t.rural, t.code))
            for township in by_rural[: layout.extra_health_centers]:
                self._add_center(f"THC-{township.code}-2", f"{township.name}卫生院分院", county, township, False,
                                 size=float(rng.uniform(6, 18)))
            for township in streets[: layout.street_health_centers]:
                self._add_center(f"THC-{township.code}", f"{township.name}卫生院", county, township, False,
                                 size=float(rng.uniform(8, 20)))

    def _add_center(self, key: str, name: str, county: County, township: Township, central: bool,
                    size: float) -> None:
        rng = stream(self.region.key, "opened", key)
        self.drafts.append(
            _Draft(key=key, name=name, county=county, township=township, category="township_health_center",
                   ownership="public", host="township", size=size, opened=_day_in_year(int(rng.integers(1952, 1985)),
                                                                                        rng),
                   level=1, central=central)
        )

    def add_community(self) -> None:
        """Public 社区卫生服务中心 (one per 街道 first, then the county seat town) and 服务站 (by urban residents)."""
        for county in self.geography.counties:
            rng = stream(self.region.key, "community", county.code)
            places = self._urban_townships(county) + [t for t in county.townships[1:] if t.kind == "town"]
            for index in range(county.spec.community_centers):
                township = places[index % len(places)]
                base = f"{township.name}社区卫生服务中心"
                name = base if index < len(places) else f"{township.name}第二社区卫生服务中心"
                self.drafts.append(
                    _Draft(key=f"CHC-{county.code}-{index + 1}", name=name, county=county, township=township,
                           category="community_health_center", ownership="public", host="county",
                           size=float(rng.uniform(4, 25)), opened=_day_in_year(int(rng.integers(2003, 2013)), rng),
                           level=1)
                )
            urban = self._urban_townships(county)
            counts = apportion(county.spec.community_stations, [float(t.urban) + 1.0 for t in urban])
            for township, count in zip(urban, counts, strict=True):
                for _ in range(count):
                    self.drafts.append(
                        _Draft(key=f"CHS-{county.code}-{len(self.drafts)}",
                               name=self._numbered(f"{township.name}社区卫生服务站"), county=county,
                               township=township, category="community_health_station", ownership="public",
                               host="county", size=float(rng.uniform(3, 8)),
                               opened=_day_in_year(int(rng.integers(2005, 2016)), rng))
                    )

    def _mix_townships(self, mix: FacilityMix, count: int, rng: np.random.Generator) -> list[Township]:
        townships = [t for c in self.geography.counties for t in c.townships]
        if mix.urban:
            weights = [t.urban + 0.1 * t.rural for t in townships]
        else:
            weights = [t.rural + 0.05 * t.urban for t in townships]
        if count >= 50:
            counts = apportion(count, weights)
            return [t for t, n in zip(townships, counts, strict=True) for _ in range(n)]
        p = np.array(weights, dtype=float)
        picks = rng.choice(len(townships), size=count, p=p / p.sum())
        return [townships[int(i)] for i in picks]

    def _mix_name(self, mix: FacilityMix, county: County, township: Township) -> str:
        if mix.category == "village_clinic":
            return self._numbered(f"{township.name}·村") + "卫生室"
        if mix.category == "clinic":
            return self._numbered(f"{township.name}·诊所")
        if mix.category == "outpatient_dept":
            return self._numbered(f"{township.name}·门诊部")
        if mix.category == "community_health_station":
            return self._numbered(f"{township.name}社区卫生服务站")
        if mix.host == "township":
            return f"{township.name}中心医院"
        if mix.host == "enterprise":
            return self._numbered(f"{township.name}煤矿职工医院")
        return self._private_name(county, _SUFFIX[mix.specialty or mix.category])

    def add_mix(self, mix: FacilityMix, count: int, tag: str, opened: tuple[int, int]) -> list[_Draft]:
        rng = stream(self.region.key, "mix", tag, mix.category, mix.specialty, mix.ownership, mix.level)
        added: list[_Draft] = []
        for index, township in enumerate(self._mix_townships(mix, count, rng)):
            county = self.geography.county(township.county)
            draft = _Draft(
                key=f"{tag}-{mix.category}-{mix.specialty}-{mix.ownership}-{mix.level}-{index}",
                name=self._mix_name(mix, county, township),
                county=county,
                township=township,
                category=mix.category,
                ownership=mix.ownership,
                host=mix.host,
                size=float(rng.uniform(*mix.size)),
                opened=_day_in_year(int(rng.integers(opened[0], opened[1] + 1)), rng),
                specialty=mix.specialty,
                level=mix.level,
                grade=mix.grade,
            )
            self.drafts.append(draft)
            added.append(draft)
        return added

    # ---- churn -----------------------------------------------------------------------------------------

    def add_churn(self) -> None:
        region, churn = self.region, self.region.churn
        rng = stream(region.key, "churn")
        first_close = date(region.first_year + 1, 1, 1)
        census_end = date(CENSUS_YEAR, 12, 31)
        after_start, last_end = date(CENSUS_YEAR + 1, 1, 1), date(region.last_year, 12, 31)
        villages = [m for m in region.mixes if m.category == "village_clinic"]
        clinics = next(m for m in region.mixes if m.category == "clinic")
        village_total = sum(m.count for m in villages)
        for mix in villages:
            share = round(churn.village_closed_before * mix.count / village_total)
            for draft in self.add_mix(mix, share, "closed-before", (1988, 2008)):
                draft.closes = _day_between(first_close, census_end, rng)
        for draft in self.add_mix(clinics, churn.clinics_closed_before, "closed-before", (2004, 2016)):
            draft.closes = _day_between(max(first_close, draft.opened + timedelta(days=400)), census_end, rng)
        for draft in self.add_mix(clinics, churn.clinics_opened_after, "opened-after", (CENSUS_YEAR + 1,
                                                                                         region.last_year)):
            if float(rng.random()) < 0.15 and draft.opened.year < region.last_year:
                draft.closes = _day_between(draft.opened + timedelta(days=200), last_end, rng)
        census_roster = [d for d in self.drafts if d.closes is None and d.opened <= census_end]
        for category, count in (
            ("village_clinic", churn.village_closed_after),
            ("clinic", churn.clinics_closed_after),
        ):
            pool = [d for d in census_roster if d.category == category]
            for index in sorted(int(i) for i in rng.choice(len(pool), size=count, replace=False)):
                pool[index].closes = _day_between(after_start, last_end, rng)
        branches = [d for d in census_roster if d.key.startswith("THC-") and d.key.endswith("-2")]
        for draft in branches[: churn.health_centers_merged_after]:
            draft.closes = _day_between(after_start, last_end, rng)


def _codes(drafts: Sequence[_Draft], city: str) -> list[str]:
    serial: Counter[str] = Counter()
    out: list[str] = []
    for draft in drafts:
        prefix = city if draft.city_level else draft.county.code
        serial[prefix] += 1
        out.append(f"{prefix}{serial[prefix]:05d}")
    return out


def _radius_km(draft: _Draft) -> float:
    if draft.category == "village_clinic":
        return 1.2 if draft.township.kind == "street" else 4.0
    if draft.category in ("clinic", "outpatient_dept", "community_health_station"):
        return 1.5
    return 1.0


def _group_joins(region: RegionSpec, draft: _Draft) -> list[tuple[date, str]]:
    joins: list[tuple[date, str]] = []
    for group in region.groups:
        member = draft.key in group.members or (
            group.county == draft.county.code
            and draft.ownership == "public"
            and draft.category in ("township_health_center", "community_health_center")
        )
        if member:
            joins.append((date.fromisoformat(group.start), group.code))
    return joins


def _history(region: RegionSpec, draft: _Draft, code: str) -> Facility:
    """Lay the versions of one facility down: opening state, then every dated change in order."""
    rng = stream(region.key, "place", draft.key)
    point = geo.point_near(draft.county.shape.shape, draft.township.seat, _radius_km(draft), rng)
    first = Version(
        code=code, name=draft.name, parent_code=draft.township.code, category=draft.category,
        specialty=draft.specialty, level=draft.level, grade=draft.grade, ownership=draft.ownership, host=draft.host,
        urban_rural=draft.township.urban_rural, lat=point[1], lon=point[0], valid_from=draft.opened, valid_to=None,
        groups=(), central=draft.central,
    )
    events = [e for e in region.events if e.key == draft.key]
    changes: dict[date, list[Event | str]] = {}
    for event in events:
        changes.setdefault(date.fromisoformat(event.day), []).append(event)
    for day, group in _group_joins(region, draft):
        changes.setdefault(max(day, draft.opened), []).append(group)
    if draft.closes is not None:
        changes.setdefault(draft.closes, []).append(Event(draft.key, draft.closes.isoformat(), close=True))
    versions = [first]
    steps: list[tuple[date, float]] = []
    for day in sorted(changes):
        current = versions[-1]
        updated = current
        closing = False
        for change in changes[day]:
            if isinstance(change, str):
                updated = replace(updated, groups=tuple(sorted({*updated.groups, change})))
                continue
            closing = closing or change.close
            if change.size_factor != 1.0:
                steps.append((day, change.size_factor))
            updated = _apply(updated, change, draft, region.key)
        if day == current.valid_from:
            versions[-1] = replace(updated, valid_from=day)
        else:
            versions[-1] = replace(current, valid_to=day)
            if not closing:
                versions.append(replace(updated, valid_from=day, valid_to=None))
        if closing:
            break
    traits_rng = stream(region.key, "traits", draft.key)
    traits = {name: float(traits_rng.random()) for name in TRAITS}
    return Facility(code=code, key=draft.key, county=draft.county.code, size=draft.size, traits=traits,
                    versions=versions, size_steps=steps, firsts=draft.firsts)


def _apply(version: Version, event: Event, draft: _Draft, region: str) -> Version:
    updated = version
    if event.level is not None:
        updated = replace(updated, level=event.level)
    if event.grade is not None:
        updated = replace(updated, grade=event.grade)
    if event.name is not None:
        updated = replace(updated, name=event.name)
    if event.move:
        candidates = [t for t in draft.county.townships if t.code != version.parent_code]
        target = max(candidates, key=lambda t: (t.population, t.code))
        rng = stream(region, "move", draft.key, event.day)
        point = geo.point_near(draft.county.shape.shape, target.seat, 1.5, rng)
        updated = replace(updated, parent_code=target.code, urban_rural=target.urban_rural, lat=point[1],
                          lon=point[0])
    return updated


def build_registry(region: RegionSpec, geography: Geography) -> list[Facility]:
    """Every facility of the region with its versions, in code order."""
    builder = _Builder(region, geography)
    builder.add_named()
    builder.add_health_centers()
    builder.add_community()
    for mix in region.mixes:
        builder.add_mix(mix, mix.count, "roster", mix.opened)
    builder.add_churn()
    codes = _codes(builder.drafts, region.code)
    facilities = [_history(region, d, c) for d, c in zip(builder.drafts, codes, strict=True)]
    unknown = {e.key for e in region.events} - {f.key for f in facilities}
    if unknown:
        raise KeyError(f"events refer to unknown facilities: {sorted(unknown)}")
    return sorted(facilities, key=lambda f: f.code)


def active(facilities: Iterable[Facility], day: date) -> list[tuple[Facility, Version]]:
    """The facilities active on ``day`` with the version in force."""
    out: list[tuple[Facility, Version]] = []
    for facility in facilities:
        version = facility.version_on(day)
        if version is not None:
            out.append((facility, version))
    return out
