"""Assessment results: each subject's points per item and dimension, total, rank, grade, and why points were lost.

Subjects may have different maxima (an item a subject is exempt from, or not yet due, is left out), so they are
ranked on the score out of 100 (total ÷ maximum × 100); equal scores share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from dataclasses import dataclass

SCORE_DECIMALS = 2


def points(weight: float, share: float) -> float:
    return round(weight * share, SCORE_DECIMALS)


def lost(weight: float, share: float) -> float:
    return round(weight - points(weight, share), SCORE_DECIMALS)


@dataclass(frozen=True)
class ItemScore:
    code: str
    name: str
    dimension: str
    weight: float
    value: float | None
    value_text: str
    requirement: str
    share: float  # of the weight earned, 0–1
    reason: str  # why points were lost ("" when none were)
    tier: str = ""

    @property
    def points(self) -> float:
        return points(self.weight, self.share)

    @property
    def lost(self) -> float:
        return lost(self.weight, self.share)

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "dimension": self.dimension, "weight": self.weight,
                "value": self.value, "value_text": self.value_text, "requirement": self.requirement,
                "share": self.share, "points": self.points, "lost": self.lost, "reason": self.reason or None,
                "tier": self.tier or None}


@dataclass(frozen=True)
class DimensionScore:
    code: str
    name: str
    points: float
    maximum: float

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "points": self.points, "max": self.maximum}


@dataclass(frozen=True)
class SubjectResult:
    org_unit: str
    name: str
    items: tuple[ItemScore, ...]
    dimensions: tuple[DimensionScore, ...]
    grade: str = ""
    rank: int = 0

    @property
    def total(self) -> float:
        return round(sum(i.points for i in self.items), SCORE_DECIMALS)

    @property
    def maximum(self) -> float:
        return round(sum(i.weight for i in self.items), SCORE_DECIMALS)

    @property
    def score(self) -> float | None:
        """Out of 100."""
        return round(self.total / self.maximum * 100, SCORE_DECIMALS) if self.maximum else None

    def reasons(self) -> list[str]:
        """Where points were lost, the heaviest loss first."""
        lost = sorted((i for i in self.items if i.lost > 0), key=lambda i: (-i.lost, i.code))
        return [i.reason for i in lost]

    def to_json(self) -> dict[str, object]:
        return {"org_unit": self.org_unit, "name": self.name, "rank": self.rank, "score": self.score,
                "total": self.total, "max": self.maximum, "grade": self.grade or None,
                "dimensions": [d.to_json() for d in self.dimensions], "reasons": self.reasons(),
                "items": [i.to_json() for i in self.items]}


@dataclass(frozen=True)
class Assessment:
    scheme: str
    name: str
    year: int
    kind: str
    subjects: tuple[SubjectResult, ...]  # ranked
    document: str = ""

    def to_json(self) -> dict[str, object]:
        return {"scheme": self.scheme, "name": self.name, "year": self.year, "kind": self.kind,
                "document": self.document or None, "subjects": [s.to_json() for s in self.subjects]}


def dimension_scores(items: tuple[ItemScore, ...], names: dict[str, str]) -> tuple[DimensionScore, ...]:
    """Points and maxima per dimension, in the order of ``names``."""
    result = []
    for code, name in names.items():
        mine = [i for i in items if i.dimension == code]
        if mine:
            result.append(DimensionScore(code, name, round(sum(i.points for i in mine), SCORE_DECIMALS),
                                         round(sum(i.weight for i in mine), SCORE_DECIMALS)))
    return tuple(result)


def ranked(results: list[SubjectResult]) -> tuple[SubjectResult, ...]:
    """Best score first; ties share the rank (competition ranking); subjects without a maximum come last."""
    ordered = sorted(results, key=lambda r: (r.score is None, -(r.score or 0.0), r.org_unit))
    out: list[SubjectResult] = []
    for position, result in enumerate(ordered, start=1):
        rank = out[-1].rank if out and out[-1].score == result.score else position
        out.append(SubjectResult(result.org_unit, result.name, result.items, result.dimensions, result.grade, rank))
    return tuple(out)
