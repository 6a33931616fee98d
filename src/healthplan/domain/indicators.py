"""Indicators (指标): numerator / denominator × factor, in the expression language of DESIGN §3.3."""

from __future__ import annotations

from dataclasses import dataclass

from healthplan.domain.labels import LabelledEnum, labelled


@labelled({"higher_better": "越高越好", "lower_better": "越低越好", "none": "无方向"})
class Polarity(LabelledEnum):
    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"
    NONE = "none"


@labelled({"number": "数值", "ratio": "比例(1:x)"})
class Display(LabelledEnum):
    """How a value is written: a plain number, or ``1:1.55`` for ratios such as 医护比."""

    NUMBER = "number"
    RATIO = "ratio"


ALLOWED_FACTORS = (1, 100, 1000, 10000, 100000)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    numerator: str
    denominator: str | None = None
    factor: float = 1
    name_en: str = ""
    unit: str = ""
    decimals: int = 2
    polarity: Polarity = Polarity.HIGHER_BETTER
    display: Display = Display.NUMBER
    definition: str = ""
    plan_code: str | None = None

    def format(self, value: float | None, decimals: int | None = None) -> str:
        """The value as a planner writes it: ``6.13``, ``1:1.55``; ``—`` when there is no value."""
        if value is None:
            return "—"
        places = self.decimals if decimals is None else decimals
        text = f"{round(value, places):.{places}f}"
        return f"1:{text}" if self.display is Display.RATIO else text
