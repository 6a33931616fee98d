"""Plans in the web: list, targets with their edits, plan-file import and evaluation export.

Edits go through ``store.plans.update_target`` and imports through ``plans.files`` (validated as a whole,
audited); only a planner whose scope holds the plan's area may change it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import BaseModel, Field

from healthplan.domain.plans import Nature, Plan, Status, TargetOp
from healthplan.domain.problems import HealthplanError
from healthplan.domain.target_text import describe
from healthplan.plans import export
from healthplan.plans.files import read_plan_file
from healthplan.store.plans import get_plan, save_indicators, save_plan, update_target
from healthplan.store.registry import Changes
from healthplan.store.users import User
from healthplan.web.errors import Forbidden
from healthplan.web.explorer import plans
from healthplan.web.overview import overview
from healthplan.web.permissions import PLANNING, require_role, require_scope
from healthplan.web.state import AppState
from healthplan.web.uploads import safe_filename, saved
from healthplan.web.visibility import WITHHELD_EN, WITHHELD_ZH


class TargetEdit(BaseModel):
    """The editable parts of a target; fields left out stay as they are."""

    op: TargetOp | None = None
    value: float | None = None
    value_high: float | None = None
    baseline: float | None = None
    nature: Nature | None = None
    label: str | None = Field(default=None, max_length=300)
    source: str | None = Field(default=None, max_length=200)
    judgement: Status | None = None
    evidence: str | None = Field(default=None, max_length=5000)
    reason: str = Field(default="", max_length=500)


def plan_json(state: AppState, plan: Plan) -> dict[str, object]:
    return {"code": plan.code, "name": plan.name, "org_unit": plan.org_unit,
            "org_unit_name": state.tree.label(plan.org_unit), "base_year": plan.base_year,
            "target_year": plan.target_year, "document": plan.document,
            "targets": [{"seq": t.seq, "indicator": t.indicator,
                         "name": t.label or (state.catalog.get(t.indicator).name if t.indicator in state.catalog
                                             else t.indicator),
                         "org_unit": t.org_unit, "op": t.op.value, "op_label": t.op.label, "value": t.value,
                         "value_high": t.value_high, "baseline": t.baseline, "nature": t.nature.value,
                         "nature_label": t.nature.label, "category": t.category, "source": t.source,
                         "text": t.text or describe(t.op, t.value, t.value_high, t.tolerance, t.tolerance_relative),
                         "judgement": t.judgement, "evidence": t.evidence} for t in plan.targets]}


def plan_list(state: AppState) -> list[dict[str, object]]:
    return [{"code": p.code, "name": p.name, "org_unit": p.org_unit, "org_unit_name": state.tree.label(p.org_unit),
             "base_year": p.base_year, "target_year": p.target_year, "targets": len(p.targets),
             "binding": sum(1 for t in p.targets if t.nature is Nature.BINDING)} for p in plans(state)]


def find(state: AppState, code: str) -> Plan:
    with state.database.sessions() as session:
        return get_plan(session, code)


def edit_target(state: AppState, user: User, code: str, seq: int, edit: TargetEdit) -> Plan:
    require_role(user, PLANNING)
    plan = find(state, code)
    require_scope(state.tree, user, plan.org_unit)
    fields = edit.model_dump(exclude={"reason"}, exclude_unset=True)
    for required in ("op", "nature"):  # null leaves these as they are; they cannot be cleared
        if fields.get(required, "") is None:
            del fields[required]
    for text in ("label", "source", "evidence"):  # null clears a text
        if text in fields and fields[text] is None:
            fields[text] = ""
    if "judgement" in fields:
        fields["judgement"] = edit.judgement.value if edit.judgement else None
    op = edit.op or next((t.op for t in plan.targets if t.seq == seq), None)
    value_high = fields.get("value_high", next((t.value_high for t in plan.targets if t.seq == seq), None))
    low = fields.get("value", next((t.value for t in plan.targets if t.seq == seq), None))
    if op is TargetOp.RANGE and (value_high is None or low is None or value_high < low):
        raise HealthplanError("区间目标需要不小于下限的上限", "a range needs value_high ≥ value")
    if "op" in fields or "value" in fields or "value_high" in fields:
        fields["text"] = ""  # the plan's own wording no longer matches: describe the new target instead
    with state.database.transaction() as session:
        update_target(session, code, seq, user.username, edit.reason, **fields)
    state.sync()
    return find(state, code)


def import_file(state: AppState, user: User, filename: str, content: bytes) -> tuple[Plan, Changes]:
    """Validate a plan file (YAML or Excel) as a whole, check the plan's area is in scope, then store it."""
    require_role(user, PLANNING)
    if Path(safe_filename(filename)).suffix.lower() not in (".yaml", ".yml", ".xlsx", ".xlsm"):
        raise HealthplanError("规划文件应为 .yaml 或 .xlsx", "a plan file is .yaml or .xlsx")
    with saved(filename, content) as path:
        parsed = read_plan_file(path, state.database)
    require_scope(state.tree, user, parsed.plan.org_unit)
    with state.database.transaction() as session:
        changes = save_indicators(session, parsed.indicators, user.username)
        changes += save_plan(session, parsed.plan, user.username)
    state.sync()
    return parsed.plan, changes


def evaluation_file(state: AppState, user: User, code: str, year: int, suffix: str) -> bytes:
    """The evaluation table as .xlsx/.csv/.json — only for a user who may see every number in it."""
    view = overview(state, state.visibility(user), code, year)
    if any(t["withheld"] for t in view["targets"]):  # type: ignore[attr-defined]
        raise Forbidden(f"部分数据{WITHHELD_ZH}，不能导出", f"some numbers are withheld ({WITHHELD_EN})")
    evaluation = state.evaluation(code, year)
    with tempfile.TemporaryDirectory(prefix="healthplan-export-") as folder:
        path = Path(folder) / f"{code}-{year}.{suffix}"
        export.write(evaluation, path)
        return path.read_bytes()
