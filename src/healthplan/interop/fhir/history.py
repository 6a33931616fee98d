"""Placing one facility version from outside (a FHIR Bundle) into the stored effective-dated history.

The incoming version wins over its own interval: stored versions it overlaps are cut back to the parts outside
it, never dropped whole. An open-ended incoming version ("no end known") stops where a later stored version
starts, so importing an older snapshot does not erase changes recorded since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from healthplan.domain.registry import FacilityVersion


def place_version(history: Sequence[FacilityVersion], version: FacilityVersion) -> list[FacilityVersion]:
    later = [v.valid_from for v in history if v.valid_from > version.valid_from]
    if version.valid_to is None and later:
        version = replace(version, valid_to=min(later))
    kept: list[FacilityVersion] = []
    for stored in history:
        if not _overlap(stored, version):
            kept.append(stored)
            continue
        if stored.valid_from < version.valid_from:
            kept.append(replace(stored, valid_to=version.valid_from))
        if version.valid_to is not None and (stored.valid_to is None or stored.valid_to > version.valid_to):
            kept.append(replace(stored, valid_from=version.valid_to))
    return sorted([*kept, version], key=lambda v: v.valid_from)


def _overlap(a: FacilityVersion, b: FacilityVersion) -> bool:
    return (b.valid_to is None or a.valid_from < b.valid_to) and (a.valid_to is None or b.valid_from < a.valid_to)
