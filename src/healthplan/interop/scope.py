"""The registry as one in-memory tree, for choosing what a template or an export covers.

Templates list the facilities active under an area at a period's end; exports take an area's subtree and,
for a self-contained FHIR Bundle, its ancestors too. Reading the registry once and walking it in Python keeps
those choices identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from healthplan.domain.problems import NotFound
from healthplan.domain.registry import FacilityVersion, Level, OrgUnit
from healthplan.store import registry


@dataclass(frozen=True)
class RegistryTree:
    areas: dict[str, OrgUnit]
    histories: dict[str, list[FacilityVersion]]  # facility code → versions ordered by valid_from
    children: dict[str, list[str]] = field(default_factory=dict)  # area code → child area codes, sorted

    @classmethod
    def load(cls, session: Session) -> RegistryTree:
        areas = {unit.code: unit for unit in registry.list_areas(session)}
        histories: dict[str, list[FacilityVersion]] = {}
        for version in registry.all_facility_versions(session):
            histories.setdefault(version.code, []).append(version)
        for history in histories.values():
            history.sort(key=lambda v: v.valid_from)
        children: dict[str, list[str]] = {}
        for unit in areas.values():
            if unit.parent_code is not None:
                children.setdefault(unit.parent_code, []).append(unit.code)
        for codes in children.values():
            codes.sort()
        return cls(areas, histories, children)

    def area(self, code: str) -> OrgUnit:
        unit = self.areas.get(code)
        if unit is None:
            raise NotFound(f"找不到区域“{code}”", f"no area with code {code!r}")
        return unit

    def roots(self) -> list[str]:
        return sorted(c for c, unit in self.areas.items() if unit.parent_code not in self.areas)

    def subtree(self, root: str | None) -> list[str]:
        """Area codes under ``root`` (itself included; every area when None), parents before children."""
        stack = list(reversed(self.roots())) if root is None else [self.area(root).code]
        ordered: list[str] = []
        while stack:
            code = stack.pop()
            ordered.append(code)
            stack.extend(reversed(self.children.get(code, [])))
        return ordered

    def ancestors(self, code: str) -> list[str]:
        """The areas above ``code``, nearest first."""
        chain: list[str] = []
        parent = self.areas[code].parent_code if code in self.areas else None
        while parent is not None and parent in self.areas:
            chain.append(parent)
            parent = self.areas[parent].parent_code
        return chain

    def facilities_on(self, date: dt.date, root: str | None = None) -> list[FacilityVersion]:
        """The version of every facility active on ``date`` whose area lies under ``root``, by area then code."""
        inside = set(self.subtree(root))
        active = [v for history in self.histories.values() for v in history
                  if v.active_on(date) and v.parent_code in inside]
        order = {code: i for i, code in enumerate(self.subtree(root))}
        return sorted(active, key=lambda v: (order[v.parent_code], v.code))

    def areas_at(self, level: Level, root: str | None = None) -> list[OrgUnit]:
        return [self.areas[c] for c in self.subtree(root) if self.areas[c].level is level]

    def codes_under(self, root: str) -> set[str]:
        """Areas of the subtree and every facility that ever stood in one of them."""
        inside = set(self.subtree(root))
        facilities = {code for code, history in self.histories.items()
                      if any(v.parent_code in inside for v in history)}
        return inside | facilities
