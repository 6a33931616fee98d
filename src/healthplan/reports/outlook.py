"""Will a target be met in the target year? The verdict of a mid-term or final evaluation for each target.

Final: the value of the target year is judged as it stands (已完成/未完成). Mid-term: a target already met counts
as met; otherwise the OLS straight line through the yearly values from the base year (the evaluation's
``projection``) is read at the target year, rounded to the published precision, and judged with the target's
own rule. A 持续增长 target not met so far (a dip) is expected only if the fitted slope is positive.
"""

from __future__ import annotations

from dataclasses import dataclass

from healthplan.domain.labels import LabelledEnum, labelled
from healthplan.domain.plans import Status, TargetOp
from healthplan.plans.evaluation import TargetResult
from healthplan.plans.progress import goal, satisfied

METHOD = "ols_linear"
METHOD_TEXT = "以基期以来各年数值作最小二乘线性回归外推至目标年"


@labelled({"met": "已达标", "likely": "预计达标", "unlikely": "难以达标", "done": "已完成",
           "not_done": "未完成", "unknown": "无法判断"})
class Verdict(LabelledEnum):
    MET = "met"
    LIKELY = "likely"
    UNLIKELY = "unlikely"
    DONE = "done"
    NOT_DONE = "not_done"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outlook:
    verdict: Verdict
    projected: float | None  # the value read off the trend line in the target year (mid-term only)

    def to_json(self) -> dict[str, object]:
        return {"verdict": self.verdict.value, "verdict_label": self.verdict.label, "projected": self.projected,
                "method": METHOD if self.projected is not None else None}


def final_outlook(r: TargetResult) -> Outlook:
    if r.status is Status.NO_DATA:
        return Outlook(Verdict.UNKNOWN, None)
    return Outlook(Verdict.DONE if r.status is Status.MET else Verdict.NOT_DONE, None)


def midterm_outlook(r: TargetResult) -> Outlook:
    projected = None if r.projection is None else round(r.projection.value, r.indicator.decimals)
    if r.status is Status.MET:
        return Outlook(Verdict.MET, projected)
    if r.status is Status.NO_DATA or r.projection is None or projected is None:
        return Outlook(Verdict.UNKNOWN, projected)
    if r.target.op is TargetOp.INCREASE:
        return Outlook(Verdict.LIKELY if r.projection.slope > 0 else Verdict.UNLIKELY, projected)
    g = goal(r.target, r.baseline, r.indicator.polarity)
    if g is None:
        return Outlook(Verdict.UNKNOWN, projected)
    return Outlook(Verdict.LIKELY if satisfied(g, projected) else Verdict.UNLIKELY, projected)
