"""Integer arithmetic that makes synthetic counts reproduce published ratios exactly.

A plan publishes a ratio rounded to a few decimals (每千人口床位 6.13). The demo needs integer counts per
facility whose sum, divided by the recorded population, rounds to exactly that figure. Two tools do it:
``numerator_for`` picks the integer total closest to the published value (so the computed ratio sits in the
middle of the rounding interval, whatever rounding rule a reader uses), and ``apportion`` splits that total
into integers over facilities or areas in proportion to synthetic weights, respecting per-item caps
(psychiatric beds ≤ beds, GPs ≤ physicians) — the largest-remainder method with water-filling for caps.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from .series import Series


def round_half_up(value: Fraction | int, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places, computed exactly (no binary floating point)."""
    fraction = Fraction(value)
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def published(value: float, decimals: int) -> Decimal:
    """A published figure as the Decimal it is printed as (``published(1.6, 1) == Decimal('1.6')``)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def reproduces(numerator: int, denominator: int, factor: int, value: float, decimals: int) -> bool:
    """Whether numerator/denominator×factor rounds to the published ``value``."""
    return denominator > 0 and round_half_up(
        Fraction(numerator * factor, denominator), decimals
    ) == published(value, decimals)


def numerator_for(value: float, denominator: int, factor: int, decimals: int) -> int:
    """The integer numerator nearest to value×denominator/factor that reproduces ``value``.

    Raises ValueError when no integer does (the rounding interval is narrower than one unit)."""
    centre = value * denominator / factor
    base = round(centre)
    for step in range(0, 4):
        for candidate in sorted({base - step, base + step}, key=lambda n: abs(n - centre)):
            if candidate >= 0 and reproduces(candidate, denominator, factor, value, decimals):
                return candidate
    raise ValueError(f"no integer numerator gives {value} over {denominator} (×{factor}, {decimals} dp)")


def series_total(series: Series, year: int, denominator: int, factor: int) -> int:
    """The numerator for ``series`` in ``year``: exact to the printed figure in a published year, the nearest
    integer to the assumption otherwise."""
    value = series.at(year)
    if series.is_published(year):
        return numerator_for(value, denominator, factor, series.decimals_at(year))
    return round(value * denominator / factor)


def denominator_for(value: float, numerator: int, factor: int, decimals: int) -> int:
    """The integer denominator nearest to numerator×factor/value that reproduces ``value`` (e.g. discharges
    for a published average length of stay, given the bed-days)."""
    centre = numerator * factor / value
    base = round(centre)
    for step in range(0, 50):
        for candidate in sorted({base - step, base + step}, key=lambda n: abs(n - centre)):
            if candidate > 0 and reproduces(numerator, candidate, factor, value, decimals):
                return candidate
    raise ValueError(f"no integer denominator gives {value} for numerator {numerator}")


def pair_near(value: float, denominator: int, factor: int, decimals: int) -> tuple[int, int]:
    """(numerator, denominator) with the denominator as close as possible to the given one, for ratios whose
    rounding interval can be narrower than one unit (a 2-decimal percentage over a few hundred staff)."""
    for step in range(0, denominator):
        for candidate in (denominator + step, denominator - step):
            if candidate <= 0:
                continue
            try:
                return numerator_for(value, candidate, factor, decimals), candidate
            except ValueError:
                continue
    raise ValueError(f"no pair reproduces {value} near denominator {denominator}")


def apportion(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """Split ``total`` into non-negative integers proportional to ``weights`` (largest remainder), none above
    its cap. Ties break by position, so the result is deterministic."""
    n = len(weights)
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("apportion needs a non-negative total and weights")
    limits = list(caps) if caps is not None else [total] * n
    if len(limits) != n:
        raise ValueError("weights and caps differ in length")
    if total == 0:
        return [0] * n
    if sum(limits[i] for i in range(n) if weights[i] > 0) < total:
        raise ValueError(f"cannot apportion {total}: the caps of the weighted items sum to less")
    quotas = [0.0] * n
    free = [i for i in range(n) if weights[i] > 0 and limits[i] > 0]
    remaining = float(total)
    while free:
        weight_sum = sum(weights[i] for i in free)
        capped = [i for i in free if remaining * weights[i] / weight_sum >= limits[i]]
        if not capped:
            for i in free:
                quotas[i] = remaining * weights[i] / weight_sum
            break
        for i in capped:
            quotas[i] = float(limits[i])
            remaining -= limits[i]
        capped_set = set(capped)
        free = [i for i in free if i not in capped_set]
    out = [int(q) for q in quotas]
    leftover = total - sum(out)
    order = sorted(range(n), key=lambda i: (-(quotas[i] - out[i]), i))
    for i in order[:leftover]:
        out[i] += 1
    if any(out[i] > limits[i] for i in range(n)):
        raise ArithmeticError("apportion exceeded a cap")
    return out
