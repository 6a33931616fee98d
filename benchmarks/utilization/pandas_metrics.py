"""The peer: the same counts as ``healthplan.utilization.metrics`` written the straightforward pandas way.

Read the needed columns into a DataFrame, merge the two lookups, flag the conditions, group and sum. It is
written independently of the Ibis expressions (only the lookup tables are shared) so that the benchmark also
checks the two give the same numbers.
"""

from __future__ import annotations

import calendar
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.dataset as ds

from healthplan.utilization.territory import Territory

COLUMNS = ["residence_code", "facility_code", "type", "admit_date", "discharge_date", "referral", "surgery",
           "cost_total", "cost_oop", "year"]
Counts = dict[tuple[int, str], dict[str, float]]


def _read(root: Path, years: list[int]) -> Any:
    dataset = ds.dataset(root, format="parquet", partitioning="hive")
    frame = dataset.to_table(columns=COLUMNS, filter=ds.field("year").isin(years)).to_pandas()
    for column in ("admit_date", "discharge_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _add(counts: Counts, frame: Any, keys: list[str], columns: dict[str, str]) -> None:
    summed = frame.groupby(keys, dropna=True)[list(columns.values())].sum()
    for (year, area), row in summed.iterrows():
        target = counts.setdefault((int(year), str(area)), {})
        for name, column in columns.items():
            target[name] = target.get(name, 0) + float(row[column])


def pandas_counts(root: Path, territory: Territory, years: list[int]) -> Counts:
    """Records (not weighted) per (year, county or city), money in cents."""
    frame = _read(root, years)
    residence = territory.residence_table().to_pandas()
    facility = territory.facility_table(years).to_pandas()
    frame = frame.merge(residence, how="left", left_on="residence_code", right_on="r_code")
    frame = frame.merge(facility, how="left", left_on=["facility_code", "year"], right_on=["f_code", "f_year"])
    stay = frame["type"] == "inpatient"
    visit = frame["type"].isin(["outpatient", "emergency"])
    inside = (frame["fac_county"] == frame["res_county"]) & frame["fac_county"].notna()
    same_city = (frame["fac_city"] == frame["res_city"]) & frame["fac_city"].notna()
    total = (frame["cost_total"] * 100).round()
    flags = pd.DataFrame({
        "year": frame["year"], "res_county": frame["res_county"], "res_city": frame["res_city"],
        "fac_county": frame["fac_county"], "fac_city": frame["fac_city"],
        "resident_total": 1, "resident_in_county": inside, "resident_inpatient_total": stay,
        "resident_inpatient_in_county": stay & inside, "resident_out_of_city": ~same_city,
        "ambulatory": visit, "ambulatory_primary": visit & frame["primary_care"].fillna(False).astype(bool),
        "referrals_up": frame["referral"] == "up", "referrals_down": frame["referral"] == "down",
        "discharges": stay,
        "discharged_bed_days": ((frame["discharge_date"] - frame["admit_date"]).dt.days).where(stay, 0),
        "day_surgeries": frame["surgery"] == "day", "elective_surgeries": frame["surgery"].isin(["elective", "day"]),
        "ambulatory_cost": total.where(visit, 0), "inpatient_cost": total.where(stay, 0), "cost_total": total,
        "cost_oop": (frame["cost_oop"] * 100).round(),
    })
    residents = {k: k for k in ("resident_total", "resident_in_county", "resident_inpatient_total",
                                "resident_inpatient_in_county", "resident_out_of_city")}
    located = {k: k for k in flags.columns[10:]}
    counts: Counts = {}
    for level in ("res_county", "res_city"):
        _add(counts, flags[flags["res_city"].notna()], ["year", level], residents)
    for level in ("fac_county", "fac_city"):
        _add(counts, flags[flags["fac_city"].notna()], ["year", level], located)
    _bed_days(counts, root, territory, years)
    return counts


def _bed_days(counts: Counts, root: Path, territory: Territory, years: list[int]) -> None:
    scanned = sorted({y for year in years for y in (year, year + 1)})
    stays = _read(root, scanned)
    stays = stays[stays["type"] == "inpatient"]
    for year in years:
        start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year + 1, 1, 1)
        overlapping = stays[(stays["admit_date"] < end) & (stays["discharge_date"] > start)]
        beds = territory.facility_table([year]).to_pandas()
        beds = beds[beds["beds_open"].notna() & beds["fac_city"].notna()]
        merged = overlapping.merge(beds, left_on="facility_code", right_on="f_code")
        nights = (merged["discharge_date"].clip(upper=end) - merged["admit_date"].clip(lower=start)).dt.days
        merged = merged.assign(nights=nights, year=year)
        days = 366 if calendar.isleap(year) else 365
        for level in ("fac_county", "fac_city"):
            for area, value in merged.groupby(level)["nights"].sum().items():
                counts.setdefault((year, str(area)), {})["bed_days_occupied"] = float(value)
            for area, value in (beds.groupby(level)["beds_open"].sum() * days).items():
                counts.setdefault((year, str(area)), {})["bed_days_open"] = float(value)
