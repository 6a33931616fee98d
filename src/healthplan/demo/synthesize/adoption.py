"""Departments and capabilities that facilities set up over the years (老年医学科, 中医馆, 职业病诊断…).

A yes/no element is modelled as adoption: each year the number of adopters in a pool of facilities is set by
a series (a share of the pool, or a count), facilities adopt in a fixed order (higher level first, otherwise
a per-facility random key, facilities named in the spec's ``firsts`` before all) and keep what they adopted
unless the series goes down. Because the pool is the indicator's own denominator (e.g. 二级及以上综合医院),
a published share such as 64.29 % is reproduced exactly (9 of 14).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .calibrate import series_total
from .profiles import elements, is_senior
from .registry import Facility, Version, active
from .spec import RegionSpec


@dataclass(frozen=True)
class AdoptionRule:
    element: str
    series: str
    eligible: Callable[[Version], bool]  # the pool whose share the series gives
    other_share: float = 0.0  # share among the other facilities that record the element
    count: bool = False  # the series is a number of facilities among all that record the element


def _general_senior(v: Version) -> bool:
    return v.category == "general_hospital" and is_senior(v)


def _clinical_senior(v: Version) -> bool:
    return v.category in ("general_hospital", "tcm_hospital", "integrated_hospital") and is_senior(v)


def _primary_inpatient(v: Version) -> bool:
    return v.category in ("township_health_center", "community_health_center")


RULES = (
    AdoptionRule("dept.geriatrics", "geriatrics_dept_share", _general_senior, other_share=0.1),
    AdoptionRule("dept.infectious", "infectious_dept_share",
                 lambda v: v.category in ("general_hospital", "tcm_hospital") and is_senior(v), other_share=0.05),
    AdoptionRule("dept.tcm_hall", "tcm_hall_share", _primary_inpatient),
    AdoptionRule("dept.fever_clinic", "fever_clinic_share", _primary_inpatient),
    AdoptionRule("dept.tcm_clinical", "tcm_clinical_dept_share",
                 lambda v: _general_senior(v) and v.ownership == "public", other_share=0.2),
    AdoptionRule("dept.mental", "mental_clinic_share",
                 lambda v: v.category == "mch_center" or v.specialty == "children" or _general_senior(v),
                 other_share=0.05),
    AdoptionRule("dept.emergency", "emergency_dept_share", _clinical_senior, other_share=0.3),
    AdoptionRule("dept.rehab", "rehab_dept_share", _clinical_senior, other_share=0.1),
    AdoptionRule("cap.occupational_diagnosis", "occupational_diagnosis_count", lambda v: True, count=True),
)

Adopted = dict[int, dict[str, dict[str, int]]]  # year → facility code → element → 0/1


def _order_key(facility: Facility, version: Version, element: str) -> tuple[int, float]:
    uniform = zlib.crc32(f"{facility.code}:{element}".encode()) / 2**32
    return (0 if element in facility.firsts else 1, uniform - 0.25 * version.level)


def _target(region: RegionSpec, rule: AdoptionRule, year: int, pool_size: int) -> int:
    series = region.series[rule.series]
    value = series.at(year)
    if rule.count:
        return min(round(value), pool_size)
    if pool_size == 0:
        return 0
    return min(series_total(series, year, pool_size, 100), pool_size)


def adopt(region: RegionSpec, facilities: list[Facility]) -> Adopted:
    """Yes/no values of every adoption element for every facility that records it, per year."""
    out: Adopted = {year: {} for year in region.years}
    for rule in RULES:
        state: dict[str, bool] = {}
        for year in region.years:
            carriers = [(f, v) for f, v in active(facilities, date(year, 12, 31)) if rule.element in elements(v)]
            if rule.count:
                pools = [(carriers, _target(region, rule, year, len(carriers)))]
            else:
                eligible = [(f, v) for f, v in carriers if rule.eligible(v)]
                others = [(f, v) for f, v in carriers if not rule.eligible(v)]
                pools = [
                    (eligible, _target(region, rule, year, len(eligible))),
                    (others, round(rule.other_share * len(others))),
                ]
            for pool, target in pools:
                ranked = sorted(pool, key=lambda fv: _order_key(fv[0], fv[1], rule.element))
                adopted = [f for f, _ in ranked if state.get(f.code)]
                if len(adopted) < target:
                    newcomers = [f for f, _ in ranked if not state.get(f.code)]
                    for facility in newcomers[: target - len(adopted)]:
                        state[facility.code] = True
                elif len(adopted) > target:
                    for facility in adopted[target:]:
                        state[facility.code] = False
                for facility, _ in pool:
                    out[year].setdefault(facility.code, {})[rule.element] = int(state.get(facility.code, False))
    return out
