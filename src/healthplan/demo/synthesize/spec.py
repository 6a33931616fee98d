"""What a demo region is made of: the published facts to reproduce and the assumptions that fill the gaps.

A :class:`RegionSpec` is plain data. ``jincheng.py`` and ``shuozhou.py`` fill one in from the plans, every
published figure marked as such; the other modules turn a spec into files and never hold region facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .series import Series

HOSPITAL_CATEGORIES = frozenset(
    {"general_hospital", "tcm_hospital", "integrated_hospital", "ethnic_hospital", "specialty_hospital", "nursing_home"}
)
PRIMARY_CARE_CATEGORIES = frozenset(
    {
        "community_health_center",
        "community_health_station",
        "township_health_center",
        "village_clinic",
        "outpatient_dept",
        "clinic",
    }
)
PUBLIC_HEALTH_CATEGORIES = frozenset(
    {
        "cdc",
        "disease_control_specialty",
        "mch_center",
        "emergency_center",
        "blood_center",
        "health_inspection",
        "health_education",
    }
)


@dataclass(frozen=True)
class TownshipLayout:
    """How many 街道/镇/乡 a county has (synthetic, totals near the real ones) and how many 乡镇卫生院 it has
    beyond one per 镇 and 乡: branches kept after township mergers (分院) and 街道卫生院."""

    streets: int
    towns: int
    xiang: int
    extra_health_centers: int = 0
    street_health_centers: int = 0

    @property
    def count(self) -> int:
        return self.streets + self.towns + self.xiang


@dataclass(frozen=True)
class CountySpec:
    """A county-level unit: census code, township layout and the demo's population assumptions."""

    code: str
    layout: TownshipLayout
    growth: float  # annual growth of 常住人口 off the census year (assumption)
    registered_ratio: float  # 户籍人口 / 常住人口 (assumption)
    community_centers: int  # 社区卫生服务中心 in 2020
    community_stations: int  # 社区卫生服务站 in 2020


@dataclass(frozen=True)
class ResidualUnit:
    """A county-level unit missing from the census file and from the boundaries (朔州经济开发区); its
    :class:`CountySpec` is listed with the counties under the same code."""

    code: str
    name: str
    population: int  # city total minus the listed counties (real)
    age65plus_pct: float
    inside: str  # the county whose territory it was carved from
    offset_km: tuple[float, float]  # (east, north) of that county's seat: centre of the synthetic outline
    radius_km: float


@dataclass(frozen=True)
class NamedFacility:
    """A facility the demo names and places deliberately (city and county institutions, and any facility an
    event refers to). Attributes are those at opening; events change them later."""

    key: str
    name: str
    category: str
    county: str
    host: str
    ownership: str = "public"
    specialty: str = ""
    level: int = 0
    grade: str = ""
    size: float = 0.0  # relative size: beds for inpatient facilities, staff for public-health institutions
    opened: str = "1990-01-01"
    city_level: bool = False  # hosted by the city: coded under the city code
    firsts: tuple[str, ...] = ()  # data elements this facility adopts before any other (e.g. 职业病诊断)
    township: str = "seat"  # "seat" (county seat) or "other" (a township away from the seat)


@dataclass(frozen=True)
class FacilityMix:
    """A group of generated facilities of one kind, spread over the counties by population."""

    category: str
    count: int  # active on 31 Dec of the census year
    ownership: str
    host: str
    specialty: str = ""
    level: int = 0
    grade: str = ""
    size: tuple[float, float] = (0.0, 0.0)  # range of relative sizes
    opened: tuple[int, int] = (1995, 2014)  # range of opening years
    urban: bool = True  # placed by urban population (else by rural)


@dataclass(frozen=True)
class Event:
    """A change in the registry: an upgrade, a rename, a move, a closure. ``size_factor`` scales the
    facility's beds/staff from that day (a new building, a downsizing)."""

    key: str
    day: str
    level: int | None = None
    grade: str | None = None
    name: str | None = None
    move: bool = False
    close: bool = False
    size_factor: float = 1.0
    why: str = ""


@dataclass(frozen=True)
class Churn:
    """Openings and closures of small facilities around the census year (synthetic)."""

    village_closed_before: int  # 村卫生室 closed (merged) between the first year and the census year
    village_closed_after: int  # … closed after the census year
    clinics_closed_before: int  # 诊所 closed before the end of the census year
    clinics_opened_after: int  # 诊所 opened after the census year
    clinics_closed_after: int  # 诊所 of the census year closed later
    health_centers_merged_after: int  # 乡镇卫生院 branches (分院) merged into their township's main one later


@dataclass(frozen=True)
class GroupSpec:
    """A 医共体/医联体: its code, when it was formed, and who joined (named keys and, per county, public
    township/community health centers)."""

    code: str
    start: str
    members: tuple[str, ...] = ()
    county: str = ""  # with a county: its public 乡镇卫生院 and 社区卫生服务中心 join too


@dataclass(frozen=True)
class RegionSpec:
    key: str
    code: str
    name: str
    name_en: str
    plan: str
    seat_county: str
    counties: tuple[CountySpec, ...]
    residual: ResidualUnit | None
    first_year: int
    last_year: int
    named: tuple[NamedFacility, ...]
    mixes: tuple[FacilityMix, ...]
    events: tuple[Event, ...]
    churn: Churn
    groups: tuple[GroupSpec, ...]
    series: Mapping[str, Series]
    published_counts: Mapping[str, int]  # facility counts on 31 Dec of the census year, from the plan
    ageing_pp_per_year: float = 0.45

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def county_codes(self) -> list[str]:
        return [c.code for c in self.counties]

    @property
    def census_codes(self) -> list[str]:
        """The county codes the census file lists (all but the residual unit)."""
        residual = self.residual.code if self.residual is not None else None
        return [c.code for c in self.counties if c.code != residual]
