"""Who is within a standard and who is not: population covered per area, the distance to the nearest facility,
and the townships beyond the radius.

A point is covered when its nearest qualifying facility is within the limit for its area type (城市 5 km,
农村 20 km …); with a range (农村 10–20 km) both ends are reported: ``covered`` uses the lenient end,
``covered_strict`` the strict one. Points of an area type the standard does not cover (村卫生室 in cities) are
left out of the counts. For a count standard (每个乡镇 1 所卫生院) a township is covered when it has enough.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from healthplan.access.population import Demand
from healthplan.access.region import Region, Site
from healthplan.access.standards import Standard
from healthplan.access.travel import TravelModel

BAND_EDGES = (0.0, 5.0, 10.0, 15.0, 20.0, 30.0, np.inf)
QUANTILES = (0.5, 0.9)


@dataclass(frozen=True)
class AreaSummary:
    code: str
    name: str
    population: float  # assessed population (area types the standard applies to)
    covered: float
    covered_strict: float
    median: float | None  # population-weighted, in the standard's unit
    p90: float | None
    maximum: float | None
    bands: tuple[float, ...]  # population per band of BAND_EDGES

    @property
    def not_covered(self) -> float:
        return self.population - self.covered

    @property
    def share(self) -> float | None:
        return None if self.population <= 0 else self.covered / self.population * 100

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "population": round(self.population),
                "covered": round(self.covered), "not_covered": round(self.not_covered),
                "covered_strict": round(self.covered_strict), "share": _round(self.share, 2),
                "share_strict": None if self.population <= 0 else round(self.covered_strict / self.population * 100, 2),
                "median": _round(self.median, 2), "p90": _round(self.p90, 2), "max": _round(self.maximum, 2),
                "bands": [{"from": low, "to": None if np.isinf(high) else high, "population": round(p)}
                          for (low, high), p in zip(itertools.pairwise(BAND_EDGES), self.bands, strict=True)]}


@dataclass(frozen=True)
class SeatSummary:
    """A township (or county seat) with the points that belong to it."""

    code: str
    name: str
    part: str
    area_type: str
    population: float
    strict: float | None
    lenient: float | None
    nearest: str | None  # the facility nearest to the seat's most populous point
    distance: float | None  # population-weighted mean over its points
    beyond_strict: float  # population beyond the strict limit
    beyond: float  # population beyond the lenient limit

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "part": self.part, "area_type": self.area_type,
                "population": round(self.population), "limit_strict": self.strict, "limit": self.lenient,
                "nearest": self.nearest, "distance": _round(self.distance, 2),
                "beyond_strict": round(self.beyond_strict), "beyond": round(self.beyond)}


@dataclass(frozen=True, eq=False)
class Coverage:
    standard: Standard
    demand: Demand
    sites: tuple[Site, ...]
    travel: str  # how distances were measured, in words (great circle × circuity, or the road network)
    method: str  # "great_circle", "road_network" or "count"
    value: NDArray[np.float64]  # per point: cost to the nearest site (or the count of sites for a count standard)
    nearest: NDArray[np.intp]  # per point: index into ``sites`` (-1: none / not applicable)
    strict: NDArray[np.float64]  # per point: the limits (nan: standard does not apply)
    lenient: NDArray[np.float64]
    areas: tuple[AreaSummary, ...]  # the region's parts, then the region itself
    seats: tuple[SeatSummary, ...]

    @property
    def assessed(self) -> NDArray[np.bool_]:
        return np.asarray(~np.isnan(self.lenient), dtype=np.bool_)

    @property
    def covered(self) -> NDArray[np.bool_]:
        return _within(self.standard, self.value, self.lenient)

    @property
    def covered_strict(self) -> NDArray[np.bool_]:
        return _within(self.standard, self.value, self.strict)

    def beyond(self, strict: bool = False) -> list[SeatSummary]:
        """Seats with anyone beyond the limit, worst first."""
        chosen = [s for s in self.seats if (s.beyond_strict if strict else s.beyond) > 0]
        return sorted(chosen, key=lambda s: -(s.distance or 0.0))

    def to_json(self) -> dict[str, object]:
        return {"standard": self.standard.to_json(), "distance_method": self.method, "travel": self.travel,
                "demand": self.demand.describe(),
                "level": self.demand.level, "points": len(self.demand), "facilities": [s.to_json() for s in self.sites],
                "areas": [a.to_json() for a in self.areas], "seats": [s.to_json() for s in self.seats],
                "beyond_strict": [s.code for s in self.beyond(strict=True)],
                "beyond": [s.code for s in self.beyond()]}


def _within(standard: Standard, value: NDArray[np.float64], limit: NDArray[np.float64]) -> NDArray[np.bool_]:
    with np.errstate(invalid="ignore"):
        ok = value >= limit if standard.measure == "count" else value <= limit
    return np.asarray(ok & ~np.isnan(limit), dtype=np.bool_)


def limits(standard: Standard, demand: Demand) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The strict and lenient limit of every demand point by its area type (nan where none applies)."""
    if standard.measure == "count":
        full = np.full(len(demand), float(standard.minimum))
        return full, full.copy()
    found = [standard.limits.get(t) for t in demand.places.area_type]
    strict = np.array([np.nan if f is None else f.strict for f in found], dtype=np.float64)
    lenient = np.array([np.nan if f is None else f.lenient for f in found], dtype=np.float64)
    return strict, lenient


