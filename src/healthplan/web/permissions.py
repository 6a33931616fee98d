"""What each role may do, and where: every write is limited to the user's org-unit subtree.

admin: everything in scope, including users · planner: plans, registry, data, approval · editor: data entry and
submission, registry · analyst: read and download · viewer: read.
"""

from __future__ import annotations

from healthplan.store.users import Role, User
from healthplan.web.errors import Forbidden
from healthplan.web.tree import APPROVAL_LEVEL, OrgTree

ENTRY = frozenset({Role.ADMIN, Role.PLANNER, Role.EDITOR})
PLANNING = frozenset({Role.ADMIN, Role.PLANNER})
DOWNLOAD = frozenset({Role.ADMIN, Role.PLANNER, Role.EDITOR, Role.ANALYST})


def require_role(user: User, allowed: frozenset[Role]) -> None:
    if user.role not in allowed:
        names = "、".join(r.label for r in Role if r in allowed)
        raise Forbidden(f"此操作需要以下角色之一：{names}", f"this needs one of the roles {sorted(allowed)}")


def in_scope(tree: OrgTree, user: User, org_unit: str) -> bool:
    return org_unit in tree and tree.within(org_unit, user.scope)


def require_scope(tree: OrgTree, user: User, org_unit: str) -> None:
    if not in_scope(tree, user, org_unit):
        raise Forbidden(f"{tree.label(org_unit)}（{org_unit}）不在您的管辖范围（{tree.label(user.scope)}）内",
                        f"{org_unit} is outside your scope {user.scope}")


def may_enter(tree: OrgTree, user: User, org_unit: str) -> bool:
    return user.role in ENTRY and in_scope(tree, user, org_unit)


def may_approve(tree: OrgTree, user: User, unit: str) -> bool:
    """A planner approves the reports of the areas below it (a county cannot approve its own report);
    an area above county level, which has nobody above it here, approves its own."""
    if user.role not in PLANNING or not in_scope(tree, user, unit):
        return False
    return user.scope != unit or tree.level[unit].depth < APPROVAL_LEVEL.depth


def may_manage(tree: OrgTree, admin: User, scope: str) -> bool:
    """An admin manages users whose scope lies inside its own."""
    return admin.role is Role.ADMIN and in_scope(tree, admin, scope)

