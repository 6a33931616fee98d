"""Writing sentences from results: text and numbers appended in order, each number with the result it shows.

``Sentence().text("按").number("2024", "/evaluation/year").text("年数据监测。").claim()`` gives a
:class:`Claim` whose every number carries its JSON pointer (see :mod:`healthplan.reports.claims`).
"""

from __future__ import annotations

from healthplan.plans.evaluation import PlanEvaluation, TargetResult
from healthplan.reports.model import Claim, Source


class Sentence:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._sources: list[Source] = []

    def text(self, text: str) -> Sentence:
        self._parts.append(text)
        return self

    def number(self, text: str, pointer: str, scale: float = 1.0) -> Sentence:
        """A result as printed (``text``) and its pointer; ``scale`` maps the result to the printed number."""
        self._parts.append(text)
        self._sources.append(Source(pointer, text, None, scale))
        return self

    def count(self, n: int, pointer: str, **where: str) -> Sentence:
        """How many items of the array at ``pointer`` have the given field values."""
        self._parts.append(str(n))
        self._sources.append(Source(pointer, str(n), tuple(sorted(where.items()))))
        return self

    def claim(self) -> Claim:
        return Claim("".join(self._parts), tuple(self._sources))


class Pointers:
    """JSON pointers to one evaluation's results inside the report data (``/evaluation`` or a county's)."""

    def __init__(self, evaluation: PlanEvaluation, root: str = "/evaluation") -> None:
        self.evaluation = evaluation
        self.root = root
        self._index = {id(r): i for i, r in enumerate(evaluation.targets)}

    @property
    def targets(self) -> str:
        return f"{self.root}/targets"

    def of(self, result: TargetResult, field: str) -> str:
        return f"{self.root}/targets/{self._index[id(result)]}/{field}"

    def year(self, which: str = "year") -> str:
        return f"{self.root}/{which}"


def label(s: Sentence, p: Pointers, r: TargetResult) -> Sentence:
    """The target's name, sourced (names such as 5岁以下儿童死亡率 contain digits)."""
    return s.number(r.label, p.of(r, "name"))


def value(s: Sentence, p: Pointers, r: TargetResult, field: str = "value_text") -> Sentence:
    """A value as the plan prints it (``value_text``, ``baseline_text`` or ``target_text``)."""
    text = {"value_text": r.indicator.format(r.value), "baseline_text": r.indicator.format(r.baseline),
            "target_text": r.target_text}[field]
    return s.number(text, p.of(r, field))


def percent(s: Sentence, pointer: str, fraction: float) -> Sentence:
    """A fraction written as a percentage with one decimal (完成率 52.3%)."""
    return s.number(f"{fraction * 100:.1f}", pointer, scale=100).text("%")


def amount(s: Sentence, pointer: str, number: float, decimals: int = 0, scale: float = 1.0) -> Sentence:
    return s.number(f"{number * scale:.{decimals}f}", pointer, scale=scale)


def county_pointers(evaluation: PlanEvaluation, code: str) -> Pointers:
    """Pointers into a county's evaluation, kept at ``/counties/<code>/evaluation`` of the report data."""
    return Pointers(evaluation, f"/counties/{code}/evaluation")
