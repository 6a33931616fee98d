"""The 7th census (2020) by county, and the smooth population paths the demo assumes for other years."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CENSUS_YEAR = 2020


@dataclass(frozen=True)
class CountyCensus:
    """One county's census figures (real: 第七次全国人口普查)."""

    code: str
    name: str
    population: int
    urban: int
    rural: int
    age0_14_pct: float
    age65plus_pct: float


def read_census(path: Path, codes: Iterable[str]) -> dict[str, CountyCensus]:
    """The census rows of ``codes`` (raises KeyError when one is missing)."""
    wanted = set(codes)
    out: dict[str, CountyCensus] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["adcode"] in wanted:
                out[row["adcode"]] = CountyCensus(
                    code=row["adcode"],
                    name=row["county"],
                    population=int(row["population"]),
                    urban=int(row["urban"]),
                    rural=int(row["rural"]),
                    age0_14_pct=float(row["age0_14_pct"]),
                    age65plus_pct=float(row["age65plus_pct"]),
                )
    missing = wanted - out.keys()
    if missing:
        raise KeyError(f"counties missing from the census file: {sorted(missing)}")
    return out


def residual_unit(code: str, name: str, population: int, age65plus_pct: float) -> CountyCensus:
    """A county-level unit the census file does not list (朔州经济开发区): the city total minus its counties.

    Its urban/rural split is not published; a development zone is treated as 85 % urban (assumption)."""
    urban = round(population * 0.85)
    return CountyCensus(code, name, population, urban, population - urban, 15.0, age65plus_pct)


def resident_population(census: CountyCensus, annual_growth: float, year: int) -> int:
    """常住人口 in ``year``: the census count, moved by a constant annual growth rate (synthetic off 2020)."""
    return round(census.population * (1 + annual_growth) ** (year - CENSUS_YEAR))


def age65plus_share(census: CountyCensus, year: int, ageing_pp_per_year: float) -> float:
    """Share (%) of residents aged 65+: the census share, plus a constant ageing drift in percentage points."""
    return census.age65plus_pct + ageing_pp_per_year * (year - CENSUS_YEAR)
