"""Writing the files: CSV (UTF-8, header row, ``\\n`` line ends) and GeoJSON, formatted identically on every
run so regeneration is byte-for-byte reproducible."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from . import geo
from .area_values import AreaValue
from .facility_values import Values
from .profiles import FACILITY_ELEMENTS
from .registry import Facility


def number(value: float | int) -> str:
    """Integers as they are; other numbers with at most 2 decimals and no trailing zeros."""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_orgunits(path: Path, rows: Sequence[Mapping[str, str]]) -> None:
    header = ("code", "name", "level", "parent_code", "lat", "lon", "urban_rural")
    write_csv(path, header, ([row[h] for h in header] for row in rows))


FACILITY_HEADER = (
    "code", "name", "parent_code", "category", "specialty", "level", "grade", "ownership", "host", "urban_rural",
    "lat", "lon", "valid_from", "valid_to", "groups", "central",
)


def write_facilities(path: Path, facilities: Sequence[Facility]) -> None:
    def rows() -> Iterable[list[str]]:
        for facility in facilities:
            for v in facility.versions:
                yield [
                    v.code, v.name, v.parent_code, v.category, v.specialty, str(v.level), v.grade, v.ownership,
                    v.host, v.urban_rural, f"{v.lat:.{geo.COORD_DECIMALS}f}", f"{v.lon:.{geo.COORD_DECIMALS}f}",
                    v.valid_from.isoformat(), v.valid_to.isoformat() if v.valid_to else "", ";".join(v.groups),
                    "1" if v.central else "0",
                ]

    write_csv(path, FACILITY_HEADER, rows())


def write_facility_values(path: Path, by_year: Mapping[int, Values]) -> None:
    def rows() -> Iterable[list[str]]:
        for year in sorted(by_year):
            values = by_year[year]
            for code in sorted(values):
                row = values[code]
                yield [code, str(year), *(number(row[e]) if e in row else "" for e in FACILITY_ELEMENTS)]

    write_csv(path, ("org_unit", "period", *FACILITY_ELEMENTS), rows())


def write_area_values(path: Path, values: Sequence[AreaValue]) -> None:
    write_csv(
        path,
        ("data_element", "org_unit", "period", "value"),
        ([element, org_unit, str(year), number(value)] for element, org_unit, year, value in values),
    )


def write_geojson(path: Path, shapes: Sequence[geo.CountyShape]) -> None:
    collection: dict[str, Any] = geo.to_feature_collection(shapes)
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
