"""Maps of access results: GeoJSON for the web map pages and PNG for reports.

The GeoJSON is one FeatureCollection whose features carry a ``layer`` property — ``area`` (county polygons with
their coverage figures), ``demand`` (township points or grid squares with population, distance, covered),
``facility`` (existing) and ``proposed`` (new sites) — so a Leaflet page can style each layer. The PNG is drawn
with matplotlib's object API in a CJK font (Noto Sans CJK SC or 黑体); without one it is an error, never boxes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from healthplan.access.coverage import Coverage
from healthplan.access.population import cell_polygon
from healthplan.access.region import Site
from healthplan.domain.geo import MultiPolygon
from healthplan.govdoc.typeface import chart_font


def geojson(coverage: Coverage, boundaries: Mapping[str, MultiPolygon],
            proposed: Sequence[Site] = ()) -> dict[str, Any]:
    """The coverage as a GeoJSON FeatureCollection (WGS84)."""
    features: list[dict[str, Any]] = []
    summaries = {a.code: a for a in coverage.areas}
    for code, shape in boundaries.items():
        if code in summaries:
            features.append(_feature({"type": "MultiPolygon", "coordinates": [
                [[list(p) for p in ring] for ring in polygon] for polygon in shape]},
                {"layer": "area", **summaries[code].to_json()}))
    demand = coverage.demand
    lat0 = math.radians(float(np.mean(demand.places.lat))) if len(demand) else 0.0
    covered, strict = coverage.covered, coverage.covered_strict
    for i in range(len(demand)):
        lon, lat = float(demand.places.lon[i]), float(demand.places.lat[i])
        is_cell = demand.level == "grid" and demand.ids[i] != demand.seat[i].code
        geometry = ({"type": "Polygon", "coordinates": [cell_polygon(lon, lat, demand.cell_km or 1.0, lat0)]}
                    if is_cell else {"type": "Point", "coordinates": [lon, lat]})
        value = float(coverage.value[i])
        nearest = int(coverage.nearest[i])
        features.append(_feature(geometry, {
            "layer": "demand", "id": demand.ids[i], "township": demand.seat[i].code, "name": demand.seat[i].name,
            "area_type": demand.places.area_type[i].value, "population": round(float(demand.population[i]), 1),
            "value": round(value, 2) if math.isfinite(value) else None,
            "nearest": coverage.sites[nearest].code if nearest >= 0 else None,
            "assessed": bool(coverage.assessed[i]), "covered": bool(covered[i]), "covered_strict": bool(strict[i])}))
    for layer, sites in (("facility", coverage.sites), ("proposed", proposed)):
        features += [_feature({"type": "Point", "coordinates": [s.lon, s.lat]}, {"layer": layer, **s.to_json()})
                     for s in sites if not (layer == "facility" and s in proposed)]
    return {"type": "FeatureCollection", "features": features,
            "properties": {"standard": coverage.standard.code, "name": coverage.standard.name,
                           "unit": coverage.standard.unit, "travel": coverage.travel,
                           "demand": demand.describe()}}


def _feature(geometry: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def png(coverage: Coverage, boundaries: Mapping[str, MultiPolygon], title: str,
        proposed: Sequence[Site] = ()) -> bytes:
    """A map: areas outlined, demand coloured by covered (strict / lenient / not), facilities and new sites."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    family = chart_font().family
    demand = coverage.demand
    colour = np.where(coverage.covered_strict, "#1a9850", np.where(coverage.covered, "#fdae61", "#d73027"))
    colour = np.where(coverage.assessed, colour, "#bbbbbb")
    with rc_context({"font.family": [family], "axes.unicode_minus": False}):
        figure = Figure(figsize=(8, 8), dpi=150)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        for shape in boundaries.values():
            for polygon in shape:
                ring = np.array(polygon[0])
                axes.plot(ring[:, 0], ring[:, 1], color="#555555", linewidth=0.8)
        size = 4 if demand.level == "grid" else 10 + 60 * demand.population / max(float(demand.population.max()), 1.0)
        axes.scatter(demand.places.lon, demand.places.lat, s=size, c=list(colour), marker="s" if demand.level ==
                     "grid" else "o", linewidths=0, alpha=0.8, zorder=2)
        if coverage.sites:
            axes.scatter([s.lon for s in coverage.sites], [s.lat for s in coverage.sites], marker="^", s=60,
                         c="#2166ac", edgecolors="white", zorder=3)
        if proposed:
            axes.scatter([s.lon for s in proposed], [s.lat for s in proposed], marker="*", s=220, c="#762a83",
                         edgecolors="white", zorder=4)
        limit = _limits_text(coverage)
        handles = [Line2D([], [], marker="s", linestyle="", color="#1a9850", label=f"达到较严标准（{limit[0]}）"),
                   Line2D([], [], marker="s", linestyle="", color="#fdae61", label=f"达到较宽标准（{limit[1]}）"),
                   Line2D([], [], marker="s", linestyle="", color="#d73027", label="未覆盖"),
                   Line2D([], [], marker="^", linestyle="", color="#2166ac", label="现有机构")]
        if proposed:
            handles.append(Line2D([], [], marker="*", linestyle="", color="#762a83", markersize=12, label="建议新址"))
        axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        axes.set_title(title, fontsize=12)
        axes.set_aspect(1 / math.cos(math.radians(float(np.mean(demand.places.lat)))))
        axes.set_xlabel("经度")
        axes.set_ylabel("纬度")
        axes.text(0.0, -0.13, f"距离：{coverage.travel.split(' / ')[0]}\n人口：{demand.describe().split(' / ')[0]}",
                  transform=axes.transAxes, fontsize=7, color="#555555", va="top")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _limits_text(coverage: Coverage) -> tuple[str, str]:
    unit = coverage.standard.unit
    limits = coverage.standard.limits
    strict = "，".join(f"{k.label}≤{v.strict:g}{unit}" for k, v in limits.items())
    lenient = "，".join(f"{k.label}≤{v.lenient:g}{unit}" for k, v in limits.items())
    return strict, lenient
