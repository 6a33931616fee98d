"""A plan's targets for a monitoring year as the dashboard shows them: grouped by status, 约束性 first.

The evaluation is ``plans.evaluation.evaluate_plan`` (memoised per plan and year until the next write); each
target is then withheld or not for the user, so one computation serves everybody.
"""

from __future__ import annotations

from healthplan.domain.plans import Nature, Plan, Status
from healthplan.plans.evaluation import PlanEvaluation, TargetResult
from healthplan.plans.progress import goal
from healthplan.web.errors import Forbidden
from healthplan.web.state import AppState
from healthplan.web.visibility import WITHHELD_EN, WITHHELD_ZH, Visibility

STATUS_ORDER = [Status.MET, Status.ON_TRACK, Status.BEHIND, Status.REGRESSING, Status.NO_DATA]
WITHHELD = "withheld"


def default_year(state: AppState, vis: Visibility, plan: Plan) -> int:
    """The newest year with data (not after the target year) whose numbers this user may see."""
    years = [y for y in state.years() if plan.base_year <= y <= plan.target_year] or [plan.base_year]
    elements: set[str] = set()
    for t in plan.targets:
        elements |= state.elements_of(state.catalog.get(t.indicator))
    for year in reversed(years):
        if not vis.hidden(plan.org_unit, str(year), elements):
            return year
    return years[-1]


def _masked(state: AppState, vis: Visibility, r: TargetResult, evaluation: PlanEvaluation) -> dict[str, object]:
    data = r.to_json()
    elements = state.elements_of(r.indicator)
    hidden_years = {y for y, _ in r.series if vis.hidden(r.org_unit, str(y), elements)}
    withheld = evaluation.year in hidden_years
    data["series"] = [{"year": y, "value": None if y in hidden_years else v, "withheld": y in hidden_years}
                      for y, v in r.series]
    g = goal(r.target, r.baseline, r.indicator.polarity) if not withheld else None
    plan = evaluation.plan
    data["trajectory_line"] = ([[plan.base_year, r.baseline], [plan.target_year, g.point]]
                               if g is not None and g.point is not None and r.baseline is not None
                               and plan.base_year not in hidden_years else [])
    data["org_unit_name"] = state.tree.label(r.org_unit)
    data["withheld"] = withheld
    if plan.base_year in hidden_years and r.baseline_source == "computed":
        data.update(baseline=None, baseline_text="未公开", completion=None)
    if withheld or hidden_years:
        data.update(projection=None, gap=None)
    if withheld:
        data.update(value=None, value_text="未公开", numerator=None, denominator=None, status=WITHHELD,
                    status_label="未公开", completion=None, trajectory=None, annual_change_needed=None)
    return data


def overview(state: AppState, vis: Visibility, plan_code: str, year: int) -> dict[str, object]:
    """The evaluation with each target masked for the user, plus the groups the dashboard draws."""
    evaluation = state.evaluation(plan_code, year)
    targets = [_masked(state, vis, r, evaluation) for r in evaluation.targets]
    if targets and all(t["withheld"] for t in targets):
        raise Forbidden(WITHHELD_ZH, WITHHELD_EN)
    groups = []
    for status in [*(s.value for s in STATUS_ORDER), WITHHELD]:
        members = [t for t in targets if t["status"] == status]
        members.sort(key=lambda t: (t["nature"] != Nature.BINDING.value, t["seq"]))
        label = Status(status).label if status != WITHHELD else "未公开"
        groups.append({"status": status, "label": label, "count": len(members), "seqs": [t["seq"] for t in members]})
    plan = evaluation.plan
    return {"plan": plan.code, "name": plan.name, "org_unit": plan.org_unit,
            "org_unit_name": state.tree.label(plan.org_unit), "base_year": plan.base_year,
            "target_year": plan.target_year, "document": plan.document, "year": evaluation.year,
            "summary": {g["status"]: g["count"] for g in groups}, "groups": groups, "targets": targets}


def compare(state: AppState, vis: Visibility, plan_code: str, first: int, second: int) -> dict[str, object]:
    """Two monitoring years side by side: value, status and the change between them."""
    a, b = overview(state, vis, plan_code, first), overview(state, vis, plan_code, second)
    rows = []
    for ta, tb in zip(a["targets"], b["targets"], strict=True):  # type: ignore[call-overload]
        va, vb = ta["value"], tb["value"]
        change = None if va is None or vb is None else vb - va
        rows.append({"seq": ta["seq"], "name": ta["name"], "org_unit_name": ta["org_unit_name"],
                     "nature_label": ta["nature_label"], "target_text": ta["target_text"], "unit": ta["unit"],
                     "decimals": ta["decimals"], "first": {k: ta[k] for k in ("value", "value_text", "status",
                                                                            "status_label")},
                     "second": {k: tb[k] for k in ("value", "value_text", "status", "status_label")},
                     "change": change})
    return {"plan": a["plan"], "name": a["name"], "years": [first, second], "rows": rows}
