"""The assessment's part of ``healthplan demo``: its data element and 城区 hospitals' key specialties.

The counts of key specialties are illustrative (the demo's facility data has no such column): 市二院 2 in 2023
(骨科、肿瘤科, 003 task 14) and 3 in 2024; 区中医院 1 in 2023 and 2 in 2024.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from healthplan.assess.elements import ensure_elements
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.store.values import ValueWrite, write_values

if TYPE_CHECKING:  # demo.build imports this module to list the steps
    from healthplan.demo.build import Step

KEY_SPECIALTIES = {("14050000004", "2023"): 2, ("14050000004", "2024"): 3,
                   ("14050200003", "2023"): 1, ("14050200003", "2024"): 2}


def _load(database: Database, user: str) -> Changes:
    changes = ensure_elements(database, user)
    writes = [ValueWrite("cap.key_specialties", unit, period, value) for (unit, period), value in
              KEY_SPECIALTIES.items()]
    with database.transaction() as session:
        changes += write_values(session, writes, user, reason="示范数据 / demo data")
    return changes


def demo_steps(regions: tuple[str, ...]) -> list[Step]:
    """The two hospitals are in 晋城's 城区."""
    from healthplan.demo.build import Step

    return [Step("绩效考核 重点专科数", _load)] if "jincheng" in regions else []
