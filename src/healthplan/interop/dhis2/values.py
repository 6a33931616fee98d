"""A data value as a DHIS2 payload states it, before mapping (incoming) or after it (outgoing).

Incoming values remember where each field came from, so a problem with the org unit of the fourth value is
reported at ``$.dataValues[3].orgUnit`` (JSON), ``file.csv:5:3`` (CSV) or ``file.xml:12:5`` (ADX).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from healthplan.domain.periods import Period
from healthplan.domain.problems import Problem

#: (field, 中文, English) → a problem located at that field of this value.
Locate = Callable[[str, str, str], Problem]


@dataclass(frozen=True)
class Incoming:
    data_element: str
    period: Period | None  # None when the payload's period was refused (already reported)
    org_unit: str
    category_option_combo: str  # "" = DHIS2's default combo
    attribute_option_combo: str  # "" = default
    value: str | None
    comment: str | None  # None = the payload says nothing about the comment (keep ours)
    deleted: bool
    locate: Locate
    category_options: frozenset[tuple[str, str]] | None = None  # ADX: exploded categories instead of a combo


@dataclass(frozen=True)
class Outgoing:
    data_element: str
    period: Period
    org_unit: str
    category_option_combo: str  # "" = leave out (DHIS2 then uses its default combo)
    value: str
    comment: str
    category_options: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Payload:
    """What a reader made of a file: the readable values and the problems of the others.

    Problems of single values (a missing field, an unsupported period) are reported together with the mapping
    conflicts of the rest, so one round of corrections fixes a file; only a document that cannot be read at all
    (not JSON, no dataValues, malformed XML) is refused by the reader itself.
    """

    values: list[Incoming]
    problems: list[Problem]
    count: int  # data values in the file, readable or not
