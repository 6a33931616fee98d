"""The org-unit tree in memory: who is under whom, which county a facility reports through.

Scopes (a user's subtree), approval units (the county a value belongs to) and "which approval units feed this
area's totals" are all questions about the tree; answering them from a dict keeps every request cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from healthplan.domain.registry import Level

#: Approval happens at this level: a county submits, the city approves.
APPROVAL_LEVEL = Level.COUNTY


@dataclass
class OrgTree:
    parent: dict[str, str | None]
    level: dict[str, Level]
    name: dict[str, str]
    _feeding: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_table(cls, org_units: Any) -> OrgTree:
        """From the store's registry table (Arrow: id, code, name, level, parent_id)."""
        rows = org_units.to_pylist()
        codes = {r["id"]: r["code"] for r in rows}
        return cls(parent={r["code"]: codes.get(r["parent_id"]) for r in rows},
                   level={r["code"]: Level(r["level"]) for r in rows}, name={r["code"]: r["name"] for r in rows})

    @cached_property
    def children(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {code: [] for code in self.parent}
        for code, parent in self.parent.items():
            if parent is not None and parent in result:
                result[parent].append(code)
        for kids in result.values():
            kids.sort()
        return result

    def __contains__(self, code: object) -> bool:
        return code in self.parent

    def ancestors(self, code: str) -> Iterator[str]:
        """``code`` itself, then its parent, up to the root."""
        current: str | None = code
        seen = 0
        while current is not None and seen < 64:
            yield current
            current = self.parent.get(current)
            seen += 1

    def within(self, code: str, scope: str) -> bool:
        """Whether ``code`` lies in the subtree of ``scope`` (itself included)."""
        return any(a == scope for a in self.ancestors(code))

    def approval_unit(self, code: str) -> str:
        """The area whose report a value of ``code`` belongs to: its county, or the area itself above county."""
        for a in self.ancestors(code):
            if self.level[a] is not Level.FACILITY and self.level[a].depth <= APPROVAL_LEVEL.depth:
                return a
        return code

    def feeding(self, code: str) -> frozenset[str]:
        """The approval units whose data go into ``code``'s totals."""
        cached = self._feeding.get(code)
        if cached is not None:
            return cached
        if self.level[code] is Level.FACILITY or self.level[code].depth >= APPROVAL_LEVEL.depth:
            result = frozenset({self.approval_unit(code)})
        else:
            units = {code}
            stack = [code]
            while stack:
                for kid in self.children[stack.pop()]:
                    if self.level[kid] is not Level.FACILITY and self.level[kid].depth <= APPROVAL_LEVEL.depth:
                        units.add(kid)
                        stack.append(kid)
            result = frozenset(units)
        self._feeding[code] = result
        return result

    def areas_below(self, code: str, level: Level) -> list[str]:
        """The areas at ``level`` under ``code`` (e.g. a city's counties), in code order."""
        found, stack = [], [code]
        while stack:
            for kid in self.children[stack.pop()]:
                if self.level[kid] is level:
                    found.append(kid)
                elif self.level[kid] is not Level.FACILITY and self.level[kid].depth < level.depth:
                    stack.append(kid)
        return sorted(found)

    def areas(self) -> list[str]:
        return sorted(c for c, lv in self.level.items() if lv is not Level.FACILITY)

    def label(self, code: str) -> str:
        return self.name.get(code, code)
