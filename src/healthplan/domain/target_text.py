"""Read a target as plans write it (``≥70``, ``≤5.25``, ``27左右``, ``持续增长``, ``10-20``) into an operator.

Planners paste 表2 straight from the document; this turns each 目标 cell into (op, value, value_high).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthplan.domain.plans import TargetOp

_NUMBER = r"(\d+(?:\.\d+)?)"


@dataclass(frozen=True)
class ParsedTarget:
    op: TargetOp
    value: float | None = None
    value_high: float | None = None


_RULES: list[tuple[re.Pattern[str], TargetOp]] = [
    (re.compile(rf"^(?:≥|>=|不低于|不少于|达到|力争达到)?\s*{_NUMBER}\s*(?:%|‰)?\s*(?:以上|及以上)$"), TargetOp.GE),
    (re.compile(rf"^(?:≥|>=|不低于|不少于)\s*{_NUMBER}\s*(?:%|‰)?$"), TargetOp.GE),
    (re.compile(rf"^(?:≤|<=|不高于|不超过|控制在)\s*{_NUMBER}\s*(?:%|‰)?\s*(?:以内|以下)?$"), TargetOp.LE),
    (re.compile(rf"^{_NUMBER}\s*(?:%|‰)?\s*(?:以内|以下)$"), TargetOp.LE),
    (re.compile(rf"^(?:稳定在|保持在)?\s*{_NUMBER}\s*(?:%|‰)?\s*左右$"), TargetOp.APPROX),
    (re.compile(rf"^{_NUMBER}\s*[-–—~～至]\s*{_NUMBER}\s*(?:%|‰)?$"), TargetOp.RANGE),
    (re.compile(rf"^(?:=|＝)\s*{_NUMBER}$"), TargetOp.EQ),
    (re.compile(rf"^(?:达到)?\s*{_NUMBER}\s*(?:%|‰)?$"), TargetOp.REACH),
]


def parse_target_text(text: str) -> ParsedTarget | None:
    """The operator a plan's wording means, or None if it is not one we know (then it is qualitative)."""
    t = text.strip().replace("（", "(").replace("）", ")").replace(" ", "")
    if not t:
        return None
    if "持续增长" in t or "逐年提高" in t or "逐年增长" in t:
        return ParsedTarget(TargetOp.INCREASE)
    if "全覆盖" in t:
        return ParsedTarget(TargetOp.FULL, 100.0)
    by = re.search(rf"提高{_NUMBER}.*左右", t)
    if by:
        return ParsedTarget(TargetOp.RAISE_BY, float(by.group(1)))
    if re.search(r"(较|比).*(提高|提升|增长|增加)", t) or t in ("提高", "有所提高", "较大提高"):
        return ParsedTarget(TargetOp.RAISE)
    for pattern, op in _RULES:
        match = pattern.match(t)
        if match:
            numbers = [float(g) for g in match.groups()]
            if op is TargetOp.RANGE:
                low, high = sorted(numbers)
                return ParsedTarget(op, low, high)
            return ParsedTarget(op, numbers[0])
    return None


def describe(op: TargetOp, value: float | None, value_high: float | None = None,
             tolerance: float | None = None, tolerance_relative: bool = True) -> str:
    """The target the way the plan's table writes it."""
    v = "" if value is None else f"{value:g}"
    match op:
        case TargetOp.GE:
            return f"≥{v}"
        case TargetOp.LE:
            return f"≤{v}"
        case TargetOp.EQ | TargetOp.REACH:
            return v
        case TargetOp.APPROX:
            return f"{v}左右"
        case TargetOp.RANGE:
            return f"{v}–{'' if value_high is None else f'{value_high:g}'}"
        case TargetOp.INCREASE:
            return "持续增长"
        case TargetOp.RAISE:
            return "较基期提高"
        case TargetOp.RAISE_BY:
            return f"较基期提高{v}左右"
        case TargetOp.FULL:
            return "100(全覆盖)"
    return "定性目标"
