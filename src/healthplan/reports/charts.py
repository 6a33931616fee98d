"""Charts as PNG: choropleth maps of the counties and trend lines from the base year, in a CJK font.

Drawn on matplotlib's object API (no pyplot state), so reports can be built side by side. Every text on a
figure is checked against the font before the PNG is written: a missing glyph is an error, never a box.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from healthplan.domain.problems import HealthplanError
from healthplan.govdoc.typeface import chart_font, missing_glyphs
from healthplan.reports.boundaries import Boundaries, Polygon, Ring

DPI = 200
CM = 1 / 2.54


@dataclass(frozen=True)
class MapPanel:
    title: str
    values: dict[str, float | None]  # county code → value
    decimals: int
    higher_better: bool = True


@dataclass(frozen=True)
class TrendPanel:
    title: str
    series: Sequence[tuple[int, float | None]]
    decimals: int
    target_year: int
    goal: float | None = None  # the point the plan aims at in the target year
    baseline: tuple[int, float] | None = None  # draws the straight trajectory baseline → goal
    projection: tuple[int, float] | None = None  # draws the projected line from the last value


def _render(width_cm: float, height_cm: float, draw: Callable[[Any], None]) -> bytes:
    """Draw on a new figure in the CJK font, check every text (tick labels too) has glyphs, return the PNG."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    font = chart_font()
    with rc_context({"font.family": [font.family], "axes.unicode_minus": False}):
        figure = Figure(figsize=(width_cm * CM, height_cm * CM), dpi=DPI)
        FigureCanvasAgg(figure)
        draw(figure)
        figure.canvas.draw()
        missing = missing_glyphs(font, "".join(t.get_text() for t in figure.findobj(Text)))
        if missing:
            raise HealthplanError(f"字体 {font.family} 缺少字符“{missing}”，图表无法正确显示",
                                  f"font {font.family} has no glyph for {missing!r}")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.05,
                       metadata={"Software": None})
    return buffer.getvalue()


def _oriented(ring: Ring, counterclockwise: bool) -> Ring:
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
    return ring if (area > 0) == counterclockwise else ring[::-1]


def _path(polygons: Sequence[Polygon]) -> Any:
    """One compound path; holes wound against their outer ring so any fill rule leaves them empty."""
    from matplotlib.path import Path

    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            points = _oriented(ring, counterclockwise=index == 0)
            vertices += [*points, points[0]]
            codes += [int(Path.MOVETO)] + [int(Path.LINETO)] * (len(points) - 1) + [int(Path.CLOSEPOLY)]
    return Path(vertices, codes)


def _extent(polygons: Sequence[Polygon]) -> float:
    """The bounding-box area: larger counties are drawn first, so a county inside another stays visible."""
    xs = [x for polygon in polygons for x, _ in polygon[0]]
    ys = [y for polygon in polygons for _, y in polygon[0]]
    return (max(xs) - min(xs)) * (max(ys) - min(ys))


