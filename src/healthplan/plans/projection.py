"""Projection of a yearly series to the target year: OLS straight line, and compound growth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Projection:
    """``value`` is the OLS line at the target year; ``compound`` extends the average annual growth rate."""

    year: int
    value: float
    compound: float | None
    slope: float
    points: int
    method: str = "ols_linear"

    def clamped(self, low: float, high: float) -> Projection:
        """The same projection bounded to what the indicator can take (shares stay within 0–100 %)."""
        compound = None if self.compound is None else min(max(self.compound, low), high)
        return replace(self, value=min(max(self.value, low), high), compound=compound)

    def to_json(self) -> dict[str, object]:
        return {"year": self.year, "value": self.value, "method": self.method, "slope_per_year": self.slope,
                "compound_growth": self.compound, "points": self.points}


def project(series: Sequence[tuple[int, float | None]], year: int) -> Projection | None:
    """Fit the known (year, value) points; None with fewer than two."""
    points = sorted((y, v) for y, v in series if v is not None)
    if len(points) < 2:
        return None
    n = len(points)
    mean_x = sum(y for y, _ in points) / n
    mean_y = sum(v for _, v in points) / n
    sxx = sum((y - mean_x) ** 2 for y, _ in points)
    slope = sum((y - mean_x) * (v - mean_y) for y, v in points) / sxx
    value = mean_y + slope * (year - mean_x)
    (y0, v0), (y1, v1) = points[0], points[-1]
    compound = None
    if v0 > 0 and v1 > 0 and y1 > y0:
        rate = (v1 / v0) ** (1 / (y1 - y0))
        compound = v1 * rate ** (year - y1)
    return Projection(year, value, compound, slope, n)
