"""Where to build next: the best new sites for a standard, existing facilities kept open.

Why the cost is divided by the limit: the limit differs by area type (5 km in a city, 10–20 km in the
countryside), while the covering models take one service distance. Dividing each demand point's costs by its own
limit makes "within the limit" the same as "cost ≤ 1" for every point, so MCLP and LSCP solve the mixed
urban/rural standard exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from healthplan.access.coverage import AreaSummary, Coverage, assess, limits
from healthplan.access.population import Demand
from healthplan.access.region import Region, Site, site_places
from healthplan.access.siting import SitingResult, SolverOptions, lscp, mclp
from healthplan.access.standards import Standard
from healthplan.access.travel import TravelModel
from healthplan.domain.problems import HealthplanError

Model = Literal["mclp", "lscp"]
Bound = Literal["strict", "lenient"]


@dataclass(frozen=True, eq=False)
class Proposal:
    model: Model
    bound: Bound
    new: tuple[Site, ...]
    before: Coverage
    after: Coverage
    solve: SitingResult

    def to_json(self) -> dict[str, object]:
        region, before = self.after.areas[-1], self.before.areas[-1]

        def covered(area: AreaSummary) -> float:
            return area.covered_strict if self.bound == "strict" else area.covered

        return {
            "model": self.model.upper(), "bound": self.bound, "standard": self.after.standard.code,
            "distance_method": self.after.method, "travel": self.after.travel, "demand": self.after.demand.describe(),
            "existing": [s.to_json() for s in self.before.sites],
            "new": [s.to_json() for s in self.new],
            "population": round(region.population), "covered_before": round(covered(before)),
            "covered_after": round(covered(region)), "gain": round(covered(region) - covered(before)),
            "status": self.solve.status, "optimal": self.solve.optimal, "gap": self.solve.mip_gap,
            "seconds": round(self.solve.total_seconds, 3), "formulation": self.solve.formulation,
            "areas_after": [a.to_json() for a in self.after.areas],
            "beyond_after": [s.to_json() for s in self.after.beyond(strict=self.bound == "strict")],
        }


def propose(standard: Standard, demand: Demand, existing: Sequence[Site], candidates: Sequence[Site],
            travel: TravelModel, region: Region, *, model: Model = "mclp", new_sites: int = 3,
            bound: Bound = "lenient", options: SolverOptions | None = None) -> Proposal:
    """Solve MCLP (``new_sites`` more sites, most people covered) or LSCP (fewest sites covering everyone who can
    be covered), keeping ``existing`` open."""
    if standard.measure == "count":
        raise HealthplanError("计数类标准不做选址", "site selection needs a distance or time standard")
    known = {s.code for s in existing}
    columns = [*existing, *(c for c in candidates if c.code not in known)]
    if len(columns) == len(existing):
        raise HealthplanError("没有可选的新址（候选机构为空）", "no candidate sites")
    cost = travel.matrix(demand.places, site_places(columns), standard.measure)
    strict, lenient = limits(standard, demand)
    limit = strict if bound == "strict" else lenient
    weights = np.where(np.isnan(limit), 0.0, demand.population)
    scaled = cost / np.where(np.isnan(limit), 1.0, limit)[:, None]
    fixed = range(len(existing))
    if model == "mclp":
        p = min(len(existing) + new_sites, len(columns))
        result = mclp(scaled, 1.0, p, weights=weights, fixed=fixed, options=options)
    else:
        result = lscp(scaled, 1.0, weights=weights, fixed=fixed, options=options)
    if not result.sites and len(existing) + new_sites > 0:
        raise HealthplanError(f"求解器未找到可行解（{result.status}）", f"the solver found no solution ({result.status})")
    chosen = list(result.sites)
    new = tuple(columns[j] for j in result.new_sites)
    before = assess(standard, demand, existing, cost[:, : len(existing)], region, travel)
    after = assess(standard, demand, [columns[j] for j in chosen], cost[:, chosen], region, travel)
    return Proposal(model, bound, new, before, after, result)

