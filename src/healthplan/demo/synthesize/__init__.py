"""Synthesize the embedded demo regions (晋城市, 朔州市) from ``reference/`` data.

``python -m healthplan.demo.synthesize`` regenerates ``healthplan/demo/data/<region>/`` byte for byte:
``orgunits.csv``, ``facilities.csv``, ``facility_values.csv``, ``area_values.csv``, ``boundaries.geojson``
and a bilingual ``README.md`` saying what is real and what is synthetic.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from .adoption import adopt
from .area_values import area_values
from .census import CENSUS_YEAR
from .facility_values import facility_values
from .jincheng import JINCHENG
from .orgunits import build_geography, orgunit_rows
from .output import write_area_values, write_facilities, write_facility_values, write_geojson, write_orgunits
from .readme import readme
from .registry import active, build_registry
from .shuozhou import SHUOZHOU
from .spec import RegionSpec
from .validate import check_counts

REGIONS: tuple[RegionSpec, ...] = (JINCHENG, SHUOZHOU)
FILES = ("orgunits.csv", "facilities.csv", "facility_values.csv", "area_values.csv", "boundaries.geojson",
         "README.md")


def default_reference() -> Path:
    """``$HEALTHPLAN_REFERENCE`` or ``../shared/reference`` beside the repository."""
    configured = os.environ.get("HEALTHPLAN_REFERENCE")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4].parent / "shared" / "reference"


def default_output() -> Path:
    return Path(__file__).resolve().parents[1] / "data"


def synthesize_region(region: RegionSpec, reference: Path, out: Path) -> list[Path]:
    """Write one region's files into ``out`` and return their paths."""
    geography = build_geography(
        region,
        reference / "data" / "census_2020_counties.csv",
        reference / "data" / "boundaries" / f"{region.code}_full.json",
    )
    facilities = build_registry(region, geography)
    check_counts(region, active(facilities, date(CENSUS_YEAR, 12, 31)))
    adopted = adopt(region, facilities)
    populations = {year: geography.city_population(year) for year in region.years}
    by_year = facility_values(region, facilities, populations, adopted)
    areas = area_values(geography)
    out.mkdir(parents=True, exist_ok=True)
    write_orgunits(out / "orgunits.csv", orgunit_rows(geography))
    write_facilities(out / "facilities.csv", facilities)
    write_facility_values(out / "facility_values.csv", by_year)
    write_area_values(out / "area_values.csv", areas)
    write_geojson(out / "boundaries.geojson", [c.shape for c in geography.counties])
    (out / "README.md").write_text(readme(region, geography, facilities), encoding="utf-8")
    return [out / name for name in FILES]


def synthesize(reference: Path | None = None, out: Path | None = None) -> list[Path]:
    """Write every region into ``out`` (default: the package's ``demo/data``)."""
    reference = reference or default_reference()
    out = out or default_output()
    written: list[Path] = []
    for region in REGIONS:
        written += synthesize_region(region, reference, out / region.key)
    return written
