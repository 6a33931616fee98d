"""Plans (规划) and their targets (目标) with the operators of DESIGN §3.4."""

from __future__ import annotations

from dataclasses import dataclass, field

from healthplan.domain.labels import LabelledEnum, labelled


@labelled({
    "ge": "≥", "le": "≤", "eq": "=", "approx": "左右", "reach": "达到", "increase": "持续增长",
    "raise": "较基期提高", "raise_by": "较基期提高(幅度)", "full": "全覆盖", "range": "区间",
    "qualitative": "定性",
})
class TargetOp(LabelledEnum):
    GE = "ge"
    LE = "le"
    EQ = "eq"
    APPROX = "approx"
    REACH = "reach"
    INCREASE = "increase"
    RAISE = "raise"
    RAISE_BY = "raise_by"
    FULL = "full"
    RANGE = "range"
    QUALITATIVE = "qualitative"


@labelled({"binding": "约束性", "expected": "预期性"})
class Nature(LabelledEnum):
    BINDING = "binding"
    EXPECTED = "expected"


@labelled({"met": "已达标", "on_track": "进度正常", "behind": "滞后", "regressing": "倒退", "no_data": "无数据"})
class Status(LabelledEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    REGRESSING = "regressing"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Target:
    """One target of a plan; ``indicator`` is an indicator code or a data element code."""

    indicator: str
    op: TargetOp
    nature: Nature = Nature.EXPECTED
    org_unit: str | None = None
    value: float | None = None
    value_high: float | None = None
    tolerance: float | None = None
    tolerance_relative: bool = True
    baseline: float | None = None
    category: str = ""
    label: str = ""
    source: str = ""
    text: str = ""
    judgement: str | None = None
    evidence: str = ""
    seq: int = 0

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.indicator, self.org_unit)


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    org_unit: str
    base_year: int
    target_year: int
    document: str = ""
    targets: tuple[Target, ...] = field(default_factory=tuple)
