"""County shapes for the report's maps: a GeoJSON of polygons (WGS84, properties ``code``/``name``), else the
registry's county seats as points.

Without a file given, the demo regions' boundaries are used when they hold every county of the plan.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.domain.registry import OrgUnit

Ring = tuple[tuple[float, float], ...]  # (lon, lat) points, first ≠ last
Polygon = tuple[Ring, ...]  # outer ring, then holes


@dataclass(frozen=True)
class Boundaries:
    polygons: dict[str, tuple[Polygon, ...]] = field(default_factory=dict)
    points: dict[str, tuple[float, float]] = field(default_factory=dict)  # used when there are no polygons
    names: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.polygons and not self.points

    @classmethod
    def from_points(cls, areas: Iterable[OrgUnit]) -> Boundaries:
        located = [a for a in areas if a.lat is not None and a.lon is not None]
        return cls(points={a.code: (float(a.lon or 0), float(a.lat or 0)) for a in located},
                   names={a.code: a.name for a in located})


def read_boundaries(path: Path) -> Boundaries:
    """Read a GeoJSON FeatureCollection of (Multi)Polygons; every problem is reported, located by feature."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed([Problem("无法读取 GeoJSON 文件", f"cannot read the GeoJSON file: {exc}",
                                        str(path))]) from exc
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise ValidationFailed([Problem("不是 GeoJSON FeatureCollection", "not a GeoJSON FeatureCollection",
                                        str(path))])
    polygons: dict[str, tuple[Polygon, ...]] = {}
    names: dict[str, str] = {}
    problems: list[Problem] = []
    for index, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        code = str(properties.get("code", "")).strip()
        where = f"features[{index}]"
        if not code:
            problems.append(Problem("要素缺少 code 属性", "feature has no code property", str(path), index, "code"))
            continue
        try:
            polygons[code] = _shapes(geometry)
        except (KeyError, TypeError, ValueError):
            problems.append(Problem(f"{where}（{code}）的几何不是有效的 Polygon/MultiPolygon",
                                    f"{where} ({code}): geometry is not a valid Polygon/MultiPolygon",
                                    str(path), index, "geometry"))
            continue
        names[code] = str(properties.get("name", code))
    if problems:
        raise ValidationFailed(problems)
    return Boundaries(polygons, {}, names)


def _shapes(geometry: dict[str, object]) -> tuple[Polygon, ...]:
    kind, coordinates = geometry["type"], geometry["coordinates"]
    raw = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else None
    if not isinstance(raw, list) or not raw:
        raise ValueError(kind)
    return tuple(tuple(_ring(ring) for ring in polygon) for polygon in raw)


def _ring(points: Sequence[Sequence[float]]) -> Ring:
    ring = tuple((float(p[0]), float(p[1])) for p in points)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 3:
        raise ValueError("ring")
    return ring


def find_boundaries(codes: Sequence[str]) -> Boundaries:
    """The shipped demo boundaries that cover all of ``codes`` (empty when none does)."""
    if not codes:
        return Boundaries()
    folder = resources.files("healthplan.demo").joinpath("data")
    for region in sorted(folder.iterdir(), key=lambda p: p.name):
        candidate = region.joinpath("boundaries.geojson")
        if not candidate.is_file():
            continue
        found = read_boundaries(Path(str(candidate)))
        if set(codes) <= found.polygons.keys():
            return Boundaries({c: found.polygons[c] for c in codes}, {}, {c: found.names[c] for c in codes})
    return Boundaries()
