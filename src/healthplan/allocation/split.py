"""Splitting a region's resource requirement over its counties — the three methods planners compare.

Why three: the same city total can be shared out in ways that lead to different county plans. Splitting the
city's increment by projected population keeps today's differences between counties; weighting population by
age (65+ residents need more care) moves resources towards older counties; bringing every county to the same
ratio closes the differences, and its county gaps add up to more than the city gap wherever some counties are
above the ratio (their surplus is not moved).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from healthplan.domain.labels import LabelledEnum, labelled


@labelled({"population": "按规划常住人口分配新增量", "need": "按卫生服务需要(65岁及以上人口加权)分配新增量",
           "equalize": "各县(市、区)达到同一配置标准"})
class Method(LabelledEnum):
    POPULATION = "population"
    NEED = "need"
    EQUALIZE = "equalize"


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Whole units proportional to ``weights`` that add up to ``total`` exactly (largest remainder, Hamilton).

    Ties in the remainders go to the earlier entry, so the result is deterministic.
    """
    if total < 0:
        raise ValueError("total must be non-negative")
    if any(w < 0 or not math.isfinite(w) for w in weights):
        raise ValueError("weights must be finite and non-negative")
    mass = sum(weights)
    if total == 0 or not weights:
        return [0] * len(weights)
    if mass <= 0:
        raise ValueError("cannot apportion a positive total over zero weights")
    quotas = [total * w / mass for w in weights]
    shares = [math.floor(q) for q in quotas]
    left = total - sum(shares)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def need_weights(population: Sequence[float], elderly_share: Sequence[float], elderly_weight: float) -> list[float]:
    """Need-weighted population: residents under 65 count 1, residents 65+ count ``elderly_weight``.

    ``elderly_share`` is the 65+ share as a fraction (0–1) of each area's population.
    """
    if elderly_weight <= 0:
        raise ValueError("the 65+ weight must be positive")
    if len(population) != len(elderly_share):
        raise ValueError("one 65+ share per area is needed")
    for share in elderly_share:
        if not 0 <= share <= 1:
            raise ValueError(f"65+ share {share} is not a fraction between 0 and 1")
    return [p * (1 + (elderly_weight - 1) * s) for p, s in zip(population, elderly_share, strict=True)]


def increments(method: Method, city_increment: float, needed_at_ratio: Sequence[float], current: Sequence[float],
               population: Sequence[float], need: Sequence[float]) -> list[int]:
    """Each county's planned increment under ``method`` (never negative: a county above the standard keeps what
    it has and gives nothing up).

    ``city_increment`` is the region's need minus its current total; ``needed_at_ratio`` each county's need at
    the standard ratio (used by ``equalize``); ``population`` the projected population and ``need`` the
    need-weighted population (the weights of ``population`` and ``need``).
    """
    if method is Method.EQUALIZE:
        return [max(0, math.ceil(n - c - 1e-9)) for n, c in zip(needed_at_ratio, current, strict=True)]
    weights = population if method is Method.POPULATION else need
    return apportion(max(0, math.ceil(city_increment - 1e-9)), weights)
