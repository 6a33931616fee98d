"""The approval board: each report (data set × area × year) a user deals with, and the actions allowed on it.

County editors submit their county's report; a city planner approves or returns the counties' reports and may
unlock an approved one with a reason. The transitions themselves are ``store.approval.transition``.
"""

from __future__ import annotations

from healthplan.domain.datasets import DataSet
from healthplan.domain.problems import HealthplanError
from healthplan.domain.registry import Level
from healthplan.store import approval
from healthplan.store.approval import Action, Approval
from healthplan.store.users import User
from healthplan.web.errors import Forbidden
from healthplan.web.permissions import may_approve, may_enter
from healthplan.web.state import AppState
from healthplan.web.tree import APPROVAL_LEVEL


def allowed_actions(state: AppState, user: User, current: Approval) -> list[Action]:
    unit = current.org_unit
    result = []
    for action, (start, _end) in approval.TRANSITIONS.items():
        if current.state is not start:
            continue
        permitted = may_enter(state.tree, user, unit) if action is Action.SUBMIT else may_approve(state.tree, user, unit)
        if permitted:
            result.append(action)
    return result


def units_for(state: AppState, user: User) -> list[str]:
    """The approval units a user deals with: its own area's, and those of the areas below it down to county."""
    tree = state.tree
    scope = user.scope
    unit = tree.approval_unit(scope)
    if unit != scope:  # scoped below county: the county's report
        return [unit]
    units = [scope]
    stack = [scope]
    while stack:
        for kid in tree.children.get(stack.pop(), []):
            level = tree.level[kid]
            if level is not Level.FACILITY and level.depth <= APPROVAL_LEVEL.depth:
                units.append(kid)
                stack.append(kid)
    return units


def board(state: AppState, user: User, ds: DataSet, period: str) -> list[dict[str, object]]:
    period = ds.check_period(period)
    vis = state.visibility(user)
    rows = []
    with state.database.sessions() as session:
        for unit in units_for(state, user):
            current = approval.get_approval(session, ds.code, unit, period)
            row = current.to_json()
            row.update(org_unit_name=state.tree.label(unit), level=state.tree.level[unit].value,
                       actions=[{"action": a.value, "label": a.label, "needs_reason": a.needs_reason}
                                for a in allowed_actions(state, user, current)],
                       visible=not vis.report_hidden(ds, unit, period))
            rows.append(row)
    return rows


def act(state: AppState, user: User, ds: DataSet, unit: str, period: str, action: Action,
        reason: str = "") -> Approval:
    """Apply one transition for the user, if the role, the scope and the current state allow it."""
    period = ds.check_period(period)
    tree = state.tree
    if unit not in tree or tree.approval_unit(unit) != unit:
        raise HealthplanError(f"“{tree.label(unit)}”不是审核单位（县级及以上区域）",
                              f"{unit} is not an approval unit (an area at county level or above)")
    permitted = may_enter(tree, user, unit) if action is Action.SUBMIT else may_approve(tree, user, unit)
    if not permitted:
        raise Forbidden(f"您不能对{tree.label(unit)}的报表执行“{action.label}”",
                        f"you may not {action.value} the report of {unit}")
    with state.database.transaction() as session:
        result = approval.transition(session, ds.code, unit, period, action, user.username, reason)
    state.sync()
    return result


def history(state: AppState, ds: DataSet, unit: str, period: str) -> list[dict[str, object]]:
    with state.database.sessions() as session:
        entries = approval.history(session, ds.code, unit, period)
    return [{"at": e.at.isoformat(), "user": e.user, "action": e.action, "label": Action(e.action).label,
             "from": e.old_value, "to": e.new_value, "reason": e.reason} for e in entries]
