"""One series in, thresholds out, in the layout of the R reference files (``t, year, period, observed`` in;
``t, observed, upperbound, alarm`` out), so results can be compared with R's line by line.

Numbers are written as R's ``write.csv`` writes them: up to 15 significant digits, ``NA`` for missing.
An optional ``date`` column (or ``--start``) gives the dates Farrington's reference weeks and CIDARS need.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.surveillance.detectors import DetectorResult
from healthplan.tabular.cells import CellReader
from healthplan.tabular.tables import read_table

ALIASES = {"t": ["时间"], "year": ["年"], "period": ["期"], "observed": ["计数", "count"], "date": ["日期"]}


@dataclass(frozen=True)
class Series:
    counts: NDArray[np.float64]
    dates: NDArray[np.datetime64] | None


def read_series(path: Path, start: dt.date | None = None, step_days: int = 7) -> Series:
    """Read the series; ``t`` must run 1, 2, … n; ``observed`` a non-negative count or NA (missing)."""
    table = read_table(path, ALIASES, ["t", "observed"])
    reader = CellReader(table)
    counts: list[float] = []
    dates: list[dt.date] = []
    for expected, row in enumerate(table, start=1):
        t = reader.number(row, "t", required=True)
        if t is not None and t != expected:
            reader.fail(row, "t", f"t 应为 {expected}（从 1 起连续）", f"t must be {expected} (consecutive from 1)")
        text = row.get("observed")
        if text.upper() == "NA":
            counts.append(np.nan)
        else:
            value = reader.number(row, "observed", required=True)
            if value is not None and value < 0:
                reader.fail(row, "observed", "计数不能为负", "a count cannot be negative")
            counts.append(np.nan if value is None else value)
        if "date" in table.columns:
            day = reader.date(row, "date", required=True)
            if day is not None:
                dates.append(day)
    if not counts:
        reader.problems.append(Problem("序列为空", "the series is empty", table.source, 2))
    if reader.problems:
        raise ValidationFailed(reader.problems)
    y = np.array(counts, dtype=np.float64)
    if "date" in table.columns:
        return Series(y, np.array(dates, dtype="datetime64[D]"))
    if start is not None:
        return Series(y, np.datetime64(start, "D") + step_days * np.arange(y.size))
    return Series(y, None)


def parse_range(text: str, n: int) -> NDArray[np.intp]:
    """``FROM:TO`` (1-based, inclusive) as 0-based positions."""
    first, sep, last = text.partition(":")
    try:
        lo, hi = int(first), int(last)
    except ValueError:
        lo, hi = 0, -1
    if not sep or lo < 1 or hi > n or lo > hi:
        raise ValidationFailed([Problem(f"--range 应为 FROM:TO，1 ≤ FROM ≤ TO ≤ {n}，得到“{text}”",
                                        f"--range must be FROM:TO with 1 <= FROM <= TO <= {n}, got {text!r}",
                                        "--range")])
    return np.arange(lo - 1, hi, dtype=np.intp)


def r_number(value: float) -> str:
    """A number as R's write.csv prints it (15 significant digits), NA when missing."""
    if np.isnan(value):
        return "NA"
    return f"{value:.15g}"


def rows(result: DetectorResult) -> list[dict[str, object]]:
    """The result as records: ``t`` 1-based; ``upperbound`` and ``alarm`` None where R has NA."""
    mask = np.ma.getmaskarray(result.alarm)
    return [{"t": int(i) + 1, "observed": None if np.isnan(o) else float(o),
             "upperbound": None if np.isnan(u) else float(u), "alarm": None if m else int(a)}
            for i, o, u, a, m in zip(result.index, result.observed, result.upperbound, result.alarm.data, mask,
                                     strict=True)]


def to_csv(result: DetectorResult) -> str:
    """The oracle layout, byte for byte as R writes it where the numbers agree to 15 digits."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONE)
    out.write('"t","observed","upperbound","alarm"\n')
    mask = np.ma.getmaskarray(result.alarm)
    for i, o, u, a, m in zip(result.index, result.observed, result.upperbound, result.alarm.data, mask, strict=True):
        writer.writerow([int(i) + 1, r_number(float(o)), r_number(float(u)), "NA" if m else int(a)])
    return out.getvalue()