def _label_points(shapes: dict[str, tuple[Polygon, ...]]) -> dict[str, tuple[float, float]]:
    """Where each county's name is written: a grid point inside it (and outside the counties it encloses), far
    from its border and from the labels already placed, smallest county first. A centroid will not do: 泽州县's
    lies in 城区, which it surrounds."""
    import numpy as np

    placed: list[tuple[float, float]] = []
    result: dict[str, tuple[float, float]] = {}
    paths = {code: _path(polygons) for code, polygons in shapes.items()}
    for code in sorted(paths, key=lambda c: _extent(shapes[c])):
        path = paths[code]
        xs, ys = path.vertices[:, 0], path.vertices[:, 1]
        gx, gy = np.meshgrid(np.linspace(xs.min(), xs.max(), 40), np.linspace(ys.min(), ys.max(), 40))
        grid = np.column_stack([gx.ravel(), gy.ravel()])
        mine = path.contains_points(grid)
        for other, other_path in paths.items():  # a county drawn inside another is not part of it
            if other != code:
                mine &= ~other_path.contains_points(grid)
        inside = grid[mine]
        if len(inside) == 0:
            inside = np.array([[xs.mean(), ys.mean()]])
        keep = path.codes[1:] != path.CLOSEPOLY
        starts, ends = path.vertices[:-1][keep], path.vertices[1:][keep]
        segment = ends - starts
        length2 = np.maximum((segment ** 2).sum(axis=1), 1e-18)
        t = np.clip(((inside[:, None, :] - starts[None]) * segment[None]).sum(axis=2) / length2, 0, 1)
        nearest = starts[None] + t[:, :, None] * segment[None]
        score = np.sqrt(((inside[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)
        if placed:
            others = np.sqrt(((inside[:, None, :] - np.array(placed)[None]) ** 2).sum(axis=2)).min(axis=1)
            span = float(np.ptp(xs) + np.ptp(ys)) / 2
            score = score + np.minimum(others, span / 2)
        x, y = inside[int(score.argmax())]
        result[code] = (float(x), float(y))
        placed.append(result[code])
    return result


def choropleth(panels: Sequence[MapPanel], boundaries: Boundaries, width_cm: float = 15.6) -> bytes:
    """One small map per panel, counties coloured by value (darker is better), names and values written in."""
    columns = 1 if len(panels) == 1 else 2
    rows = math.ceil(len(panels) / columns)

    def draw(figure: Any) -> None:
        for index, panel in enumerate(panels):
            _map(figure, figure.add_subplot(rows, columns, index + 1), panel, boundaries)

    return _render(width_cm, rows * width_cm / columns * 0.85, draw)


def _map(figure: Any, axes: Any, panel: MapPanel, boundaries: Boundaries) -> None:
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.patches import PathPatch
    from matplotlib.patheffects import withStroke

    known = [v for v in panel.values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    norm = Normalize(low, high if high > low else low + 1)
    cmap = colormaps["YlGnBu" if panel.higher_better else "YlGnBu_r"]
    outline = [p for shapes in boundaries.polygons.values() for poly in shapes for p in poly[0]]
    mid_lat = sum(p[1] for p in outline or boundaries.points.values()) / len(outline or boundaries.points)
    labels = _label_points(boundaries.polygons) if boundaries.polygons else boundaries.points
    for code in sorted(labels, key=lambda c: -_extent(boundaries.polygons[c]) if boundaries.polygons else c):
        value = panel.values.get(code)
        colour = "#dddddd" if value is None else cmap(norm(value))
        shown = "无数据" if value is None else f"{value:.{panel.decimals}f}"
        if boundaries.polygons:
            axes.add_patch(PathPatch(_path(boundaries.polygons[code]), facecolor=colour, edgecolor="#555555",
                                     linewidth=0.6))
        x, y = labels[code]
        if not boundaries.polygons:
            axes.scatter([x], [y], s=500, color=[colour], edgecolors="#555555", linewidths=0.6)
        axes.text(x, y, f"{boundaries.names.get(code, code)}\n{shown}", ha="center", va="center", fontsize=6.5,
                  linespacing=1.2, color="#111111", path_effects=[withStroke(linewidth=2, foreground="white")])
    axes.set_aspect(1 / math.cos(math.radians(mid_lat)))
    axes.autoscale_view()
    if not boundaries.polygons:
        axes.margins(0.15)
    axes.set_axis_off()
    axes.set_title(panel.title, fontsize=8)
    bar = figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=axes, orientation="horizontal", shrink=0.6,
                          pad=0.02, aspect=30)
    bar.ax.tick_params(labelsize=6)


def trends(panels: Sequence[TrendPanel], width_cm: float = 15.6, columns: int = 2) -> bytes:
    """Small multiples: the yearly values, the plan's straight trajectory, the goal and any projection."""
    rows = math.ceil(len(panels) / columns)

    def draw(figure: Any) -> None:
        for index, panel in enumerate(panels):
            _trend(figure.add_subplot(rows, columns, index + 1), panel, legend=index == 0)
        figure.tight_layout()

    return _render(width_cm, rows * 5.2, draw)


def _trend(axes: Any, panel: TrendPanel, legend: bool) -> None:
    from matplotlib.ticker import MaxNLocator

    known = [(y, v) for y, v in panel.series if v is not None]
    if known:
        axes.plot([y for y, _ in known], [v for _, v in known], marker="o", markersize=3, linewidth=1.4,
                  color="#1f4e79", label="实际值")
    if panel.baseline is not None and panel.goal is not None:
        axes.plot([panel.baseline[0], panel.target_year], [panel.baseline[1], panel.goal], linestyle=":",
                  linewidth=1, color="#7f7f7f", label="规划进度线")
    if panel.projection is not None and known:
        axes.plot([known[-1][0], panel.projection[0]], [known[-1][1], panel.projection[1]], linestyle="--",
                  linewidth=1, color="#c55a11", label="趋势外推")
    if panel.goal is not None:
        axes.scatter([panel.target_year], [panel.goal], marker="*", s=60, color="#c00000", zorder=3,
                     label=f"{panel.target_year}年目标")
    axes.set_xlim(min([y for y, _ in panel.series] or [panel.target_year]) - 0.5, panel.target_year + 0.5)
    axes.set_title(panel.title, fontsize=7.5)
    axes.tick_params(labelsize=6)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(True, linewidth=0.3, alpha=0.5)
    if legend:
        axes.legend(fontsize=5.5, loc="best", frameon=False)
