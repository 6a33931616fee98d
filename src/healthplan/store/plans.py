"""Plans, their targets and user-defined indicators."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from healthplan.domain.indicators import Display, Indicator, Polarity
from healthplan.domain.plans import Nature, Plan, Target, TargetOp
from healthplan.domain.problems import NotFound
from healthplan.store import audit
from healthplan.store.registry import Changes
from healthplan.store.schema import IndicatorRow, PlanRow, TargetRow


def save_indicators(session: Session, indicators: Sequence[Indicator], user: str) -> Changes:
    changes = Changes()
    for ind in indicators:
        row = session.get(IndicatorRow, ind.code)
        fields = {"plan_code": ind.plan_code, "name": ind.name, "name_en": ind.name_en, "unit": ind.unit,
                  "decimals": ind.decimals, "polarity": ind.polarity.value, "display": ind.display.value,
                  "numerator": ind.numerator, "denominator": ind.denominator, "factor": ind.factor,
                  "definition": ind.definition}
        if row is None:
            session.add(IndicatorRow(code=ind.code, **fields))
            changes.inserted += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            old = {k: getattr(row, k) for k in fields}
            for key, value in fields.items():
                setattr(row, key, value)
            audit.record(session, user=user, action="update", entity="indicator", key=ind.code,
                         old=json.dumps(old, ensure_ascii=False), new=json.dumps(fields, ensure_ascii=False))
            changes.updated += 1
            continue
        else:
            changes.unchanged += 1
            continue
        audit.record(session, user=user, action="insert", entity="indicator", key=ind.code,
                     new=json.dumps(fields, ensure_ascii=False))
    session.flush()
    return changes


def user_indicators(session: Session) -> list[Indicator]:
    return [Indicator(code=r.code, name=r.name, numerator=r.numerator, denominator=r.denominator,
                      factor=r.factor, name_en=r.name_en, unit=r.unit, decimals=r.decimals,
                      polarity=Polarity(r.polarity), display=Display(r.display), definition=r.definition,
                      plan_code=r.plan_code)
            for r in session.scalars(select(IndicatorRow).order_by(IndicatorRow.code))]


def save_plan(session: Session, plan: Plan, user: str) -> Changes:
    """Store a plan with its targets; an identical plan is left alone, a changed one replaced (audited)."""
    changes = Changes()
    current = find_plan(session, plan.code)
    if current == plan:
        changes.unchanged += 1
        return changes
    if current is None:
        session.add(PlanRow(code=plan.code, name=plan.name, org_unit=plan.org_unit, base_year=plan.base_year,
                            target_year=plan.target_year, document=plan.document))
        changes.inserted += 1
    else:
        row = session.get(PlanRow, plan.code)
        assert row is not None
        row.name, row.org_unit, row.document = plan.name, plan.org_unit, plan.document
        row.base_year, row.target_year = plan.base_year, plan.target_year
        session.execute(delete(TargetRow).where(TargetRow.plan_code == plan.code))
        changes.updated += 1
    session.flush()
    for target in plan.targets:
        session.add(_target_row(plan.code, target))
    audit.record(session, user=user, action="insert" if current is None else "update", entity="plan",
                 key=plan.code, old=_plan_json(current) if current else None, new=_plan_json(plan))
    session.flush()
    return changes


def update_target(session: Session, plan_code: str, seq: int, user: str, reason: str = "",
                  **fields: object) -> Target:
    """Edit one target (e.g. a planner's hand judgement of a qualitative target), audited."""
    row = session.scalar(select(TargetRow).where(TargetRow.plan_code == plan_code, TargetRow.seq == seq))
    if row is None:
        raise NotFound(f"规划 {plan_code} 中没有序号为 {seq} 的目标", f"plan {plan_code} has no target #{seq}")
    old = _target(row)
    for key, value in fields.items():
        setattr(row, key, value.value if isinstance(value, TargetOp | Nature) else value)
    session.flush()
    new = _target(row)
    audit.record(session, user=user, action="update", entity="target", key=f"{plan_code}#{seq}", reason=reason,
                 old=json.dumps(asdict(old), ensure_ascii=False, default=str),
                 new=json.dumps(asdict(new), ensure_ascii=False, default=str))
    return new


def list_plans(session: Session) -> list[Plan]:
    return [_plan(session, row) for row in session.scalars(select(PlanRow).order_by(PlanRow.code))]


def find_plan(session: Session, code: str) -> Plan | None:
    row = session.get(PlanRow, code)
    return _plan(session, row) if row is not None else None


def get_plan(session: Session, code: str) -> Plan:
    plan = find_plan(session, code)
    if plan is None:
        known = ", ".join(p.code for p in list_plans(session)) or "（无/none）"
        raise NotFound(f"找不到规划“{code}”，现有：{known}", f"no plan {code!r}; known plans: {known}")
    return plan


def _plan(session: Session, row: PlanRow) -> Plan:
    targets = session.scalars(select(TargetRow).where(TargetRow.plan_code == row.code).order_by(TargetRow.seq))
    return Plan(code=row.code, name=row.name, org_unit=row.org_unit, base_year=row.base_year,
                target_year=row.target_year, document=row.document, targets=tuple(_target(t) for t in targets))


def _target(row: TargetRow) -> Target:
    return Target(indicator=row.indicator, op=TargetOp(row.op), nature=Nature(row.nature), org_unit=row.org_unit,
                  value=row.value, value_high=row.value_high, tolerance=row.tolerance,
                  tolerance_relative=row.tolerance_relative, baseline=row.baseline, category=row.category,
                  label=row.label, source=row.source, text=row.text, judgement=row.judgement,
                  evidence=row.evidence, seq=row.seq)


def _target_row(plan_code: str, t: Target) -> TargetRow:
    return TargetRow(plan_code=plan_code, seq=t.seq, indicator=t.indicator, org_unit=t.org_unit, op=t.op.value,
                     value=t.value, value_high=t.value_high, tolerance=t.tolerance,
                     tolerance_relative=t.tolerance_relative, baseline=t.baseline, nature=t.nature.value,
                     category=t.category, label=t.label, source=t.source, text=t.text, judgement=t.judgement,
                     evidence=t.evidence)


def _plan_json(plan: Plan) -> str:
    return json.dumps(asdict(plan), ensure_ascii=False, default=str)
