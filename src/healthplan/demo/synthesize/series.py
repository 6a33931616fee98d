"""Yearly paths of indicators: the plans' published figures plus the demo's stated assumptions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Series:
    """A value per year, given by points and linear interpolation between them (constant beyond the ends).

    ``published`` holds the plans' figures as printed ("1.6", "3.40"): the demo reproduces each exactly at
    the number of decimals it was printed with; ``assumed`` holds the demo's own points (``decimals`` places),
    chosen to show a plausible path and a target status. ``note`` says in words how the series was
    continued; the README prints it."""

    published: Mapping[int, str] = field(default_factory=dict)
    assumed: Mapping[int, float] = field(default_factory=dict)
    decimals: int = 2
    note: str = ""
    since: int = 0  # no value is recorded before this year ("—" in the plan)

    def __post_init__(self) -> None:
        if not self.published and not self.assumed:
            raise ValueError("a series needs at least one point")
        clash = set(self.published) & set(self.assumed)
        if clash:
            raise ValueError(f"years both published and assumed: {sorted(clash)}")

    @property
    def points(self) -> dict[int, float]:
        merged = {**self.assumed, **{year: float(text) for year, text in self.published.items()}}
        return dict(sorted(merged.items()))

    def at(self, year: int) -> float:
        points = self.points
        if year in points:
            return points[year]
        years = list(points)
        if year < years[0]:
            return points[years[0]]
        if year > years[-1]:
            return points[years[-1]]
        after = next(y for y in years if y > year)
        before = max(y for y in years if y < year)
        share = (year - before) / (after - before)
        return round(points[before] + share * (points[after] - points[before]), self.decimals + 2)

    def has_value(self, year: int) -> bool:
        return year >= self.since

    def is_published(self, year: int) -> bool:
        return year in self.published

    def decimals_at(self, year: int) -> int:
        """Decimals the value of ``year`` is reproduced to: as printed when published, else ``decimals``."""
        text = self.published.get(year)
        if text is None:
            return self.decimals
        return len(text.split(".")[1]) if "." in text else 0
