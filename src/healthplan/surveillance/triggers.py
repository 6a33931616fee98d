"""多点触发: find areas where signals of enough independent sources start within a few days of each other.

Pure: signals and the org-unit tree in, event candidates out; the daily run stores them (merging into an
existing event of the same rule, area and window, so re-running adds nothing).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from healthplan.surveillance.catalog import Rule


@dataclass(frozen=True)
class SignalPoint:
    """What a rule needs of a signal: where, which source and disease, and the day of its first alarm."""

    id: int
    org_unit: str
    source: str
    disease: str
    day: dt.date


@dataclass(frozen=True)
class Candidate:
    rule: str
    org_unit: str
    window: tuple[dt.date, dt.date]
    signal_ids: tuple[int, ...]


def _ancestor(code: str, level: str, parents: Mapping[str, str | None], levels: Mapping[str, str]) -> str | None:
    current: str | None = code
    while current is not None:
        if levels.get(current) == level:
            return current
        current = parents.get(current)
    return None


def find_events(rule: Rule, signals: Sequence[SignalPoint], parents: Mapping[str, str | None],
                levels: Mapping[str, str]) -> list[Candidate]:
    """Events of ``rule``: at ``rule.level``, and with ``roll_up`` at that level over several townships."""
    kinds = set(rule.sources)
    relevant = [s for s in signals if (s.source, s.disease) in kinds]
    result = _at_level(rule, relevant, rule.level, parents, levels, spread=1)
    if rule.roll_up:
        result += _at_level(rule, relevant, rule.roll_up, parents, levels, spread=2)
    return result


def _at_level(rule: Rule, signals: Sequence[SignalPoint], level: str, parents: Mapping[str, str | None],
              levels: Mapping[str, str], spread: int) -> list[Candidate]:
    """Clusters per area: from each signal, those starting within ``window_days``; ``spread`` is the number of
    distinct org units (of the rule's own level) the cluster must cover."""
    by_area: dict[str, list[SignalPoint]] = defaultdict(list)
    for s in signals:
        area = _ancestor(s.org_unit, level, parents, levels)
        if area is not None:
            by_area[area].append(s)
    found: list[Candidate] = []
    span = dt.timedelta(days=rule.window_days - 1)
    for area, items in sorted(by_area.items()):
        items.sort(key=lambda s: (s.day, s.id))
        for i, first in enumerate(items):
            cluster = [s for s in items[i:] if s.day <= first.day + span]
            if len({(s.source, s.disease) for s in cluster}) < rule.k:
                continue
            units = {_ancestor(s.org_unit, rule.level, parents, levels) or s.org_unit for s in cluster}
            if len(units) < spread:
                continue
            found.append(Candidate(rule.code, area, (first.day, max(s.day for s in cluster)),
                                   tuple(s.id for s in cluster)))
    return found
