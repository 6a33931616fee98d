"""The numbers of 公文 headings (GB/T 9704-2012 7.3.3): 一、 （一） 1． （1）.

The Arabic levels take the full-width point and brackets, so a number fills whole character cells of the
三号 line like the Chinese text around it.
"""

from __future__ import annotations

from healthplan.govdoc.numerals import to_chinese

LEVELS = 4


def heading_number(level: int, n: int) -> str:
    """The label of the ``n``-th heading at ``level`` (1–4)."""
    if level == 1:
        return f"{to_chinese(n)}、"
    if level == 2:
        return f"（{to_chinese(n)}）"
    if level == 3:
        return f"{n}．"
    if level == LEVELS:
        return f"（{n}）"
    raise ValueError(f"heading level {level} (1–{LEVELS})")


class Numbering:
    """Counts headings as they come: a heading restarts the numbers of the levels below it."""

    def __init__(self) -> None:
        self._counts = [0] * LEVELS

    def next(self, level: int) -> str:
        if not 1 <= level <= LEVELS:
            raise ValueError(f"heading level {level} (1–{LEVELS})")
        self._counts[level - 1] += 1
        self._counts[level:] = [0] * (LEVELS - level)
        return heading_number(level, self._counts[level - 1])
