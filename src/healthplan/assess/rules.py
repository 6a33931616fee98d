"""Scoring rules: the share of an item's weight a value earns (0–1), and the requirement in words.

- ``linear``: 0 at ``floor``, 1 at ``target``, straight in between (floor above target: lower is better).
- ``steps``: the share of the highest step reached (``[[3, 0.5], [4, 1]]``: 3 earns half, 4 all).
- ``pass``: all or nothing, by a comparison (``ge 1``: has it).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

COMPARISONS: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "ge": (operator.ge, "≥"), "gt": (operator.gt, ">"), "le": (operator.le, "≤"), "lt": (operator.lt, "<"),
    "eq": (operator.eq, "="),
}


@dataclass(frozen=True)
class Linear:
    floor: float
    target: float

    def share(self, value: float) -> float:
        return min(1.0, max(0.0, (value - self.floor) / (self.target - self.floor)))

    def requirement(self) -> str:
        sign = "≥" if self.target > self.floor else "≤"
        return f"{sign}{self.target:g} 得满分，{self.floor:g} 起计分"


@dataclass(frozen=True)
class Steps:
    steps: tuple[tuple[float, float], ...]  # (threshold, share), in the order they are reached
    lower_better: bool = False

    def share(self, value: float) -> float:
        reached = [s for t, s in self.steps if (value <= t if self.lower_better else value >= t)]
        return max(reached, default=0.0)

    def requirement(self) -> str:
        sign = "≤" if self.lower_better else "≥"
        return "，".join(f"{sign}{t:g} 得{s:.0%}" for t, s in self.steps)


@dataclass(frozen=True)
class PassFail:
    op: str
    value: float

    def share(self, value: float) -> float:
        return 1.0 if COMPARISONS[self.op][0](value, self.value) else 0.0

    def requirement(self) -> str:
        return f"{COMPARISONS[self.op][1]}{self.value:g}"


Rule = Linear | Steps | PassFail
