"""Target status, completion and trajectory (DESIGN §3.4) — pure rules over numbers.

For a target with baseline B in base year b, goal G in target year T and value V in monitoring year y:
``met`` when V satisfies the operator; otherwise ``regressing`` when V is worse than B, ``on_track`` when V is
at least the linear trajectory B + (G − B)(y − b)/(T − b), else ``behind``. Better/worse follows the direction
from B to G (or the indicator's polarity for ``reach``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from healthplan.domain.indicators import Polarity
from healthplan.domain.plans import Status, Target, TargetOp

DEFAULT_APPROX_TOLERANCE = 0.02  # ±2 % relative, DESIGN §3.4


@dataclass(frozen=True)
class Goal:
    """The numeric reading of a target: the interval that counts as met and the direction of progress."""

    low: float | None
    high: float | None
    point: float | None  # the value used for trajectory and completion
    direction: int  # +1 higher is progress, −1 lower is progress, 0 unknown
    strict: bool = False  # the low bound itself is not enough (较基期提高: above the baseline)


def goal(target: Target, baseline: float | None, polarity: Polarity) -> Goal | None:
    """None for operators judged over the series (increase) or by hand (qualitative)."""
    v = target.value
    match target.op:
        case TargetOp.GE:
            return Goal(v, None, v, +1)
        case TargetOp.LE:
            return Goal(None, v, v, -1)
        case TargetOp.FULL:
            return Goal(100.0 if v is None else v, None, 100.0 if v is None else v, +1)
        case TargetOp.REACH:
            if polarity is Polarity.HIGHER_BETTER:
                return Goal(v, None, v, +1)
            if polarity is Polarity.LOWER_BETTER:
                return Goal(None, v, v, -1)
            return _around(target, v, baseline)
        case TargetOp.EQ:
            return Goal(v, v, v, _sign(v, baseline))
        case TargetOp.APPROX:
            return _around(target, v, baseline)
        case TargetOp.RAISE_BY:
            if baseline is None or v is None:
                return None
            return _around(target, baseline + v, baseline)
        case TargetOp.RAISE:
            if baseline is None:
                return None
            return Goal(baseline, None, None, +1, strict=True)
        case TargetOp.RANGE:
            low, high = v, target.value_high
            point = low if baseline is not None and low is not None and baseline < low else high
            return Goal(low, high, point, _sign(point, baseline))
    return None


def _around(target: Target, point: float | None, baseline: float | None) -> Goal | None:
    if point is None:
        return None
    tol = DEFAULT_APPROX_TOLERANCE if target.tolerance is None else target.tolerance
    width = abs(point) * tol if target.tolerance_relative else tol
    return Goal(point - width, point + width, point, _sign(point, baseline))


def _sign(point: float | None, baseline: float | None) -> int:
    if point is None or baseline is None or point == baseline:
        return 0
    return 1 if point > baseline else -1


def satisfied(g: Goal, value: float) -> bool:
    if g.low is None and g.high is None:
        return False
    if g.low is not None and (value <= g.low if g.strict else value < g.low - 1e-9):
        return False
    return g.high is None or value <= g.high + 1e-9


@dataclass(frozen=True)
class Progress:
    status: Status
    completion: float | None  # (V − B)/(G − B); 1.0 = the whole way; None when B already met the goal
    trajectory: float | None  # where the straight line from B to G stands in year y
    annual_change_needed: float | None  # per remaining year to reach G from V


def assess(target: Target, polarity: Polarity, baseline: float | None, value: float | None,
           base_year: int, target_year: int, year: int,
           series: Sequence[tuple[int, float | None]] = ()) -> Progress:
    """Status of ``target`` in ``year``; ``series`` is (year, value) from the base year on, for ``increase``."""
    if target.op is TargetOp.QUALITATIVE:
        return Progress(Status(target.judgement) if target.judgement else Status.NO_DATA, None, None, None)
    if value is None:
        return Progress(Status.NO_DATA, None, None, None)
    if target.op is TargetOp.INCREASE:
        return Progress(_increase_status(series, baseline, value), None, None, None)
    g = goal(target, baseline, polarity)
    if g is None:
        return Progress(Status.NO_DATA if baseline is None else Status.BEHIND, None, None, None)
    completion = trajectory = needed = None
    met_at_baseline = baseline is not None and satisfied(g, baseline)
    if g.point is not None and baseline is not None and g.point != baseline and not met_at_baseline:
        completion = (value - baseline) / (g.point - baseline)
        span = target_year - base_year
        trajectory = baseline + (g.point - baseline) * ((year - base_year) / span if span > 0 else 1.0)
    if g.point is not None and year < target_year:
        needed = (g.point - value) / (target_year - year)
    if satisfied(g, value):
        return Progress(Status.MET, completion, trajectory, needed)
    direction = g.direction or _sign(g.point, value)
    if baseline is None or direction == 0:
        return Progress(Status.BEHIND, completion, trajectory, needed)
    if (value - baseline) * direction < 0:
        return Progress(Status.REGRESSING, completion, trajectory, needed)
    if trajectory is not None and (value - trajectory) * direction >= -1e-9:
        return Progress(Status.ON_TRACK, completion, trajectory, needed)
    return Progress(Status.BEHIND, completion, trajectory, needed)


def _increase_status(series: Sequence[tuple[int, float | None]], baseline: float | None, value: float) -> Status:
    """持续增长: every year above the last. Below the base year's value is regressing; a dip is behind."""
    known = [v for _, v in sorted(series) if v is not None]
    if baseline is not None and value < baseline:
        return Status.REGRESSING
    if len(known) < 2:  # the base year itself: nothing to grow from yet
        return Status.ON_TRACK
    rising = all(b > a for a, b in pairwise(known))
    return Status.MET if rising else Status.BEHIND
