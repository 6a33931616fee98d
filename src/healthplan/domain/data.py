"""Data elements and data values (DESIGN §3.2)."""

from __future__ import annotations

from dataclasses import dataclass

from healthplan.domain.labels import LabelledEnum, labelled


@labelled({"integer": "整数", "number": "数值", "boolean": "是否(0/1)", "percent": "百分比", "text": "文本"})
class ValueType(LabelledEnum):
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    PERCENT = "percent"
    TEXT = "text"


@labelled({"stock": "存量(期末值)", "flow": "流量(期内合计)"})
class Kind(LabelledEnum):
    """A stock is a level at period end (beds); a flow is a count over the period (visits)."""

    STOCK = "stock"
    FLOW = "flow"


@labelled({"sum": "逐级加总", "none": "不加总(仅取本级填报值)"})
class Aggregation(LabelledEnum):
    """How a value rolls up the tree: sums for counts, nothing for averages such as 人均预期寿命."""

    SUM = "sum"
    NONE = "none"


@labelled({"facility": "机构", "area": "区域"})
class RecordedAt(LabelledEnum):
    FACILITY = "facility"
    AREA = "area"


@labelled({"draft": "草稿", "submitted": "已上报", "approved": "已审核"})
class ApprovalState(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


@dataclass(frozen=True)
class DataElement:
    code: str
    name: str
    name_en: str
    kind: Kind
    value_type: ValueType = ValueType.NUMBER
    aggregation: Aggregation = Aggregation.SUM
    recorded_at: RecordedAt = RecordedAt.FACILITY
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def check(self, value: float) -> tuple[str, str] | None:
        """Why ``value`` is not acceptable for this element, as (中文, English), or None."""
        if self.value_type in (ValueType.INTEGER, ValueType.BOOLEAN) and value != int(value):
            return (f"“{self.name}”应为整数，得到 {value}", f"{self.code} must be an integer, got {value}")
        if self.value_type is ValueType.BOOLEAN and value not in (0, 1):
            return (f"“{self.name}”只能填 0 或 1，得到 {value}", f"{self.code} must be 0 or 1, got {value}")
        if self.minimum is not None and value < self.minimum:
            return (f"“{self.name}”不能小于 {self.minimum:g}，得到 {value:g}",
                    f"{self.code} must be ≥ {self.minimum:g}, got {value:g}")
        if self.maximum is not None and value > self.maximum:
            return (f"“{self.name}”不能大于 {self.maximum:g}，得到 {value:g}",
                    f"{self.code} must be ≤ {self.maximum:g}, got {value:g}")
        return None


@dataclass(frozen=True)
class DataValue:
    """A value of a data element at an org unit (area or facility code) for a period code."""

    data_element: str
    org_unit: str
    period: str
    value: float
    disaggregation: str = ""
    comment: str = ""