def assess(standard: Standard, demand: Demand, sites: Sequence[Site], cost: NDArray[np.float64], region: Region,
           travel: TravelModel) -> Coverage:
    """Coverage of ``demand`` by ``sites`` given the demand-by-site ``cost`` matrix (km or minutes)."""
    if cost.shape != (len(demand), len(sites)):
        raise ValueError(f"cost matrix {cost.shape} does not match {len(demand)} points × {len(sites)} sites")
    if len(sites):
        nearest = np.argmin(cost, axis=1).astype(np.intp)
        value = cost[np.arange(len(demand)), nearest]
        nearest[~np.isfinite(value)] = -1
    else:
        nearest = np.full(len(demand), -1, dtype=np.intp)
        value = np.full(len(demand), np.inf)
    return _summarise(standard, demand, tuple(sites), value, nearest, region, travel.describe(), travel.method)


def count_sites(standard: Standard, demand: Demand, sites: Sequence[Site], region: Region) -> Coverage:
    """A count standard at township level: how many qualifying facilities stand in each township."""
    if demand.level != "township":
        raise ValueError("a count standard is assessed per township")
    tally: dict[str, int] = {}
    for site in sites:
        key = site.township or site.part
        tally[key] = tally.get(key, 0) + 1
    value = np.array([float(tally.get(code, 0)) for code in demand.ids])
    return _summarise(standard, demand, tuple(sites), value, np.full(len(demand), -1, dtype=np.intp), region,
                      "按乡镇(街道)计数 / counted per township", "count")


def _summarise(standard: Standard, demand: Demand, sites: tuple[Site, ...], value: NDArray[np.float64],
               nearest: NDArray[np.intp], region: Region, travel: str, method: str) -> Coverage:
    strict, lenient = limits(standard, demand)
    draft = Coverage(standard, demand, sites, travel, method, value, nearest, strict, lenient, (), ())
    part_of = np.array([s.part for s in demand.seat])
    areas = [_area(draft, part_of == p.code, p.code, p.name) for p in region.parts]
    areas.append(_area(draft, np.ones(len(demand), dtype=np.bool_), region.scope.code, region.scope.name))
    areas = [a for a in areas if a.population > 0 or a.code == region.scope.code]
    return Coverage(standard, demand, sites, travel, method, value, nearest, strict, lenient, tuple(areas),
                    _seats(draft))


def _area(c: Coverage, mask: NDArray[np.bool_], code: str, name: str) -> AreaSummary:
    take = mask & c.assessed
    weight = c.demand.population[take]
    values = c.value[take]
    bands = tuple(float(weight[(values >= lo) & (values < hi)].sum())
                  for lo, hi in itertools.pairwise(BAND_EDGES))
    median, p90 = (weighted_quantile(values, weight, q) for q in QUANTILES)
    finite = values[np.isfinite(values)]
    return AreaSummary(code, name, float(weight.sum()), float(c.demand.population[take & c.covered].sum()),
                       float(c.demand.population[take & c.covered_strict].sum()), median, p90,
                       float(finite.max()) if finite.size else None, bands)


def _seats(c: Coverage) -> tuple[SeatSummary, ...]:
    rows = []
    codes = np.array([s.code for s in c.demand.seat])
    for seat in dict.fromkeys(c.demand.seat):
        mask = (codes == seat.code) & c.assessed
        if not mask.any():
            continue
        weight = c.demand.population[mask]
        values = c.value[mask]
        mean = None if not np.isfinite(values).all() else float(np.average(values, weights=weight)
                                                                if weight.sum() > 0 else values.mean())
        at_seat = np.flatnonzero(mask)[np.argmax(weight)] if c.standard.measure != "count" else -1
        nearest = c.sites[c.nearest[at_seat]].name if at_seat >= 0 and c.nearest[at_seat] >= 0 else None
        rows.append(SeatSummary(seat.code, seat.name, seat.part, seat.area_type.label, float(weight.sum()),
                                float(c.strict[mask][0]), float(c.lenient[mask][0]), nearest, mean,
                                float(weight[~c.covered_strict[mask]].sum()), float(weight[~c.covered[mask]].sum())))
    return tuple(rows)


def weighted_quantile(values: NDArray[np.float64], weights: NDArray[np.float64], q: float) -> float | None:
    """The smallest value below which at least ``q`` of the weight lies (None without weight)."""
    total = float(weights.sum())
    if values.size == 0 or total <= 0:
        return None
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    index = int(np.searchsorted(cumulative, q * total - 1e-9 * total))
    found = float(values[order][min(index, values.size - 1)])
    return found if np.isfinite(found) else None


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None or not np.isfinite(value) else round(value, digits)
