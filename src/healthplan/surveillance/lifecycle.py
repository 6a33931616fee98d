"""The life of a signal: 新发 → 核实中 → 排除 / 疑似事件 → 已处置 / 关闭, each step with who, when and a note.

A state machine: only the listed transitions are accepted, step times never go backwards, and the first
step out of 新发 is the response (预警信息响应) whose delay the metrics measure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from healthplan.domain.labels import LabelledEnum, labelled
from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.store import surveillance as store
from healthplan.store.audit import now
from healthplan.store.database import Database


@labelled({"new": "新发", "verifying": "核实中", "dismissed": "排除", "suspected": "疑似事件",
           "handled": "已处置", "closed": "关闭"})
class Status(LabelledEnum):
    NEW = "new"
    VERIFYING = "verifying"
    DISMISSED = "dismissed"
    SUSPECTED = "suspected"
    HANDLED = "handled"
    CLOSED = "closed"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.VERIFYING}),
    Status.VERIFYING: frozenset({Status.DISMISSED, Status.SUSPECTED}),
    Status.SUSPECTED: frozenset({Status.HANDLED}),
    Status.DISMISSED: frozenset({Status.CLOSED}),
    Status.HANDLED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


def check_transition(current: Status, target: Status) -> None:
    if target not in TRANSITIONS[current]:
        allowed = "、".join(f"{s.value}({s.label})" for s in sorted(TRANSITIONS[current])) or "无 / none"
        raise HealthplanError(f"信号状态不能从“{current.label}”变为“{target.label}”，可变为：{allowed}",
                              f"a signal cannot go from {current.value} to {target.value}; allowed: {allowed}")


@dataclass(frozen=True)
class Move:
    """One requested step: signal, target status, when (None: now), note and outcome."""

    signal_id: int
    target: Status
    at: dt.datetime | None = None
    note: str = ""
    outcome: str | None = None


def _check(state: store.SignalState, move: Move, stamp: dt.datetime) -> dt.datetime:
    """The step's time, after checking the transition and that the time is neither before the signal or its
    last step nor in the future."""
    check_transition(Status(state.status), move.target)
    when = move.at or stamp
    earliest = max(state.issued_at, state.last_step_at or state.issued_at)
    if when < earliest:
        raise HealthplanError(f"时间 {when:%Y-%m-%d %H:%M} 早于信号发出或上一步（{earliest:%Y-%m-%d %H:%M}）",
                              f"time {when:%Y-%m-%d %H:%M} precedes the signal or its last step ({earliest:%Y-%m-%d %H:%M})")
    if when > stamp + dt.timedelta(minutes=5):
        raise HealthplanError(f"时间 {when:%Y-%m-%d %H:%M} 在将来", f"time {when:%Y-%m-%d %H:%M} is in the future")
    return when


def respond(database: Database, moves: Sequence[Move], user: str) -> list[store.Signal]:
    """Apply the steps in order, all or nothing; ``at`` records when a step happened (e.g. a call logged
    later), never before the signal was issued or its previous step, never in the future.

    The signals' states are read once and the steps validated in memory, then written in bulk: answering
    a season's signals is a few statements, not a few per step.
    """
    ids = list(dict.fromkeys(m.signal_id for m in moves))
    stamp = now()
    with database.transaction() as session:
        states = store.signal_states(session, ids)
        writes: list[store.StepWrite] = []
        for move in moves:
            state = states.get(move.signal_id)
            if state is None:
                raise NotFound(f"找不到预警信号 {move.signal_id}", f"no signal with id {move.signal_id}")
            when = _check(state, move, stamp)
            writes.append(store.StepWrite(move.signal_id, state.status, move.target.value, when, move.note))
            if state.status == Status.NEW.value and state.responded_at is None:
                state.responded_at = when
            state.status, state.last_step_at = move.target.value, when
            state.suspected = state.suspected or move.target is Status.SUSPECTED
            if move.outcome is not None:
                state.outcome = move.outcome
        store.record_steps(session, writes, states, user)
    with database.sessions() as session:
        return store.get_signals(session, ids)
