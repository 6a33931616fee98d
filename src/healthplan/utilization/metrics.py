"""The tiered-care measures, each count defined once in Ibis; each metric a ratio of two counts.

Two stages: ``PARTIALS`` are sums over the encounters that need no registry (stays, visits, nights, cents…),
taken per (year, residence code, facility code); a ``Count`` is the sum of one partial over the groups whose
residence and facility satisfy its condition (inside the county, at 基层医疗卫生机构, outside the city…).
Every count is additive (a number of encounters, of bed-days, of cents), computed per (county, city) group on
whichever engine runs the expression; the city's figure is the sum of its groups, exactly as the indicator
engine rolls the written-back values up. A metric divides two counts, so the same numbers give the same metric
on DuckDB and Spark, and the plan's indicators (``enc_*``) compute it again from the stored counts.

Definitions (docs/utilization.md has them in full):
- an inpatient stay belongs to the period of its discharge date, any other encounter to its visit date;
- a resident belongs to the county whose subtree holds the residence code (``residence`` counts); a facility
  to the county it stands in as of the year's end (``location`` counts);
- bed-days occupied in a year are the nights of stays overlapping it (also stays discharged the next year), at
  facilities whose open beds (``beds.open``) the registry records for the year; open bed-days = beds × days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import ibis
import pyarrow as pa

from healthplan.domain.data import DataElement, Kind, RecordedAt, ValueType
from healthplan.domain.indicators import Polarity
from healthplan.domain.registry import Level
from healthplan.utilization.dataset import EncounterDataset
from healthplan.utilization.engines import Connection
from healthplan.utilization.schema import EncounterType, Referral, Surgery
from healthplan.utilization.territory import Territory


class Basis(StrEnum):
    RESIDENCE = "residence"  # grouped by the patient's county (居民)
    LOCATION = "location"  # grouped by the facility's county (机构所在地)
    BEDS = "beds"  # stays overlapping the year at facilities with registered beds


def _ambulatory(t: Any) -> Any:
    return t.type.isin([EncounterType.OUTPATIENT.value, EncounterType.EMERGENCY.value])


def _stay(t: Any) -> Any:
    return t.type == EncounterType.INPATIENT.value


def _cents(column: Any) -> Any:
    return (column * 100).round().cast("int64")


def prepared(t: Any) -> Any:
    """The per-encounter values the partials sum, computed once per row."""
    return t.mutate(is_stay=_stay(t), is_visit=_ambulatory(t), cents=_cents(t.cost_total), oop=_cents(t.cost_oop),
                    nights=t.discharge_date.delta(t.admit_date, unit="day"))


@dataclass(frozen=True)
class Partial:
    """A sum over (``prepared``) encounters that needs no lookup: taken first, per (year, residence code,
    facility code)."""

    key: str
    expression: Callable[[Any], Any]


def _tally(condition: Callable[[Any], Any] | None = None) -> Callable[[Any], Any]:
    return lambda t: t.count(where=condition(t) if condition else None)


PARTIALS: tuple[Partial, ...] = (
    Partial("encounters", _tally()),
    Partial("stays", _tally(lambda t: t.is_stay)),
    Partial("visits", _tally(lambda t: t.is_visit)),
    Partial("referred_up", _tally(lambda t: t.referral == Referral.UP.value)),
    Partial("referred_down", _tally(lambda t: t.referral == Referral.DOWN.value)),
    Partial("stay_nights", lambda t: t.nights.sum(where=t.is_stay)),
    Partial("day_surgeries", _tally(lambda t: t.surgery == Surgery.DAY.value)),
    Partial("elective_surgeries", _tally(lambda t: t.surgery.isin([Surgery.ELECTIVE.value, Surgery.DAY.value]))),
    Partial("visit_cents", lambda t: t.cents.sum(where=t.is_visit)),
    Partial("stay_cents", lambda t: t.cents.sum(where=t.is_stay)),
    Partial("cents", lambda t: t.cents.sum()),
    Partial("oop_cents", lambda t: t.oop.sum()),
)


def _in_county(t: Any) -> Any:
    return (t.fac_county == t.res_county).fill_null(False)


def _out_of_city(t: Any) -> Any:
    return (t.fac_city != t.res_city).fill_null(True)  # a place of care outside the registry is outside the city


def _primary(t: Any) -> Any:
    return t.primary_care.fill_null(False)


@dataclass(frozen=True)
class Count:
    """An additive count, written back as the data element ``svc.enc_<key>``: the sum of a partial over the
    encounters whose residence and facility satisfy ``condition`` (all of them when None)."""

    key: str
    name: str
    name_en: str
    unit: str
    basis: Basis
    partial: str | None  # None: not from the encounters (open bed-days come from the registry)
    condition: Callable[[Any], Any] | None = None
    money: bool = False  # the partial counts cents; stored as yuan
    sampled: bool = True  # scaled by the dataset's weight (everything counted from the records)

    def expression(self, t: Any) -> Any:
        return t[self.partial].sum(where=self.condition(t) if self.condition else None)

    @property
    def element(self) -> DataElement:
        return DataElement(f"svc.enc_{self.key}", f"{self.name}（就诊记录）", f"{self.name_en} (encounter records)",
                           Kind.FLOW, ValueType.NUMBER, recorded_at=RecordedAt.AREA, unit=self.unit, minimum=0)


_R, _L = Basis.RESIDENCE, Basis.LOCATION
COUNTS: tuple[Count, ...] = (
    Count("resident_total", "本县居民就诊人次", "Residents' encounters", "人次", _R, "encounters"),
    Count("resident_in_county", "本县居民县域内就诊人次", "Residents' encounters in the county", "人次", _R,
          "encounters", _in_county),
    Count("resident_inpatient_total", "本县居民住院人次", "Residents' stays", "人次", _R, "stays"),
    Count("resident_inpatient_in_county", "本县居民县域内住院人次", "Residents' stays in the county", "人次", _R,
          "stays", _in_county),
    Count("resident_out_of_city", "本县居民市外就诊人次", "Residents' encounters outside the city", "人次", _R,
          "encounters", _out_of_city),
    Count("ambulatory", "门急诊人次", "Outpatient and emergency visits", "人次", _L, "visits"),
    Count("ambulatory_primary", "基层医疗卫生机构门急诊人次", "Visits at primary-care institutions", "人次", _L,
          "visits", _primary),
    Count("referrals_up", "上转人次", "Upward referrals", "人次", _L, "referred_up"),
    Count("referrals_down", "下转人次", "Downward referrals", "人次", _L, "referred_down"),
    Count("discharges", "出院人次", "Discharges", "人次", _L, "stays"),
    Count("discharged_bed_days", "出院者占用总床日数", "Bed-days of discharged patients", "床日", _L, "stay_nights"),
    Count("day_surgeries", "日间手术台次", "Day surgeries", "台次", _L, "day_surgeries"),
    Count("elective_surgeries", "择期手术台次(含日间)", "Elective surgeries (incl. day)", "台次", _L,
          "elective_surgeries"),
    Count("ambulatory_cost", "门急诊医疗费用", "Cost of visits", "元", _L, "visit_cents", money=True),
    Count("inpatient_cost", "住院医疗费用", "Cost of stays", "元", _L, "stay_cents", money=True),
    Count("cost_total", "医疗费用总额", "Total cost", "元", _L, "cents", money=True),
    Count("cost_oop", "个人负担费用", "Out-of-pocket cost", "元", _L, "oop_cents", money=True),
    Count("bed_days_occupied", "实际占用总床日数", "Occupied bed-days", "床日", Basis.BEDS, "nights"),
    Count("bed_days_open", "实际开放总床日数(开放床位×日历天数)", "Open bed-days (open beds × days)", "床日",
          Basis.BEDS, None, sampled=False),
)
COUNT_KEYS = {c.key: c for c in COUNTS}


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    name_en: str
    unit: str
    numerator: str
    denominator: str | None = None
    factor: float = 1
    decimals: int = 2
    definition: str = ""
    polarity: Polarity = Polarity.HIGHER_BETTER


_LOWER, _NONE = Polarity.LOWER_BETTER, Polarity.NONE
METRICS: tuple[Metric, ...] = (
    Metric("county_visit_rate", "县域就诊率", "Residents' encounters inside their county", "%", "resident_in_county",
           "resident_total", 100, definition="本县居民在县域内机构的就诊人次（门诊、急诊、住院）÷ 本县居民全部就诊人次 × 100"),
    Metric("county_inpatient_rate", "县域内住院率", "Residents' stays inside their county", "%",
           "resident_inpatient_in_county", "resident_inpatient_total", 100,
           definition="县域内住院人次 ÷（县域内 + 本县居民县外住院人次）× 100（国卫办基层发〔2020〕12号口径）"),
    Metric("out_of_city_rate", "市外就诊率", "Residents' encounters outside the city", "%", "resident_out_of_city",
           "resident_total", 100, definition="本县居民在本市以外（含登记范围外）的就诊人次 ÷ 本县居民全部就诊人次 × 100",
           polarity=_LOWER),
    Metric("primary_care_visit_share", "基层就诊率", "Share of visits at primary care", "%", "ambulatory_primary",
           "ambulatory", 100, definition="辖区内基层医疗卫生机构门急诊人次 ÷ 辖区内全部医疗卫生机构门急诊人次 × 100"),
    Metric("referrals_up", "上转人次", "Upward referrals", "人次", "referrals_up", decimals=0,
           definition="辖区内机构接收的上转患者人次", polarity=_NONE),
    Metric("referrals_down", "下转人次", "Downward referrals", "人次", "referrals_down", decimals=0,
           definition="辖区内机构接收的下转患者人次"),
    Metric("referral_ratio", "上下转诊比", "Upward ÷ downward referrals", "", "referrals_up", "referrals_down",
           definition="上转人次 ÷ 下转人次", polarity=_NONE),
    Metric("average_length_of_stay", "平均住院日", "Average length of stay", "天", "discharged_bed_days", "discharges",
           decimals=1, definition="出院者占用总床日数（Σ 出院日期 − 入院日期）÷ 出院人次", polarity=_LOWER),
    Metric("bed_occupancy_rate", "病床使用率", "Bed occupancy rate", "%", "bed_days_occupied", "bed_days_open", 100,
           definition="实际占用总床日数 ÷ 实际开放总床日数（开放床位 beds.open × 日历天数）× 100", polarity=_NONE),
    Metric("day_surgery_share", "日间手术占择期手术比例", "Day surgeries among elective surgeries", "%",
           "day_surgeries", "elective_surgeries", 100, definition="日间手术台次 ÷ 择期手术台次（含日间手术）× 100"),
    Metric("cost_per_visit", "门急诊次均费用", "Cost per visit", "元", "ambulatory_cost", "ambulatory",
           definition="门急诊医疗费用 ÷ 门急诊人次", polarity=_LOWER),
    Metric("cost_per_stay", "住院次均费用", "Cost per stay", "元", "inpatient_cost", "discharges",
           definition="住院医疗费用 ÷ 出院人次", polarity=_LOWER),
    Metric("oop_share", "个人负担比例", "Out-of-pocket share", "%", "cost_oop", "cost_total", 100,
           definition="个人负担费用 ÷ 医疗费用总额 × 100（就诊记录口径，不同于卫生总费用的个人卫生支出占比）",
           polarity=_LOWER),
)


@dataclass
class AreaMetrics:
    org_unit: str
    name: str
    level: str
    counts: dict[str, float]  # records × weight (money in yuan): what the area's data values hold

    def value(self, metric: Metric) -> float | None:
        top = self.counts.get(metric.numerator)
        if metric.denominator is None:
            return top
        bottom = self.counts.get(metric.denominator)
        if top is None or not bottom:
            return None
        return top / bottom * metric.factor

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"org_unit": self.org_unit, "name": self.name, "level": self.level}
        data.update({m.code: self.value(m) for m in METRICS})
        data["counts"] = dict(self.counts)
        return data


@dataclass
class YearMetrics:
    year: int
    engine: str
    weight: float
    areas: list[AreaMetrics]

    def to_json(self) -> dict[str, object]:
        return {"year": self.year, "engine": self.engine, "weight": self.weight,
                "areas": [a.to_json() for a in self.areas]}


def _facilities(territory: Territory, years: list[int]) -> Any:
    return ibis.memtable(territory.facility_table(years))


def joined(connection: Connection, dataset: EncounterDataset, territory: Territory, years: list[int]) -> Any:
    """The partials of ``years`` per (year, residence code, facility code), with the residence's and (as of
    each year) the facility's county and city. Summing first and joining the small result is what makes 10⁸
    rows fast: the lookups are joined to thousands of groups, not to every encounter."""
    encounters = connection.encounters(dataset)
    chosen = prepared(encounters.filter(encounters.year.isin(years)))
    partials = chosen.group_by(["year", "residence_code", "facility_code"]).aggregate(
        **{p.key: p.expression(chosen) for p in PARTIALS})
    residence = ibis.memtable(territory.residence_table())
    facility = _facilities(territory, years)
    with_residence = partials.left_join(residence, partials.residence_code == residence.r_code)
    return with_residence.left_join(facility, (with_residence.facility_code == facility.f_code)
                                    & (with_residence.year == facility.f_year))


def _aggregates(connection: Connection, table: Any, keys: dict[str, Any], bases: set[Basis]) -> list[dict[str, Any]]:
    aggregates = {c.key: c.expression(table) for c in COUNTS if c.basis in bases and c.partial is not None}
    return list(connection.run(table.group_by(**keys).aggregate(**aggregates)).to_pylist())


def _bed_days(connection: Connection, dataset: EncounterDataset, territory: Territory,
              years: list[int]) -> list[dict[str, Any]]:
    """Occupied bed-days of each year (stays overlapping it, wherever their discharge falls) and open ones."""
    encounters = connection.encounters(dataset)
    scanned = sorted({y for year in years for y in (year, year + 1)} & set(dataset.years))
    stays = encounters.filter(encounters.year.isin(scanned) & _stay(encounters))
    periods = ibis.memtable(pa.table({"p_year": pa.array(years, pa.int64()),
                                      "p_start": pa.array([dt.date(y, 1, 1) for y in years], pa.date32()),
                                      "p_end": pa.array([dt.date(y + 1, 1, 1) for y in years], pa.date32())}))
    overlapping = stays.cross_join(periods)
    overlapping = overlapping.filter((overlapping.admit_date < overlapping.p_end)
                                     & (overlapping.discharge_date > overlapping.p_start))
    nights = ibis.least(overlapping.discharge_date, overlapping.p_end).delta(
        ibis.greatest(overlapping.admit_date, overlapping.p_start), unit="day")
    per_facility = overlapping.group_by(["p_year", "facility_code"]).aggregate(nights=nights.sum())
    facility = _facilities(territory, years)
    located = per_facility.inner_join(facility, (per_facility.facility_code == facility.f_code)
                                      & (per_facility.p_year == facility.f_year))
    located = located.filter(located.beds_open.notnull() & located.fac_city.notnull())
    rows = _aggregates(connection, located, {"year": located.p_year, "county": located.fac_county,
                                             "city": located.fac_city}, {Basis.BEDS})
    beds: dict[tuple[int, str | None, str], float] = {}
    for year in years:  # open bed-days come from the registry, not from the encounters
        days = 366 if calendar.isleap(year) else 365
        for where in territory.located(year):
            if where.beds_open is not None and where.city is not None:
                key = (year, where.county, where.city)
                beds[key] = beds.get(key, 0.0) + where.beds_open * days
    known = {(r["year"], r["county"], r["city"]) for r in rows}
    rows += [{"year": y, "county": c, "city": t, "bed_days_occupied": 0} for y, c, t in beds if (y, c, t) not in known]
    for row in rows:
        row["bed_days_open"] = beds.get((row["year"], row["county"], row["city"]), 0.0)
    return rows


def _add(totals: dict[str, dict[str, float]], areas: tuple[str | None, ...], row: dict[str, Any], basis: Basis) -> None:
    for area in areas:
        if area is not None:
            target = totals.setdefault(area, {})
            for count in COUNTS:
                if count.basis is basis and count.key in row:
                    target[count.key] = target.get(count.key, 0) + (row[count.key] or 0)


def compute_years(connection: Connection, dataset: EncounterDataset, territory: Territory,
                  years: list[int]) -> list[YearMetrics]:
    """Every count and metric of ``years`` for every county and city of the territory.

    One pass over the encounters (``joined``), grouped by (year, residence county and city, facility county and
    city), gives both the residence and the location counts; a second pass over the stays gives the occupied
    bed-days.
    """
    for year in years:
        dataset.require(year)
    table = joined(connection, dataset, territory, years)
    keys = {"year": table.year, "res_county": table.res_county, "res_city": table.res_city,
            "fac_county": table.fac_county, "fac_city": table.fac_city}
    totals: dict[int, dict[str, dict[str, float]]] = {y: {} for y in years}
    measured: dict[int, set[str]] = {y: set() for y in years}
    for row in _aggregates(connection, table, keys, {Basis.RESIDENCE, Basis.LOCATION}):
        year = int(row["year"])
        for basis, county, city in ((Basis.RESIDENCE, row["res_county"], row["res_city"]),
                                    (Basis.LOCATION, row["fac_county"], row["fac_city"])):
            if city is not None:  # a resident of, or a facility in, a registered city
                _add(totals[year], (county, city), row, basis)
                measured[year] |= {a for a in (county, city) if a is not None}
    for row in _bed_days(connection, dataset, territory, years):
        _add(totals[int(row["year"])], (row["county"], row["city"]), row, Basis.BEDS)
    return [_year(territory, dataset, connection, y, totals[y], measured[y]) for y in years]


def compute(connection: Connection, dataset: EncounterDataset, territory: Territory, year: int) -> YearMetrics:
    return compute_years(connection, dataset, territory, [year])[0]


def _year(territory: Territory, dataset: EncounterDataset, connection: Connection, year: int,
          totals: dict[str, dict[str, float]], measured: set[str]) -> YearMetrics:
    areas = []
    for level in (Level.COUNTY, Level.CITY):
        for unit in territory.areas_at(level):
            raw = totals.get(unit.code, {})
            counts = ({c.key: _scaled(raw.get(c.key, 0), c, dataset.weight) for c in COUNTS}
                      if unit.code in measured else {})  # no encounter at all: no data, not zero
            areas.append(AreaMetrics(unit.code, unit.name, level.value, counts))
    return YearMetrics(year, connection.engine.value, dataset.weight, areas)


def _scaled(value: float, count: Count, weight: float) -> float:
    """A count as its data value holds it: records × the dataset's weight (an estimate, not rounded), yuan."""
    scaled = value * weight if count.sampled else value
    return scaled / 100 if count.money else float(scaled)
