"""Where residents go for care: the origin–destination matrix of a year (居民就诊流向).

Origins are the counties of residence (residents of a registered city whose code names no county count under
the city); destinations are the counties of the facilities, or — for care outside the registered region — the
place of care as recorded (its 区划代码). Counts are weighted like the written-back values. Each origin's row
adds up to its residents' encounters, so its in-county cell over the row total is its 县域就诊率.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis

from healthplan.utilization.dataset import EncounterDataset
from healthplan.utilization.engines import Connection
from healthplan.utilization.metrics import joined
from healthplan.utilization.territory import Territory


@dataclass(frozen=True)
class Flow:
    origin: str
    origin_name: str
    destination: str
    destination_name: str
    inside_city: bool  # the destination is in the origin's city
    encounters: float
    stays: float
    share: float  # % of the origin's encounters

    def to_json(self) -> dict[str, object]:
        return {"origin": self.origin, "origin_name": self.origin_name, "destination": self.destination,
                "destination_name": self.destination_name, "inside_city": self.inside_city,
                "encounters": self.encounters, "stays": self.stays, "share": self.share}


@dataclass(frozen=True)
class FlowMatrix:
    year: int
    engine: str
    weight: float
    flows: list[Flow]

    def to_json(self) -> dict[str, object]:
        return {"year": self.year, "engine": self.engine, "weight": self.weight,
                "flows": [f.to_json() for f in self.flows]}


def flows(connection: Connection, dataset: EncounterDataset, territory: Territory, year: int) -> FlowMatrix:
    dataset.require(year)
    table = joined(connection, dataset, territory, [year])
    table = table.filter(table.res_city.notnull())
    origin = ibis.coalesce(table.res_county, table.res_city)
    destination = ibis.coalesce(table.fac_county, table.fac_city, table.facility_code)
    grouped = table.group_by(origin=origin, origin_city=table.res_city, destination=destination,
                             destination_city=table.fac_city)
    rows: list[dict[str, Any]] = connection.run(grouped.aggregate(
        encounters=table.encounters.sum(), stays=table.stays.sum())).to_pylist()
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["origin"]] = totals.get(row["origin"], 0) + row["encounters"]
    result = [Flow(r["origin"], territory.name(r["origin"]), r["destination"], territory.name(r["destination"]),
                   r["destination_city"] == r["origin_city"], float(round(r["encounters"] * dataset.weight)),
                   float(round(r["stays"] * dataset.weight)), r["encounters"] / totals[r["origin"]] * 100)
              for r in rows]
    result.sort(key=lambda f: (f.origin, not f.inside_city, -f.encounters, f.destination))
    return FlowMatrix(year, connection.engine.value, dataset.weight, result)
