"""The registered region as the encounter analytics see it: which county and city every code belongs to.

Two kinds of code may appear in an encounter besides the registry's own: a place of care or residence *outside*
the registered region, given as its 6-digit 区划代码 (a 晋城 resident treated in 太原 → ``140100``; residence
codes may also have 9 or 12 digits). A code inside a registered city or county must be in the registry itself,
otherwise it is unknown and the row is quarantined. Facilities are located as of the year's end (the latest
registry version that started by 31 December), beds are the registry's ``beds.open`` (开放床位) of the year.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from healthplan.domain.registry import PRIMARY_CARE, Category, FacilityVersion, Level, OrgUnit
from healthplan.store.registry import all_facility_versions, list_areas
from healthplan.store.values import read_values

BEDS_ELEMENT = "beds.open"
_RESIDENCE_PATTERN = r"^[1-9][0-9]{5}([0-9]{3}([0-9]{3})?)?$"
_PLACE_PATTERN = r"^[1-9][0-9]{5}$"


@dataclass(frozen=True)
class Located:
    """A facility as of one year: where it stands and whether it is 基层医疗卫生机构."""

    code: str
    county: str | None
    city: str | None
    primary_care: bool
    beds_open: float | None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


class Territory:
    """Areas, the effective-dated facility registry and each year's open beds of one database."""

    def __init__(self, areas: Iterable[OrgUnit], facilities: Iterable[FacilityVersion],
                 beds: Mapping[tuple[str, int], float]) -> None:
        self.areas = {a.code: a for a in areas}
        self.versions: dict[str, list[FacilityVersion]] = {}
        for version in sorted(facilities, key=lambda v: v.valid_from):
            self.versions.setdefault(version.code, []).append(version)
        self.beds = dict(beds)
        self._county = {code: self._ancestor(code, Level.COUNTY) for code in self.areas}
        self._city = {code: self._ancestor(code, Level.CITY) for code in self.areas}
        self.city_prefixes = sorted({c[:4] for c, a in self.areas.items() if a.level is Level.CITY})
        self.county_prefixes = sorted({c[:6] for c, a in self.areas.items() if a.level is Level.COUNTY})
        self._located: dict[int, list[Located]] = {}

    @classmethod
    def from_files(cls, folder: Path) -> Territory:
        """From a folder of registry files in the import layout (``orgunits.csv``, ``facilities.csv``,
        ``facility_values.csv`` with a ``beds.open`` column) — e.g. a demo region, without a database."""
        areas = [OrgUnit(r["code"], r["name"], Level(r["level"]), r["parent_code"] or None)
                 for r in _rows(folder / "orgunits.csv")]
        facilities = [FacilityVersion(r["code"], r["name"], r["parent_code"], Category(r["category"]),
                                      dt.date.fromisoformat(r["valid_from"]),
                                      dt.date.fromisoformat(r["valid_to"]) if r.get("valid_to") else None,
                                      level=int(r.get("level") or 0))
                      for r in _rows(folder / "facilities.csv")]
        beds = {(r["org_unit"], int(r["period"])): float(r[BEDS_ELEMENT])
                for r in _rows(folder / "facility_values.csv") if r.get(BEDS_ELEMENT)}
        return cls(areas, facilities, beds)

    @classmethod
    def from_store(cls, session: Session) -> Territory:
        beds: dict[tuple[str, int], float] = {}
        for _de, org_unit, period, _disaggregation, value, _comment in read_values(session, BEDS_ELEMENT):
            if len(period) == 4 and period.isdigit():
                key = (org_unit, int(period))
                beds[key] = beds.get(key, 0.0) + value
        return cls(list_areas(session), all_facility_versions(session), beds)

    def _ancestor(self, code: str, level: Level) -> str | None:
        area = self.areas.get(code)
        while area is not None and area.level.depth > level.depth:
            area = self.areas.get(area.parent_code) if area.parent_code else None
        return area.code if area is not None and area.level is level else None

    def county_of(self, area_code: str) -> str | None:
        return self._county.get(area_code)

    def city_of(self, area_code: str) -> str | None:
        return self._city.get(area_code)

    def name(self, code: str) -> str:
        area = self.areas.get(code)
        return area.name if area is not None else f"登记范围外 {code}"

    def areas_at(self, level: Level) -> list[OrgUnit]:
        return sorted((a for a in self.areas.values() if a.level is level), key=lambda a: a.code)

    def version_in(self, code: str, year: int) -> FacilityVersion:
        """The version in force at the end of ``year`` (or the first one, for a facility opened later)."""
        history = self.versions[code]
        started = bisect.bisect_right(history, dt.date(year, 12, 31), key=lambda v: v.valid_from)
        return history[max(started - 1, 0)]

    def located(self, year: int) -> list[Located]:
        if year not in self._located:
            self._located[year] = self._locate(year)
        return self._located[year]

    def _locate(self, year: int) -> list[Located]:
        result = []
        for code in sorted(self.versions):
            version = self.version_in(code, year)
            result.append(Located(code, self.county_of(version.parent_code), self.city_of(version.parent_code),
                                  version.category in PRIMARY_CARE, self.beds.get((code, year))))
        return result

    # ---- lookup tables joined to the encounters (small: one row per code) ----

    def residence_table(self) -> Any:
        """code → the county and city whose subtree holds it, for every registered area."""
        codes = sorted(self.areas)
        return pa.table({"r_code": pa.array(codes, pa.string()),
                         "res_county": pa.array([self._county[c] for c in codes], pa.string()),
                         "res_city": pa.array([self._city[c] for c in codes], pa.string())})

    def facility_table(self, years: list[int]) -> Any:
        """Per year and facility code: where it stands, whether it is 基层, its open beds."""
        rows = [(year, r) for year in years for r in self.located(year)]
        return pa.table({"f_year": pa.array([y for y, _ in rows], pa.int64()),
                         "f_code": pa.array([r.code for _, r in rows], pa.string()),
                         "fac_county": pa.array([r.county for _, r in rows], pa.string()),
                         "fac_city": pa.array([r.city for _, r in rows], pa.string()),
                         "primary_care": pa.array([r.primary_care for _, r in rows], pa.bool_()),
                         "beds_open": pa.array([r.beds_open for _, r in rows], pa.float64())})

    # ---- code checks for the import (vectorised over an Arrow column) ----

    def _inside(self, codes: Any) -> Any:
        return pc.or_(pc.is_in(pc.utf8_slice_codeunits(codes, 0, 4), value_set=pa.array(self.city_prefixes)),
                      pc.is_in(pc.utf8_slice_codeunits(codes, 0, 6), value_set=pa.array(self.county_prefixes)))

    def _area_codes(self) -> Any:
        return pa.array(sorted(self.areas), pa.string())

    def valid_residence(self, codes: Any) -> Any:
        """A registered area, or a 区划代码 outside the registered cities and counties (非本地居民)."""
        outside = pc.and_(pc.match_substring_regex(codes, _RESIDENCE_PATTERN), pc.invert(self._inside(codes)))
        return pc.fill_null(pc.or_(pc.is_in(codes, value_set=self._area_codes()), outside), False)

    def valid_place(self, codes: Any) -> Any:
        """A registered facility, or the 6-digit 区划代码 of a place of care outside the registered region."""
        outside = pc.and_(pc.match_substring_regex(codes, _PLACE_PATTERN),
                          pc.invert(pc.or_(self._inside(codes), pc.is_in(codes, value_set=self._area_codes()))))
        known = pc.is_in(codes, value_set=pa.array(sorted(self.versions), pa.string()))
        return pc.fill_null(pc.or_(known, outside), False)

