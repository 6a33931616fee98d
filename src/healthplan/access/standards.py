"""Access standards as data, per area type (城市/农村): service radii, travel-time circles, one facility per area.

Why data: the numbers come from plan clauses (急救 5 km urban, 10–20 km rural) or are second-hand (15-minute
circle, village-clinic reach), differ between provinces and will be revised; each standard names its source and
whether it was verified, and the facilities that count are an expression of the engine's filter language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from healthplan.domain.problems import NotFound, Problem, ValidationFailed
from healthplan.domain.registry import UrbanRural

Measure = Literal["km", "minutes", "count"]


@dataclass(frozen=True)
class Limit:
    """A radius (or time) standard: ``strict`` ≤ ``lenient``; equal for a single number."""

    strict: float
    lenient: float

    def to_json(self) -> dict[str, float]:
        return {"strict": self.strict, "lenient": self.lenient}


@dataclass(frozen=True)
class Standard:
    code: str
    name: str
    measure: Measure
    facilities: str  # a facility filter of the expression language
    facilities_label: str
    limits: Mapping[UrbanRural, Limit]  # area types without a limit are not assessed
    document: str
    clause: str
    verified: bool
    note: str = ""
    candidates: str | None = None  # where new facilities may go (site selection)
    candidates_label: str = ""
    minimum: int = 0  # measure "count": facilities needed in each township

    @property
    def status(self) -> str:
        return "已核对" if self.verified else "待核对"

    @property
    def unit(self) -> str:
        return {"km": "公里", "minutes": "分钟", "count": "所"}[self.measure]

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "measure": self.measure, "unit": self.unit,
                "facilities": self.facilities, "facilities_label": self.facilities_label,
                "candidates": self.candidates, "candidates_label": self.candidates_label,
                "limits": {k.value: v.to_json() for k, v in self.limits.items()}, "minimum": self.minimum,
                "document": self.document, "clause": self.clause, "verified": self.verified, "status": self.status,
                "note": self.note}


@dataclass(frozen=True)
class Travel:
    """Assumptions for distances without a road network (and for the legs onto one)."""

    circuity: float
    speed_kmh: Mapping[UrbanRural, float]
    connector_speed_kmh: float


@dataclass(frozen=True)
class Standards:
    source: str
    travel: Travel
    standards: Mapping[str, Standard]

    def get(self, code: str) -> Standard:
        if code not in self.standards:
            raise NotFound(f"未知的可及性标准“{code}”（可用：{'、'.join(self.standards)}）",
                           f"unknown access standard {code!r} (known: {', '.join(self.standards)})")
        return self.standards[code]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _TravelSpec(_Strict):
    circuity: float = 1.3
    speed_kmh: dict[UrbanRural, float]
    connector_speed_kmh: float = 15

    @model_validator(mode="after")
    def _positive(self) -> _TravelSpec:
        if self.circuity < 1 or min(self.speed_kmh.values(), default=1) <= 0 or self.connector_speed_kmh <= 0:
            raise ValueError("circuity must be >= 1 and speeds positive")
        return self


class _StandardSpec(_Strict):
    code: str
    name: str
    measure: Measure
    facilities: str
    facilities_label: str = ""
    candidates: str | None = None
    candidates_label: str = ""
    limits: dict[UrbanRural, float | tuple[float, float]] = {}
    minimum: int = 0
    document: str
    clause: str
    verified: bool
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> _StandardSpec:
        if self.measure == "count":
            if self.minimum < 1:
                raise ValueError("a count standard needs minimum >= 1")
        elif not self.limits:
            raise ValueError("a distance or time standard needs limits")
        for limit in self.limits.values():
            low, high = limit if isinstance(limit, tuple) else (limit, limit)
            if not 0 < low <= high:
                raise ValueError("limits must be positive, the strict one first")
        return self


class _File(_Strict):
    travel: _TravelSpec
    standards: list[_StandardSpec]


def shipped_standards() -> Path:
    return Path(str(resources.files("healthplan.access").joinpath("standards.yaml")))


def load_standards(path: Path | None = None) -> Standards:
    """Read and check a standards file (default: the shipped one); every problem is reported with its field."""
    source = path or shipped_standards()
    try:
        document = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValidationFailed([Problem("无法读取可及性标准文件", f"cannot read the standards file: {exc}",
                                        str(source))]) from None
    try:
        spec = _File.model_validate(document)
    except ValidationError as exc:
        raise ValidationFailed([Problem(f"“{'.'.join(str(p) for p in e['loc'])}”无效：{e['msg']}",
                                        f"invalid {'.'.join(str(p) for p in e['loc'])}: {e['msg']}", str(source),
                                        None, ".".join(str(p) for p in e["loc"])) for e in exc.errors()]) from None
    travel = Travel(spec.travel.circuity, dict(spec.travel.speed_kmh), spec.travel.connector_speed_kmh)
    standards = {s.code: Standard(
        s.code, s.name, s.measure, s.facilities, s.facilities_label or s.facilities,
        {k: Limit(*(v if isinstance(v, tuple) else (v, v))) for k, v in s.limits.items()},
        s.document, s.clause, s.verified, s.note, s.candidates, s.candidates_label, s.minimum)
        for s in spec.standards}
    return Standards(str(source), travel, standards)
