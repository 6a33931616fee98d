"""Who may see what: approved data is published to every user; unapproved data only to its own area and above.

A number (a value or an indicator at an org unit and period) is withheld from a user when some approval unit
feeding it is outside the user's scope and that unit's report for the period, among the reports collecting the
data elements the number reads, is not approved. Withheld numbers are never sent: the API answers 403 for a
single one and marks it ``withheld`` in a list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from healthplan.domain.data import ApprovalState
from healthplan.domain.datasets import DataSet
from healthplan.store.users import User
from healthplan.web.tree import OrgTree

WITHHELD_ZH = "数据尚未审核，您无权查看"
WITHHELD_EN = "the data are not approved yet and are outside your area"


@dataclass(frozen=True)
class Visibility:
    user: User
    tree: OrgTree
    states: Mapping[tuple[str, str, str], ApprovalState]
    sets: Mapping[str, DataSet]

    def sees_unapproved(self, unit: str) -> bool:
        return self.tree.within(unit, self.user.scope)

    def report_hidden(self, data_set: DataSet, org_unit: str, period: str) -> bool:
        """Whether the report ``data_set`` of ``org_unit``'s approval unit for ``period`` is withheld."""
        unit = self.tree.approval_unit(org_unit)
        if self.sees_unapproved(unit):
            return False
        return any(self.states.get((data_set.code, unit, p)) is not ApprovalState.APPROVED
                   for p in data_set.approval_periods(period))

    def hidden(self, org_unit: str, period: str, elements: Iterable[str]) -> bool:
        """Whether a number at ``org_unit`` for ``period`` reading ``elements`` is withheld."""
        wanted = set(elements)
        sets = [ds for ds in self.sets.values() if wanted.intersection(ds.elements)]
        if not sets:
            return False
        periods = DataSet.approval_periods(period)
        for unit in self.tree.feeding(org_unit):
            if self.sees_unapproved(unit):
                continue
            for ds in sets:
                if any(self.states.get((ds.code, unit, p)) is not ApprovalState.APPROVED for p in periods):
                    return True
        return False
