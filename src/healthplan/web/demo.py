"""Demo users and approval states for the demo regions (``healthplan demo``).

Four users for 晋城市 — an admin/planner of the city, editors of 泽州县 and 高平市, a viewer — share one
password generated when the demo is built; it is written (owner-readable only) into the data directory and
printed by ``healthplan serve``; it is never in the repository. Approval: every report of 2015–2023 is approved;
for 2024 泽州县's reports are drafts (its editor can enter data) and 高平市's are submitted, awaiting the city —
so 泽州县's editor cannot see 高平市's 2024 data until the city approves them.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from healthplan.domain.data import ApprovalState
from healthplan.domain.registry import Level
from healthplan.store import approval
from healthplan.store.approval import Action
from healthplan.store.database import Database
from healthplan.store.datasets import approval_data_sets
from healthplan.store.registry import Changes, list_areas
from healthplan.store.users import Role, create_user, get_user, list_users, update_user
from healthplan.web.server import data_dir, read_demo_login, write_demo_login

if TYPE_CHECKING:  # demo.build imports this module to list the steps
    from healthplan.demo.build import Step

DEMO_YEARS = range(2015, 2025)
CURRENT_YEAR = 2024
DEMO_USERS = [  # username, role, scope, display name
    ("jc_admin", Role.ADMIN, "140500", "晋城市卫健委规划科"),
    ("zz_editor", Role.EDITOR, "140525", "泽州县卫体局"),
    ("gp_editor", Role.EDITOR, "140581", "高平市卫健局"),
    ("jc_viewer", Role.VIEWER, "140500", "晋城市只读用户"),
]
#: 2024 reports that are not approved in the demo: unit → the state they are left in.
OPEN_2024 = {"140525": ApprovalState.DRAFT, "140581": ApprovalState.SUBMITTED}
REGION_ROOTS = {"jincheng": "140500", "shuozhou": "140600"}


def _users(database: Database, user: str) -> Changes:
    changes = Changes()
    folder = data_dir(database)
    known_login = read_demo_login(folder, database) is not None
    with database.transaction() as session:
        existing = {u.username for u in list_users(session)}
        if known_login and all(name in existing for name, *_ in DEMO_USERS):
            changes.unchanged += len(DEMO_USERS)
            return changes
        password = "demo-" + secrets.token_urlsafe(9)
        for name, role, scope, display in DEMO_USERS:
            if name in existing:
                update_user(session, name, user, password=password, reason="demo rebuilt")
                changes.updated += 1
            else:
                create_user(session, name, password, role, scope, user, display)
                changes.inserted += 1
        listed = [{"username": name, "role": get_user(session, name).role.label, "scope": f"{display}（{scope}）"}
                  for name, _role, scope, display in DEMO_USERS]
    write_demo_login(folder, database, password, listed)
    return changes


def _approvals(database: Database, user: str, roots: list[str]) -> Changes:
    changes = Changes()
    with database.transaction() as session:
        areas = list_areas(session)
        parents = {a.code: a.parent_code for a in areas}
        units = [a.code for a in areas if a.level in (Level.CITY, Level.COUNTY)
                 and (a.code in roots or parents.get(a.code) in roots)]
        for ds in approval_data_sets().values():
            for unit in sorted(units):
                for year in DEMO_YEARS:
                    period = str(year)
                    if approval.get_approval(session, ds.code, unit, period).updated_by is not None:
                        changes.unchanged += 1
                        continue
                    wanted = (OPEN_2024.get(unit, ApprovalState.APPROVED) if year == CURRENT_YEAR
                              else ApprovalState.APPROVED)
                    if wanted is ApprovalState.DRAFT:
                        changes.unchanged += 1
                        continue
                    approval.transition(session, ds.code, unit, period, Action.SUBMIT, user)
                    if wanted is ApprovalState.APPROVED:
                        approval.transition(session, ds.code, unit, period, Action.APPROVE, user)
                    changes.inserted += 1
    return changes


def steps(regions: tuple[str, ...]) -> list[Step]:
    from healthplan.demo.build import Step

    roots = [REGION_ROOTS[r] for r in regions if r in REGION_ROOTS]
    result = [Step("网站审核状态 / approval states", lambda db, user: _approvals(db, user, roots))]
    if "jincheng" in regions:
        result.append(Step("网站示范用户 / demo users", _users))
    return result
