"""Travel cost from demand points to facilities: along a road network when one is given, otherwise the
great-circle distance times a circuity factor — and every result says which.

Why both: a health commission rarely has a routable road network at hand, but a straight line under-states real
distance in hilly counties (晋城 is in the 太行山); the circuity factor (default 1.3) is the usual correction, and
travel time is then distance over an assumed average speed per area type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from healthplan.access.standards import Measure, Travel
from healthplan.domain.registry import UrbanRural

EARTH_RADIUS_KM = 6371.0088


def haversine_matrix(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distances (km) between every point of set 1 (rows) and set 2 (columns)."""
    return haversine(np.asarray(lon1, dtype=np.float64)[:, None], np.asarray(lat1, dtype=np.float64)[:, None],
                     np.asarray(lon2, dtype=np.float64)[None, :], np.asarray(lat2, dtype=np.float64)[None, :])


def haversine(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> NDArray[np.float64]:
    """Great-circle distances (km), element by element with numpy broadcasting."""
    p1, p2 = np.radians(np.asarray(lat1, dtype=np.float64)), np.radians(np.asarray(lat2, dtype=np.float64))
    dl = np.radians(np.asarray(lon2, dtype=np.float64)) - np.radians(np.asarray(lon1, dtype=np.float64))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class Places:
    """Points in WGS84; ``area_type`` (城市/农村) of each, used for speeds and for which limit applies."""

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    area_type: tuple[UrbanRural, ...]

    def __len__(self) -> int:
        return int(self.lon.shape[0])


class TravelModel(Protocol):
    @property
    def method(self) -> str: ...  # "great_circle" or "road_network"

    def describe(self) -> str: ...

    def matrix(self, origins: Places, destinations: Places, measure: Measure) -> NDArray[np.float64]: ...


def speeds(travel: Travel, area_type: Sequence[UrbanRural]) -> NDArray[np.float64]:
    """km/h per place by its area type (rural speed where the type is unknown)."""
    rural = travel.speed_kmh.get(UrbanRural.RURAL, min(travel.speed_kmh.values()))
    return np.array([travel.speed_kmh.get(t, rural) for t in area_type], dtype=np.float64)


@dataclass(frozen=True)
class GreatCircle:
    travel: Travel
    method: str = "great_circle"

    def describe(self) -> str:
        speed = "、".join(f"{k.label} {v:g} km/h" for k, v in self.travel.speed_kmh.items())
        return (f"直线距离 × 绕行系数 {self.travel.circuity:g}（无路网）；时间按平均车速 {speed} 换算 / "
                f"great-circle distance × circuity {self.travel.circuity:g} (no road network)")

    def matrix(self, origins: Places, destinations: Places, measure: Measure) -> NDArray[np.float64]:
        km = haversine_matrix(origins.lon, origins.lat, destinations.lon, destinations.lat) * self.travel.circuity
        if measure == "minutes":
            return km / speeds(self.travel, origins.area_type)[:, None] * 60.0
        return km
