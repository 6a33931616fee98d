"""The 可及性 map page's results: a region's coverage under one access standard and the best N new sites.

Computed with :mod:`healthplan.access` exactly as ``healthplan access coverage|sites`` does (great circle ×
circuity factor: the web has no road network to offer), and memoised in the app state per (area, standard,
year, demand level, N) until the next data write — a region takes a few tenths of a second, the first proposal
for a grid a little more. Which year a user may see is decided here too: unapproved data of other areas are
never folded into a map.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from healthplan.access import maps
from healthplan.access.coverage import Coverage, assess, count_sites
from healthplan.access.population import Demand, grid_demand, shipped_boundaries, township_demand
from healthplan.access.region import Region, load_region, select_sites, site_places
from healthplan.access.sites import propose
from healthplan.access.siting import SolverOptions
from healthplan.access.standards import Standard, Standards, load_standards
from healthplan.access.travel import GreatCircle
from healthplan.domain.geo import MultiPolygon
from healthplan.domain.indicators import Indicator
from healthplan.domain.problems import HealthplanError
from healthplan.domain.registry import Level
from healthplan.web.errors import Forbidden
from healthplan.web.state import AppState
from healthplan.web.visibility import WITHHELD_EN, WITHHELD_ZH, Visibility

DemandLevel = Literal["township", "grid"]
#: Grid cells on the web are coarser than the CLI's 1 km default: a county map of 2 km squares stays light.
GRID_KM = 2.0
MAX_NEW = 10
#: A proposal that has not proved optimality by then reports its MIP gap instead of keeping a page waiting.
SOLVER_SECONDS = 20.0


@cache
def standards() -> Standards:
    return load_standards(None)


def standard(code: str) -> Standard:
    return standards().get(code)


@dataclass(frozen=True, eq=False)
class Setting:
    """What every result for one area and year works on."""

    region: Region
    demand: Demand
    boundaries: dict[str, MultiPolygon]
    travel: GreatCircle


def area_choices(state: AppState) -> list[str]:
    """Cities and counties (the levels whose sub-areas have township seats and shipped boundaries)."""
    return [c for c in state.tree.areas() if state.tree.level[c] in (Level.CITY, Level.COUNTY)]


def elements(state: AppState, chosen: Standard) -> frozenset[str]:
    """The data elements a result reads: population and those of the facility filters."""
    found = {"pop.resident"}
    for condition in (chosen.facilities, chosen.candidates):
        if condition:
            found |= state.elements_of(Indicator("access.selected", "符合条件", f"count(facilities where {condition})"))
    return frozenset(found)


def year_for(state: AppState, vis: Visibility, area: str, chosen: Standard, year: int | None) -> int:
    """The year asked for (403 when its data are withheld from the user), else the newest one the user may see."""
    wanted = elements(state, chosen)
    if year is not None:
        if vis.hidden(area, str(year), wanted):
            raise Forbidden(WITHHELD_ZH, WITHHELD_EN)
        return year
    years = state.years()
    if not years:
        raise HealthplanError("数据库中还没有任何数据", "the database holds no values yet")
    for candidate in reversed(years):
        if not vis.hidden(area, str(candidate), wanted):
            return candidate
    raise Forbidden(WITHHELD_ZH, WITHHELD_EN)


def _setting(state: AppState, area: str, year: int, level: DemandLevel) -> Setting:
    def compute() -> Setting:
        region = load_region(state.database, state.analytics, area, year)
        counties = sorted({s.county for s in region.seats})
        boundaries = {k: v for k, v in shipped_boundaries(counties).items() if k in counties}
        demand = grid_demand(region, boundaries, GRID_KM) if level == "grid" else township_demand(region)
        return Setting(region, demand, boundaries, GreatCircle(standards().travel))

    return state.memo(("access-setting", area, year, level), compute)


def _coverage(state: AppState, setting: Setting, chosen: Standard) -> Coverage:
    sites = select_sites(state.analytics, setting.region, chosen.facilities)
    if chosen.measure == "count":
        return count_sites(chosen, township_demand(setting.region), sites, setting.region)
    cost = setting.travel.matrix(setting.demand.places, site_places(sites), chosen.measure)
    return assess(chosen, setting.demand, sites, cost, setting.region, setting.travel)


def coverage(state: AppState, area: str, code: str, year: int, level: DemandLevel) -> dict[str, Any]:
    """``healthplan access coverage --format json`` plus ``geojson`` (layers area, demand, facility)."""
    chosen = standard(code)

    def compute() -> dict[str, Any]:
        setting = _setting(state, area, year, level)
        result = _coverage(state, setting, chosen)
        return {"region": area, "year": setting.region.year, "notes": list(setting.region.notes),
                **result.to_json(), "geojson": maps.geojson(result, setting.boundaries)}

    return state.memo(("access-coverage", area, code, year, level), compute)


def sites(state: AppState, area: str, code: str, year: int, level: DemandLevel, new: int) -> dict[str, Any]:
    """``healthplan access sites --new N --format json`` (MCLP, lenient bound) plus ``geojson`` with the
    ``proposed`` layer; the demand layer is the coverage after the new sites."""
    chosen = standard(code)
    if not 0 <= new <= MAX_NEW:
        raise HealthplanError(f"新增站点数须在 0–{MAX_NEW} 之间", f"new sites must be between 0 and {MAX_NEW}")
    if chosen.measure == "count" or not chosen.candidates:
        raise HealthplanError(f"标准“{chosen.name}”不做选址（计数类标准或没有候选机构）",
                              f"standard {code!r} has no site selection (a count standard or no candidates)")

    def compute() -> dict[str, Any]:
        setting = _setting(state, area, year, level)
        existing = select_sites(state.analytics, setting.region, chosen.facilities)
        pool = select_sites(state.analytics, setting.region, chosen.candidates or "")
        proposal = propose(chosen, setting.demand, existing, pool, setting.travel, setting.region, model="mclp",
                           new_sites=new, bound="lenient", options=SolverOptions(time_limit=SOLVER_SECONDS))
        return {"region": area, "year": setting.region.year, **proposal.to_json(),
                "geojson": maps.geojson(proposal.after, setting.boundaries, proposal.new)}

    return state.memo(("access-sites", area, code, year, level, new), compute)
