"""Yearly values of every facility (``facility_values.csv``), calibrated to the city totals of each year.

For each year the city total of a calibrated element (beds, physicians, nurses, GPs, psychiatrists,
psychiatric beds, public-health staff, ambulances, visits, bed-days, discharges) is fixed first: the published
figure where the plan gives one (``numerator_for`` makes the recomputed ratio round to it exactly), the
series' assumption otherwise. The total is then apportioned over the facilities that record the element, in
proportion to a synthetic weight: the facility's size in that year (its census-year size, its own growth
rate and the size steps of its events) times category ratios and the facility's fixed random traits. So
every facility keeps its relative place from year to year and the totals move as the series say.
Everything not calibrated (pharmacists, ICU beds, 编制, capabilities…) is derived from the same weights.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from .adoption import Adopted
from .calibrate import apportion, denominator_for, pair_near, series_total
from .profiles import elements, has_inpatients, is_senior
from .registry import Facility, Version, active
from .spec import RegionSpec

Values = dict[str, dict[str, int]]  # facility code → element → value
_UNCAPPED = 10**12
_PHYSICIAN_SHARE = {
    "township_health_center": 0.34,
    "community_health_center": 0.36,
    "community_health_station": 0.42,
    "clinic": 0.55,
    "outpatient_dept": 0.42,
    "mch_center": 0.32,
}
_NURSE_SHARE = {
    "township_health_center": 0.24,
    "community_health_center": 0.3,
    "community_health_station": 0.3,
    "clinic": 0.12,
    "outpatient_dept": 0.3,
    "mch_center": 0.38,
}
_TCM_SHARE = {"tcm_hospital": 0.55, "integrated_hospital": 0.35, "township_health_center": 0.2,
              "community_health_center": 0.2, "mch_center": 0.05}
_VISITS_PER_STAFF = {
    "village_clinic": 900.0,
    "community_health_station": 2200.0,
    "clinic": 1800.0,
    "outpatient_dept": 1400.0,
    "township_health_center": 1100.0,
    "community_health_center": 1300.0,
    "mch_center": 600.0,
}
_OCCUPANCY = {"township_health_center": 0.55, "community_health_center": 0.35, "mch_center": 0.8}


@dataclass
class _Row:
    facility: Facility
    version: Version
    carries: frozenset[str]
    size: float
    active_fraction: float
    values: dict[str, int]

    def trait(self, name: str) -> float:
        return self.facility.traits[name]

    def spread(self, name: str, low: float, high: float) -> float:
        """A trait mapped onto [low, high]."""
        return low + (high - low) * self.trait(name)


class _Year:
    """The values of one year, computed element group by element group."""

    def __init__(self, region: RegionSpec, facilities: list[Facility], population: int, year: int,
                 adopted: Adopted) -> None:
        self.region = region
        self.year = year
        self.population = population
        self.day = date(year, 12, 31)
        self.days = 366 if calendar.isleap(year) else 365
        self.rows = [self._row(f, v) for f, v in active(facilities, self.day)]
        for row in self.rows:
            for element, value in adopted[year].get(row.facility.code, {}).items():
                row.values[element] = value

    def _row(self, facility: Facility, version: Version) -> _Row:
        opened = facility.opened
        fraction = 1.0 if opened.year < self.year else ((self.day - opened).days + 1) / self.days
        return _Row(facility, version, elements(version), facility.size_at(self.day), fraction, {})

    # ---- helpers ---------------------------------------------------------------------------------------

    def carriers(self, element: str, where: Callable[[_Row], bool] = lambda r: True) -> list[_Row]:
        return [r for r in self.rows if element in r.carries and where(r)]

    def total(self, key: str, denominator: int, factor: int) -> int:
        return series_total(self.region.series[key], self.year, denominator, factor)

    def share(self, key: str) -> float:
        return self.region.series[key].at(self.year)

    @staticmethod
    def assign(rows: Sequence[_Row], element: str, total: int, weights: Sequence[float],
               caps: Sequence[int] | None = None) -> None:
        for row, value in zip(rows, apportion(total, weights, caps), strict=True):
            row.values[element] = value

    @staticmethod
    def get(row: _Row, element: str) -> int:
        return row.values.get(element, 0)

    # ---- beds ------------------------------------------------------------------------------------------

    def beds(self) -> None:
        hospitals = self.carriers("beds.actual", lambda r: r.version.is_hospital)
        others = self.carriers("beds.actual", lambda r: not r.version.is_hospital)
        all_beds = self.total("beds_per_1000", self.population, 1000)
        hospital_beds = self.total("hospital_beds_per_1000", self.population, 1000)
        self.assign(hospitals, "beds.actual", hospital_beds, [r.size for r in hospitals])
        self.assign(others, "beds.actual", all_beds - hospital_beds, [r.size for r in others])
        for row in hospitals + others:
            actual = row.values["beds.actual"]
            row.values["beds.open"] = round(actual * row.spread("open_ratio", 0.9, 1.0))
            row.values["beds.approved"] = round(actual * row.spread("approved_ratio", 0.85, 1.2))
        self._psychiatric_beds()
        for row in self.carriers("beds.infectious"):
            actual = row.values["beds.actual"]
            infectious = row.version.specialty == "infectious"
            share = 0.85 if infectious else (row.spread("noise", 0.02, 0.05) if self.get(row, "dept.infectious")
                                             else 0.0)
            row.values["beds.infectious"] = round(actual * share)
            pandemic = 1.0 if self.year >= 2020 else 0.15
            row.values["beds.negative_pressure"] = min(
                row.values["beds.infectious"], round(row.values["beds.infectious"] * 0.12 * pandemic)
            )
            icu_share = row.spread("staffing", 0.012, 0.03) * (1 + 0.06 * max(0, self.year - 2019))
            row.values["beds.icu"] = round(actual * icu_share)

    def _psychiatric_beds(self) -> None:
        rows = self.carriers("beds.psychiatric")
        weights: list[float] = []
        caps: list[int] = []
        for row in rows:
            actual = row.values["beds.actual"]
            if row.version.specialty == "psychiatric":
                weights.append(float(actual))
                caps.append(actual)
            elif row.version.category == "general_hospital" and is_senior(row.version):
                weights.append(0.04 * actual)
                caps.append(actual // 8)
            else:
                weights.append(0.0)
                caps.append(0)
        self.assign(rows, "beds.psychiatric", self.total("psychiatric_beds_per_1000", self.population, 1000),
                    weights, caps)

    # ---- staff -----------------------------------------------------------------------------------------

    def _staff_scale(self, row: _Row) -> float:
        """Expected headcount before calibration."""
        category = row.version.category
        beds = self.get(row, "beds.actual")
        if row.version.is_hospital:
            return beds * (1.55 if row.version.level == 3 else 1.25 if row.version.level == 2 else 1.0) + 8
        if category == "township_health_center":
            return 10 + 0.9 * beds
        if category == "community_health_center":
            return 14 + 0.6 * beds
        if category == "mch_center":
            return float(self.get(row, "staff.total"))
        return row.size

    def _hospital_mix(self, row: _Row) -> tuple[float, float]:
        specialty = row.version.specialty
        if specialty == "psychiatric":
            return 0.18, 0.35
        if specialty == "stomatology":
            return 0.45, 0.3
        if row.version.category == "nursing_home":
            return 0.12, 0.45
        return 0.3, 0.43

    def public_health_staff(self) -> None:
        rows = self.carriers("staff.established")
        weights = [1.6 * r.size + 20 if r.version.category == "mch_center" else r.size for r in rows]
        self.assign(rows, "staff.total", self.total("public_health_staff_per_1000", self.population, 1000), weights)
        for row in rows:
            total = row.values["staff.total"]
            row.values["staff.established"] = round(total * row.spread("approved_ratio", 1.0, 1.25))
        cdcs = [r for r in rows if r.version.category == "cdc"]
        series = self.region.series["cdc_professional_share"]
        established = sum(r.values["staff.established"] for r in cdcs)
        if series.is_published(self.year):
            professional, adjusted = pair_near(series.at(self.year), established, 100, series.decimals_at(self.year))
            largest = max(cdcs, key=lambda r: r.values["staff.established"])
            largest.values["staff.established"] += adjusted - established
        else:
            professional = round(series.at(self.year) * established / 100)
        self.assign(cdcs, "staff.professional_technical", professional,
                    [float(r.values["staff.established"]) for r in cdcs], [r.values["staff.total"] for r in cdcs])
        for row in self.carriers("staff.total", lambda r: r.version.category == "other"):
            row.values["staff.total"] = round(row.size)
            row.values["staff.health_technical"] = round(row.size * row.spread("staffing", 0.4, 0.7))
        for row in rows:
            total = row.values["staff.total"]
            if row.version.category != "cdc":
                row.values["staff.professional_technical"] = round(total * row.spread("staffing", 0.72, 0.87))
            if row.version.category != "mch_center":
                row.values["staff.health_technical"] = round(
                    row.values["staff.professional_technical"] * row.spread("nurse_mix", 0.75, 0.9)
                )

    def clinical_staff(self) -> None:
        village = self.carriers("staff.physician", lambda r: r.version.category == "village_clinic")
        holding = 0.2 + 0.013 * (self.year - 2015)
        for row in village:
            row.values["staff.physician"] = int(row.trait("village_physician") < holding)
        fixed = sum(r.values["staff.physician"] for r in village)
        flexible = self.carriers("staff.physician", lambda r: r.version.category != "village_clinic")
        physician_weights: list[float] = []
        nurse_weights: list[float] = []
        physician_caps: list[int] = []
        nurse_caps: list[int] = []
        for row in flexible:
            scale = self._staff_scale(row)
            if row.version.is_hospital:
                physician_share, nurse_share = self._hospital_mix(row)
            else:
                physician_share = _PHYSICIAN_SHARE[row.version.category]
                nurse_share = _NURSE_SHARE[row.version.category]
            physician_weights.append(scale * physician_share * row.spread("staffing", 0.8, 1.2))
            nurse_weights.append(scale * nurse_share * row.spread("nurse_mix", 0.8, 1.2))
            mch_total = self.get(row, "staff.total") if row.version.category == "mch_center" else None
            physician_caps.append(int(0.4 * mch_total) if mch_total is not None else _UNCAPPED)
            nurse_caps.append(int(0.45 * mch_total) if mch_total is not None else _UNCAPPED)
        physicians = self.total("physicians_per_1000", self.population, 1000)
        self.assign(flexible, "staff.physician", physicians - fixed, physician_weights, physician_caps)
        nurses = self.total("nurses_per_1000", self.population, 1000)
        self.assign(flexible, "staff.nurse", nurses, nurse_weights, nurse_caps)
        self._specialists()
        for row in village:
            physician = row.values["staff.physician"]
            row.values["staff.health_technical"] = physician
            row.values["staff.total"] = physician + 1 + int(2.999 * row.trait("village_doctors"))
        for row in flexible:
            self._derived_staff(row)

    def _specialists(self) -> None:
        gps = self.carriers("staff.gp")
        gp_weights: list[float] = []
        gp_caps: list[int] = []
        for row in gps:
            physicians = self.get(row, "staff.physician")
            hospital = row.version.category == "general_hospital"
            rate = (0.015 if is_senior(row.version) else 0.03) if hospital else 0.35
            gp_weights.append(physicians * rate + (0.0 if hospital else 0.3))
            gp_caps.append(int(physicians * (0.1 if hospital else 0.75)))
        self.assign(gps, "staff.gp", self.total("gps_per_10000", self.population, 10000), gp_weights, gp_caps)
        psych = self.carriers("staff.psychiatrist")
        psych_weights: list[float] = []
        psych_caps: list[int] = []
        for row in psych:
            physicians = self.get(row, "staff.physician")
            specialist = row.version.specialty == "psychiatric"
            psych_weights.append(physicians * (0.8 if specialist else 0.01))
            psych_caps.append(int(physicians * 0.9) if specialist else int(physicians * 0.05))
        self.assign(psych, "staff.psychiatrist", self.total("psychiatrists_per_100000", self.population, 100000),
                    psych_weights, psych_caps)

    def _derived_staff(self, row: _Row) -> None:
        values = row.values
        physicians, nurses = values["staff.physician"], values["staff.nurse"]
        category = row.version.category
        free = physicians - self.get(row, "staff.gp") - self.get(row, "staff.psychiatrist")
        if "staff.physician_tcm" in row.carries:
            share = _TCM_SHARE.get(category, 0.08) * row.spread("tcm_mix", 0.7, 1.3)
            values["staff.physician_tcm"] = min(round(physicians * share), free)
            free -= values["staff.physician_tcm"]
        if "staff.public_health_physician" in row.carries:
            rate = 0.015 if row.version.is_hospital else 0.1
            values["staff.public_health_physician"] = min(round(0.5 + physicians * rate), free)
        pharmacists = round(physicians * row.spread("noise", 0.13, 0.21)) if "staff.pharmacist" in row.carries else 0
        others = round((physicians + nurses) * 0.22) if has_inpatients(row.version) else round(
            (physicians + nurses) * 0.1
        )
        if category == "mch_center":
            total = values["staff.total"]
            pharmacists = min(pharmacists, total - physicians - nurses)
            others = min(others, total - physicians - nurses - pharmacists)
            values["staff.professional_technical"] = max(physicians + nurses + pharmacists + others,
                                                          round(total * 0.9))
        if "staff.pharmacist" in row.carries:
            values["staff.pharmacist"] = pharmacists
        values["staff.health_technical"] = physicians + nurses + pharmacists + others
        if category != "mch_center":
            technical = values["staff.health_technical"]
            if has_inpatients(row.version) or category == "outpatient_dept":
                values["staff.total"] = technical + round(technical * row.spread("staffing", 0.12, 0.22))
            else:
                values["staff.total"] = technical + int(row.trait("staffing") > 0.6)

    # ---- ambulances ------------------------------------------------------------------------------------

    def ambulances(self) -> None:
        rows = self.carriers("equip.ambulance")
        centres = [r for r in rows if r.version.category == "township_health_center"]
        holding = 0.22 + 0.02 * (self.year - 2015)
        for row in centres:
            row.values["equip.ambulance"] = int(row.trait("ambulance") < holding)
        fixed = sum(r.values["equip.ambulance"] for r in centres)
        flexible = [r for r in rows if r.version.category != "township_health_center"]
        weights = [
            0.4 * self.get(r, "staff.total") if r.version.category == "emergency_center"
            else 0.003 * self.get(r, "beds.actual") * (1.5 if r.version.specialty == "infectious" else 1.0)
            for r in flexible
        ]
        total = self.total("ambulances_per_10000", self.population, 10000)
        self.assign(flexible, "equip.ambulance", total - fixed, weights)
        negative = round(total * self.share("negative_pressure_ambulance_share") / 100)
        np_weights = [
            r.values["equip.ambulance"] * (3.0 if r.version.category == "emergency_center"
                                           or r.version.specialty == "infectious" else 1.0)
            for r in rows
        ]
        self.assign(rows, "equip.ambulance_negative_pressure", negative, np_weights,
                    [r.values["equip.ambulance"] for r in rows])

    # ---- capabilities ----------------------------------------------------------------------------------

    def capabilities(self) -> None:
        years_on = self.year - 2015
        for row in self.rows:
            carries = row.carries
            emr, centres = row.trait("emr"), row.trait("centres")
            top = row.version.level == 3
            if "cap.emr_level" in carries:
                level = 1 + 2 * emr + 0.4 * years_on if top else 0.5 + 1.5 * emr + 0.3 * years_on
                row.values["cap.emr_level"] = min(5 if top else 4, int(level))
                smart = (1.5 * emr if top else emr) + (0.35 if top else 0.25) * (self.year - 2019)
                row.values["cap.smart_service_level"] = 0 if self.year < 2019 else min(3 if top else 2, int(smart))
            for element, start, offset in (
                ("cap.chest_pain_center", 2016, 0.0),
                ("cap.stroke_center", 2017, 0.37),
                ("cap.trauma_center", 2019, 0.71),
            ):
                if element in carries:
                    adoption_year = start + int(((centres + offset) % 1.0) * 8) - (2 if top else 0)
                    row.values[element] = int(self.year >= adoption_year)
            if "cap.standard_met" in carries:
                basic = 2018 + int(emr * 4)
                recommended = 2021 + int(centres * 6)
                row.values["cap.standard_met"] = int(self.year >= basic) + int(self.year >= max(basic, recommended))

    # ---- services --------------------------------------------------------------------------------------

    def visits(self) -> None:
        rows = self.carriers("svc.visits")
        total = self.total("visits_10k", 10000, 1)
        primary_total = self.total("primary_care_visit_share", total, 100)
        primary = [r for r in rows if r.version.is_primary_care]
        rest = [r for r in rows if not r.version.is_primary_care]

        def weight(row: _Row) -> float:
            per_staff = _VISITS_PER_STAFF.get(row.version.category, 700.0)
            if row.version.specialty == "psychiatric" or row.version.category == "nursing_home":
                per_staff *= 0.3
            staff = max(self.get(row, "staff.total"), 1)
            return staff * per_staff * row.spread("activity", 0.6, 1.4) * row.active_fraction

        self.assign(primary, "svc.visits", primary_total, [weight(r) for r in primary])
        self.assign(rest, "svc.visits", total - primary_total, [weight(r) for r in rest])

    def _occupancy_weight(self, row: _Row) -> float:
        version = row.version
        if version.is_hospital:
            base = 1.2 if version.level == 3 else 1.25 if version.specialty == "psychiatric" else 1.0
            if version.ownership == "private" and version.level <= 1:
                base = 0.75
        else:
            base = _OCCUPANCY[version.category]
        return base * row.spread("occupancy", 0.85, 1.15)

    @staticmethod
    def _stay_weight(row: _Row) -> float:
        version = row.version
        if version.specialty == "psychiatric":
            base = 5.0
        elif version.category == "nursing_home":
            base = 4.0
        elif version.specialty == "rehabilitation":
            base = 2.5
        elif version.category == "tcm_hospital":
            base = 1.1
        elif version.category == "mch_center":
            base = 0.7
        else:
            base = 1.0
        return base * row.spread("stay", 0.8, 1.2)

    def inpatients(self) -> None:
        rows = self.carriers("svc.bed_days_open")
        for row in rows:
            row.values["svc.bed_days_open"] = round(row.values["beds.open"] * self.days * row.active_fraction)
        open_days = [row.values["svc.bed_days_open"] for row in rows]
        occupied = self.total("bed_occupancy_rate", sum(open_days), 100)
        self.assign(rows, "svc.bed_days_occupied", occupied,
                    [d * self._occupancy_weight(r) for r, d in zip(rows, open_days, strict=True)],
                    [int(0.98 * d) for d in open_days])
        for row in rows:
            row.values["svc.discharged_bed_days"] = round(
                row.values["svc.bed_days_occupied"] * row.spread("stay", 0.96, 1.04)
            )
        hospitals = [r for r in rows if r.version.is_hospital]
        others = [r for r in rows if not r.version.is_hospital]
        hospital_days = sum(r.values["svc.discharged_bed_days"] for r in hospitals)
        other_days = sum(r.values["svc.discharged_bed_days"] for r in others)
        hospital_alos = self.region.series["hospital_alos"]
        if hospital_alos.is_published(self.year):
            hospital_discharges = denominator_for(hospital_alos.at(self.year), hospital_days, 1,
                                                  hospital_alos.decimals_at(self.year))
        else:
            hospital_discharges = round(hospital_days / hospital_alos.at(self.year))
        published = self.region.series.get("discharges_10k")
        if published is not None and published.is_published(self.year):
            other_discharges = self.total("discharges_10k", 10000, 1) - hospital_discharges
        else:
            other_discharges = round(other_days / self.share("other_alos"))
        if not 3.0 <= other_days / max(other_discharges, 1) <= 12.0:
            raise ArithmeticError(f"{self.year}: implausible stay outside hospitals "
                                  f"({other_days} bed-days / {other_discharges} discharges)")
        for group, discharges in ((hospitals, hospital_discharges), (others, other_discharges)):
            self.assign(group, "svc.discharges", discharges,
                        [r.values["svc.discharged_bed_days"] / self._stay_weight(r) for r in group])
        day_share = self.share("day_surgery_share") / 100
        for row in self.carriers("svc.elective_surgeries"):
            elective = round(row.values["svc.discharges"] * row.spread("activity", 0.15, 0.35))
            row.values["svc.elective_surgeries"] = elective
            row.values["svc.day_surgeries"] = round(elective * day_share * row.spread("activity", 0.5, 1.5))

    def compute(self) -> Values:
        self.beds()
        self.public_health_staff()
        self.clinical_staff()
        self.ambulances()
        self.capabilities()
        self.visits()
        self.inpatients()
        out: Values = {}
        for row in self.rows:
            missing = row.carries - row.values.keys()
            if missing:
                raise AssertionError(f"{row.facility.code} {self.year}: no value for {sorted(missing)}")
            out[row.facility.code] = {k: v for k, v in row.values.items() if k in row.carries}
        return out


def facility_values(region: RegionSpec, facilities: list[Facility], populations: dict[int, int],
                    adopted: Adopted) -> dict[int, Values]:
    """Values per year of every facility active on 31 December of that year."""
    return {year: _Year(region, facilities, populations[year], year, adopted).compute() for year in region.years}
