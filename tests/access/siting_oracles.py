"""Readers for the siting oracles copied into ``tests/fixtures`` (OR-Library p-median, spopt San Francisco).

A plain module rather than ``conftest.py`` so test files can import its types: several test directories have
their own ``conftest``, and importing "conftest" by name would pick whichever was loaded last.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from healthplan.access.siting import OrlibPMedian, parse_orlib_optima, parse_orlib_pmedian

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@dataclass(frozen=True, eq=False)
class StoreProblem:
    """The spopt San Francisco data: tracts (rows) by candidate stores (columns), weights = POP2000."""

    cost: NDArray[np.float64]
    population: NDArray[np.float64]
    stores: tuple[str, ...]


def read_orlib(number: int) -> OrlibPMedian:
    """Parse ``pmed<number>.txt``."""
    return parse_orlib_pmedian((FIXTURES / "pmedian" / f"pmed{number}.txt").read_text())


def read_orlib_optima() -> dict[str, float]:
    """Parse ``pmedopt.txt``."""
    return parse_orlib_optima((FIXTURES / "pmedian" / "pmedopt.txt").read_text())


def read_sf_stores() -> StoreProblem:
    """Build the 205 x 16 network-distance matrix (CRLF files, hence ``newline=""``)."""
    folder = FIXTURES / "spopt_sf"
    with (folder / "SF_demand_205_centroid_uniform_weight.csv").open(newline="") as handle:
        tracts = [(row["NAME"], float(row["POP2000"])) for row in csv.DictReader(handle)]
    distances = folder / "SF_network_distance_candidateStore_16_censusTract_205_new.csv"
    with distances.open(newline="") as handle:
        links = [
            (row["DestinationName"], row["name"], float(row["distance"])) for row in csv.DictReader(handle)
        ]
    stores = tuple(sorted({store for _, store, _ in links}, key=lambda s: int(s.split("_")[1])))
    tract_index = {name: i for i, (name, _) in enumerate(tracts)}
    store_index = {name: j for j, name in enumerate(stores)}
    cost = np.full((len(tracts), len(stores)), np.nan)
    for tract, store, distance in links:
        cost[tract_index[tract], store_index[store]] = distance
    if np.isnan(cost).any():
        raise ValueError("a tract-store distance is missing from the SF oracle")
    return StoreProblem(cost=cost, population=np.array([pop for _, pop in tracts]), stores=stores)
