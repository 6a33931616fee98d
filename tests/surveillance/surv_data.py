"""Loading the R reference outputs in tests/fixtures/surveillance (shared by the surveillance tests).

R's ``salmNewport`` is an ``sts`` with ``epochAsDate = TRUE``: weekly Mondays from 2004-01-05 (the ``year``
and ``period`` columns of the series file come from the object's nominal ``start = c(2000, 1)``, not from
its dates).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "surveillance"


def _column(values: list[str]) -> np.ndarray:
    try:
        return np.array([np.nan if value == "NA" else float(value) for value in values])
    except ValueError:
        return np.array(values)


def load(name: str) -> dict[str, np.ndarray]:
    """A fixture CSV as columns: numbers as floats with R's NA as NaN, anything else as strings."""
    with (FIXTURES / name).open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {key: _column([row[key] for row in rows]) for key in rows[0]}


SALM = load("salmNewport_series.csv")["observed"]
SALM_DATES = np.datetime64("2004-01-05") + 7 * np.arange(SALM.size)
