"""Mid-term/final verdicts, the CJK chart font (no tofu), maps and trend charts, and county boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthplan.domain.indicators import Indicator, Polarity
from healthplan.domain.plans import Status, Target, TargetOp
from healthplan.domain.problems import HealthplanError, ValidationFailed
from healthplan.domain.registry import Level, OrgUnit
from healthplan.govdoc import typeface as fonts
from healthplan.plans.evaluation import TargetResult
from healthplan.plans.progress import Progress
from healthplan.plans.projection import Projection
from healthplan.reports import charts
from healthplan.reports.boundaries import Boundaries, find_boundaries, read_boundaries
from healthplan.reports.outlook import Verdict, final_outlook, midterm_outlook

JINCHENG = ["140502", "140521", "140522", "140524", "140525", "140581"]
PNG = b"\x89PNG\r\n\x1a\n"


def _result(op: TargetOp, status: Status, projected: float | None, value: float | None = 2.0,
            polarity: Polarity = Polarity.HIGHER_BETTER, slope: float = 0.1) -> TargetResult:
    indicator = Indicator("x", "x", "sum(beds.actual)", decimals=2, polarity=polarity)
    target = Target("x", op, value=3.0)
    projection = None if projected is None else Projection(2025, projected, None, slope, 5)
    return TargetResult(target, indicator, "140500", 1.0, "computed", value, None, None,
                        Progress(status, 0.5, 2.5, 0.2), projection, None, [(2020, 1.0), (2024, value)])


@pytest.mark.parametrize(("op", "status", "projected", "slope", "verdict"), [
    (TargetOp.REACH, Status.MET, 3.4, 0.1, Verdict.MET),
    (TargetOp.REACH, Status.BEHIND, 3.004, 0.1, Verdict.LIKELY),  # rounded to 3.00: reaches 3
    (TargetOp.REACH, Status.BEHIND, 2.994, 0.1, Verdict.UNLIKELY),
    (TargetOp.REACH, Status.NO_DATA, None, 0.1, Verdict.UNKNOWN),
    (TargetOp.INCREASE, Status.BEHIND, 99.0, 0.5, Verdict.LIKELY),
    (TargetOp.INCREASE, Status.BEHIND, 80.0, -0.5, Verdict.UNLIKELY),
    (TargetOp.QUALITATIVE, Status.ON_TRACK, None, 0.0, Verdict.UNKNOWN),
])
def test_midterm_verdicts(op: TargetOp, status: Status, projected: float | None, slope: float,
                          verdict: Verdict) -> None:
    outlook = midterm_outlook(_result(op, status, projected, slope=slope))
    assert outlook.verdict is verdict
    assert outlook.to_json()["verdict_label"] == verdict.label


def test_midterm_reads_lower_better_targets_downwards() -> None:
    r = _result(TargetOp.REACH, Status.BEHIND, 2.9, polarity=Polarity.LOWER_BETTER)
    assert midterm_outlook(r).verdict is Verdict.LIKELY


def test_final_verdicts() -> None:
    assert final_outlook(_result(TargetOp.REACH, Status.MET, None)).verdict is Verdict.DONE
    assert final_outlook(_result(TargetOp.REACH, Status.ON_TRACK, None)).verdict is Verdict.NOT_DONE
    assert final_outlook(_result(TargetOp.REACH, Status.NO_DATA, None)).verdict is Verdict.UNKNOWN


@pytest.mark.filterwarnings("ignore:Glyph")
def test_a_latin_font_is_caught_missing_chinese_glyphs(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    latin = fonts.ChartFont("DejaVu Sans", font_manager.findfont("DejaVu Sans"), 0)
    assert fonts.missing_glyphs(latin, "县 A") == "县"
    monkeypatch.setattr(charts, "chart_font", lambda: latin)
    with pytest.raises(HealthplanError) as caught:
        charts.trends([charts.TrendPanel("床位数", [(2020, 1.0), (2021, 2.0)], 2, 2025)])
    assert "床" in caught.value.zh


def test_demo_boundaries_cover_jincheng_and_not_a_made_up_county() -> None:
    found = find_boundaries(JINCHENG)
    assert sorted(found.polygons) == JINCHENG
    assert found.names["140525"] == "泽州县"
    assert find_boundaries(["140525", "999999"]).empty


def test_labels_stay_inside_their_county_and_out_of_the_ones_it_surrounds() -> None:
    found = find_boundaries(JINCHENG)
    points = charts._label_points(found.polygons)
    paths = {code: charts._path(shapes) for code, shapes in found.polygons.items()}
    for code, point in points.items():
        assert paths[code].contains_point(point), code
        assert not any(paths[o].contains_point(point) for o in paths if o != code), code


def test_maps_and_trends_are_png(tmp_path: Path) -> None:
    found = find_boundaries(JINCHENG)
    values: dict[str, float | None] = {code: float(i) for i, code in enumerate(JINCHENG)}
    values["140524"] = None
    panels = [charts.MapPanel("每千人口床位数（张）", values, 2),
              charts.MapPanel("婴儿死亡率（‰）", values, 2, higher_better=False)]
    assert charts.choropleth(panels, found).startswith(PNG)
    seats = Boundaries.from_points([OrgUnit("140502", "城区", Level.COUNTY, "140500", 35.5, 112.85),
                                    OrgUnit("140525", "泽州县", Level.COUNTY, "140500", 35.6, 112.9)])
    assert charts.choropleth(panels[:1], seats).startswith(PNG)
    trend = charts.TrendPanel("全科医生数", [(2020, 1.6), (2021, None), (2022, 2.4)], 2, 2025, 3.5, (2020, 1.6),
                              (2025, 4.0))
    assert charts.trends([trend, trend]).startswith(PNG)


def test_boundary_files_are_checked_whole(tmp_path: Path) -> None:
    path = tmp_path / "b.geojson"
    square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"properties": {"code": "1", "name": "甲"}, "geometry": {"type": "Polygon", "coordinates": square}},
        {"properties": {"name": "乙"}, "geometry": {"type": "Polygon", "coordinates": square}},
        {"properties": {"code": "3"}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
    ]}), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        read_boundaries(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "code"), (3, "geometry")]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"properties": {"code": "1", "name": "甲"}, "geometry": {"type": "MultiPolygon", "coordinates": [square]}}]}),
        encoding="utf-8")
    assert read_boundaries(path).polygons["1"][0][0] == ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        read_boundaries(path)
