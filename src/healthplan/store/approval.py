"""Data-set approval per (data set, org unit, period), DHIS2 style: draft → submitted → approved.

A county submits its report, the city approves it, and approved data is locked; a planner may send a
submission back or unlock approved data, always with a reason. The state lives in its own table (the
core ``data_value`` rows are untouched); no row means draft. Every transition is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import DateTime, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from healthplan.domain.data import ApprovalState
from healthplan.domain.problems import HealthplanError
from healthplan.store import audit
from healthplan.store.schema import Base


class ApprovalRow(Base):
    __tablename__ = "data_approval"
    __table_args__ = (UniqueConstraint("data_set", "org_unit", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data_set: Mapped[str] = mapped_column(String(64))
    org_unit: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(10))
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Action(StrEnum):
    """A transition of the workflow; its label is what the button says."""

    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    UNLOCK = "unlock"

    @property
    def label(self) -> str:
        return {"submit": "上报", "approve": "审核通过", "return": "退回", "unlock": "解锁"}[self.value]

    @property
    def needs_reason(self) -> bool:
        return self in (Action.RETURN, Action.UNLOCK)


#: action → (state it starts from, state it leads to)
TRANSITIONS: dict[Action, tuple[ApprovalState, ApprovalState]] = {
    Action.SUBMIT: (ApprovalState.DRAFT, ApprovalState.SUBMITTED),
    Action.APPROVE: (ApprovalState.SUBMITTED, ApprovalState.APPROVED),
    Action.RETURN: (ApprovalState.SUBMITTED, ApprovalState.DRAFT),
    Action.UNLOCK: (ApprovalState.APPROVED, ApprovalState.DRAFT),
}


@dataclass(frozen=True)
class Approval:
    data_set: str
    org_unit: str
    period: str
    state: ApprovalState
    updated_by: str | None
    updated_at: dt.datetime | None

    @property
    def locked(self) -> bool:
        """Submitted or approved data can no longer be edited."""
        return self.state is not ApprovalState.DRAFT

    def to_json(self) -> dict[str, object]:
        return {"data_set": self.data_set, "org_unit": self.org_unit, "period": self.period,
                "state": self.state.value, "state_label": self.state.label, "locked": self.locked,
                "updated_by": self.updated_by,
                "updated_at": self.updated_at.isoformat() if self.updated_at else None}


def _approval(row: ApprovalRow) -> Approval:
    return Approval(row.data_set, row.org_unit, row.period, ApprovalState(row.state), row.updated_by,
                    row.updated_at)


def all_states(session: Session) -> dict[tuple[str, str, str], ApprovalState]:
    """Every stored state by (data set, org unit, period); absent keys are drafts."""
    rows = session.execute(select(ApprovalRow.data_set, ApprovalRow.org_unit, ApprovalRow.period, ApprovalRow.state))
    return {(ds, ou, p): ApprovalState(state) for ds, ou, p, state in rows}


def get_approval(session: Session, data_set: str, org_unit: str, period: str) -> Approval:
    row = session.scalar(select(ApprovalRow).where(ApprovalRow.data_set == data_set,
                                                   ApprovalRow.org_unit == org_unit, ApprovalRow.period == period))
    if row is None:
        return Approval(data_set, org_unit, period, ApprovalState.DRAFT, None, None)
    return _approval(row)


def transition(session: Session, data_set: str, org_unit: str, period: str, action: Action, user: str,
               reason: str = "") -> Approval:
    """Apply ``action`` if the current state allows it (checked inside the caller's transaction)."""
    start, end = TRANSITIONS[action]
    if action.needs_reason and not reason.strip():
        raise HealthplanError(f"“{action.label}”必须说明理由", f"'{action.value}' needs a reason")
    row = session.scalar(select(ApprovalRow).where(ApprovalRow.data_set == data_set,
                                                   ApprovalRow.org_unit == org_unit, ApprovalRow.period == period)
                         .with_for_update())
    current = ApprovalState(row.state) if row is not None else ApprovalState.DRAFT
    if current is not start:
        raise HealthplanError(f"当前状态为“{current.label}”，不能{action.label}",
                              f"cannot {action.value} data in state {current.value}")
    stamp = audit.now()
    if row is None:
        row = ApprovalRow(data_set=data_set, org_unit=org_unit, period=period, state=end.value, updated_by=user,
                          updated_at=stamp)
        session.add(row)
    else:
        row.state, row.updated_by, row.updated_at = end.value, user, stamp
    session.flush()
    audit.record(session, user=user, action=action.value, entity="data_approval",
                 key=f"{data_set}|{org_unit}|{period}", org_unit=org_unit, period=period, old=current.value,
                 new=end.value, reason=reason.strip(), at=stamp)
    return _approval(row)


def history(session: Session, data_set: str, org_unit: str, period: str) -> list[audit.AuditEntry]:
    """The transitions of one report, newest first."""
    return audit.history(session, entity="data_approval", key=f"{data_set}|{org_unit}|{period}")
