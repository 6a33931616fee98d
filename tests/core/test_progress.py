"""Every target operator and every status (DESIGN §3.4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthplan.domain.indicators import Polarity
from healthplan.domain.plans import Status, Target, TargetOp
from healthplan.domain.target_text import describe, parse_target_text
from healthplan.plans.progress import assess
from healthplan.plans.projection import project

H, L, N = Polarity.HIGHER_BETTER, Polarity.LOWER_BETTER, Polarity.NONE


def status(op: TargetOp, value: float | None, baseline: float | None, target: float | None = None,
           polarity: Polarity = H, year: int = 2023, high: float | None = None,
           series: list[tuple[int, float | None]] | None = None, **kw: object) -> Status:
    t = Target("x", op, value=target, value_high=high, **kw)  # type: ignore[arg-type]
    return assess(t, polarity, baseline, value, 2020, 2025, year, series or []).status


@pytest.mark.parametrize(("op", "value", "baseline", "target", "polarity", "expected"), [
    (TargetOp.GE, 70, 60, 70, H, Status.MET),
    (TargetOp.GE, 66.1, 60, 70, H, Status.ON_TRACK),  # trajectory 2023: 66
    (TargetOp.GE, 62, 60, 70, H, Status.BEHIND),
    (TargetOp.GE, 59, 60, 70, H, Status.REGRESSING),
    (TargetOp.LE, 5.0, 6.0, 5.25, L, Status.MET),
    (TargetOp.LE, 5.5, 6.0, 5.25, L, Status.ON_TRACK),  # trajectory 5.55
    (TargetOp.LE, 5.9, 6.0, 5.25, L, Status.BEHIND),
    (TargetOp.LE, 6.1, 6.0, 5.25, L, Status.REGRESSING),
    (TargetOp.REACH, 7.0, 6.13, 7, H, Status.MET),
    (TargetOp.REACH, 6.5, 6.13, 7, H, Status.BEHIND),
    (TargetOp.REACH, 5.0, 6.0, 5.25, L, Status.MET),  # lower is better: reaching means ≤
    (TargetOp.REACH, 9.0, 9.5, 9.0, N, Status.MET),  # no polarity: within ±2 %
    (TargetOp.EQ, 100, 80, 100, H, Status.MET),
    (TargetOp.FULL, 100, 80, None, H, Status.MET),
    (TargetOp.FULL, 95, 80, None, H, Status.ON_TRACK),
    (TargetOp.APPROX, 27.4, 28.94, 27, L, Status.MET),  # 27 ± 0.54
    (TargetOp.APPROX, 27.7, 28.94, 27, L, Status.ON_TRACK),  # trajectory 27.776
    (TargetOp.APPROX, 28.0, 28.94, 27, L, Status.BEHIND),
    (TargetOp.APPROX, 29.5, 28.94, 27, L, Status.REGRESSING),
    (TargetOp.RAISE, 13.0, 12.78, None, H, Status.MET),
    (TargetOp.RAISE, 12.78, 12.78, None, H, Status.BEHIND),
    (TargetOp.RAISE, 12.0, 12.78, None, H, Status.REGRESSING),
    (TargetOp.RAISE_BY, 78.05, 77.0, 1, H, Status.MET),  # 78 ± 2 %
    (TargetOp.RANGE, 15, 8, 10, H, Status.MET),
    (TargetOp.RANGE, 9.5, 8, 10, H, Status.ON_TRACK),  # trajectory 9.2
    (TargetOp.RANGE, 9, 8, 10, H, Status.BEHIND),
    (TargetOp.RANGE, 7, 8, 10, H, Status.REGRESSING),
    (TargetOp.GE, None, 60, 70, H, Status.NO_DATA),
])
def test_status(op: TargetOp, value: float | None, baseline: float, target: float | None, polarity: Polarity,
                expected: Status) -> None:
    assert status(op, value, baseline, target, polarity, high=20 if op is TargetOp.RANGE else None) is expected


def test_increase_is_judged_over_the_series() -> None:
    rising = [(2020, 74.0), (2021, 79.0), (2022, 84.0), (2023, 89.0)]
    assert status(TargetOp.INCREASE, 89, 74, series=rising) is Status.MET
    dip = [(2020, 74.0), (2021, 79.0), (2022, 78.0), (2023, 80.0)]
    assert status(TargetOp.INCREASE, 80, 74, series=dip) is Status.BEHIND
    assert status(TargetOp.INCREASE, 70, 74, series=[(2020, 74.0), (2023, 70.0)]) is Status.REGRESSING
    assert status(TargetOp.INCREASE, 74, 74, year=2020, series=[(2020, 74.0)]) is Status.ON_TRACK


def test_qualitative_keeps_the_hand_judgement() -> None:
    assert status(TargetOp.QUALITATIVE, None, None, judgement="on_track") is Status.ON_TRACK
    assert status(TargetOp.QUALITATIVE, None, None) is Status.NO_DATA


def test_completion_trajectory_and_needed_change() -> None:
    t = Target("beds_per_1000", TargetOp.REACH, value=7.0)
    p = assess(t, H, 6.13, 6.5, 2020, 2025, 2022)
    assert p.completion == pytest.approx((6.5 - 6.13) / (7 - 6.13))
    assert p.trajectory == pytest.approx(6.13 + 0.87 * 2 / 5)
    assert p.annual_change_needed == pytest.approx(0.5 / 3)


def test_projection_ols_and_compound_growth() -> None:
    p = project([(2020, 6.0), (2021, 6.2), (2022, 6.4), (2023, None)], 2025)
    assert p is not None and p.value == pytest.approx(7.0) and p.points == 3
    assert p.compound == pytest.approx(6.4 * (6.4 / 6.0) ** (3 / 2))
    assert project([(2020, 1.0)], 2025) is None


@pytest.mark.parametrize(("text", "op", "value", "high"), [
    ("≥70", TargetOp.GE, 70, None), ("≤5.25", TargetOp.LE, 5.25, None), ("27左右", TargetOp.APPROX, 27, None),
    ("持续增长", TargetOp.INCREASE, None, None), ("较2020年末较大提高", TargetOp.RAISE, None, None),
    ("7", TargetOp.REACH, 7, None), ("100", TargetOp.REACH, 100, None), ("10-20", TargetOp.RANGE, 10, 20),
    ("控制在9以内", TargetOp.LE, 9, None), ("稳定在1.8左右", TargetOp.APPROX, 1.8, None),
    ("90%以上", TargetOp.GE, 90, None), ("全覆盖", TargetOp.FULL, 100, None), ("提高1岁左右", TargetOp.RAISE_BY, 1, None),
    ("不低于85", TargetOp.GE, 85, None), ("20-10", TargetOp.RANGE, 10, 20),
])
def test_plan_wording(text: str, op: TargetOp, value: float | None, high: float | None) -> None:
    parsed = parse_target_text(text)
    assert parsed is not None
    assert (parsed.op, parsed.value, parsed.value_high) == (op, value, high)


def test_unknown_wording_is_qualitative() -> None:
    assert parse_target_text("建成区域医疗中心") is None
    assert parse_target_text("") is None


@given(st.sampled_from([TargetOp.GE, TargetOp.LE, TargetOp.APPROX, TargetOp.RANGE, TargetOp.INCREASE]),
       st.floats(0, 1000, allow_nan=False).map(lambda v: round(v, 2)))
def test_describe_reads_back(op: TargetOp, value: float) -> None:
    high = value + 5 if op is TargetOp.RANGE else None
    parsed = parse_target_text(describe(op, value, high))
    assert parsed is not None and parsed.op is op
    if op is not TargetOp.INCREASE:
        assert parsed.value == pytest.approx(value)


def test_completion_is_not_applicable_when_the_baseline_already_met_the_goal() -> None:
    t = Target("infant_mortality", TargetOp.LE, value=5.25)
    p = assess(t, L, 3.40, 3.09, 2020, 2025, 2024)
    assert p.status is Status.MET and p.completion is None and p.trajectory is None


def test_share_projection_is_bounded() -> None:
    p = project([(2020, 90.0), (2021, 95.0), (2022, 99.0)], 2025)
    assert p is not None and p.value > 100 and p.clamped(0, 100).value == 100
