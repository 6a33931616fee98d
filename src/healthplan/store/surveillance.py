"""Early-warning persistence: daily count series, alarms merged into signals, response steps, events.

Counts live in their own tables rather than as data values: they are daily series (10⁵ series x 5 years),
read as windows of days across all series at once by the daily run, and keyed by source and disease,
which data values (one element per period and org unit, yearly statistics) are not shaped for.  The
response metrics, which plans target, are written as ordinary data values (``surv.*``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    insert,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql import Select

from healthplan.domain.problems import NotFound
from healthplan.store import audit
from healthplan.store.registry import Changes, code_to_id
from healthplan.store.schema import AuditRow, Base, OrgUnitRow


class SeriesRow(Base):
    """One count series: an area, a source (网络直报, a sentinel place type, pharmacy …) and a disease."""

    __tablename__ = "surv_series"
    __table_args__ = (UniqueConstraint("org_unit_id", "source", "disease"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    disease: Mapped[str] = mapped_column(String(64))
    first_day: Mapped[dt.date] = mapped_column(Date)


class CountRow(Base):
    """A day's count of a series; days after the first without a row count as 0."""

    __tablename__ = "surv_count"
    __table_args__ = (Index("ix_surv_count_day", "day", "series_id", "count"),)
    series_id: Mapped[int] = mapped_column(ForeignKey("surv_series.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class SignalRow(Base):
    """A signal (预警信号): one aberration of one series, possibly over several alarm days."""

    __tablename__ = "surv_signal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("surv_series.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    window_start: Mapped[dt.date] = mapped_column(Date)
    window_end: Mapped[dt.date] = mapped_column(Date, index=True)
    first_alarm: Mapped[dt.date] = mapped_column(Date, index=True)
    observed: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    fixed_threshold: Mapped[bool] = mapped_column(Boolean, default=False)
    response_hours: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    issued_by: Mapped[str] = mapped_column(String(64))
    responded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    suspected: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str] = mapped_column(Text, default="")


class AlarmRow(Base):
    """A day on which a series alarmed; unique per series and day, so re-running a date adds nothing."""

    __tablename__ = "surv_alarm"
    __table_args__ = (UniqueConstraint("series_id", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("surv_series.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    signal_id: Mapped[int] = mapped_column(ForeignKey("surv_signal.id"), index=True)
    observed: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)


class SignalStepRow(Base):
    """One step of a signal's response: from which status to which, who, when, with what note."""

    __tablename__ = "surv_signal_step"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("surv_signal.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")


class EventRow(Base):
    """A multi-point (多点触发) event: several independent sources signalling in one area and window."""

    __tablename__ = "surv_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(64), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    window_start: Mapped[dt.date] = mapped_column(Date)
    window_end: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))


class EventSignalRow(Base):
    __tablename__ = "surv_event_signal"
    event_id: Mapped[int] = mapped_column(ForeignKey("surv_event.id"), primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("surv_signal.id"), primary_key=True)


# ---- counts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountWrite:
    """One day's count of the series (org unit code, source, disease)."""

    org_unit: str
    source: str
    disease: str
    day: dt.date
    count: int


@dataclass(frozen=True)
class SeriesInfo:
    id: int
    org_unit: str
    source: str
    disease: str
    first_day: dt.date


def write_counts(session: Session, writes: Sequence[CountWrite], user: str, reason: str = "") -> Changes:
    """Insert or correct counts (idempotent).  A new series is created at its first day; every corrected
    count is audited with its old value, and each series gets one audit entry for its new days."""
    changes = Changes()
    if not writes:
        return changes
    ids = code_to_id(session, (w.org_unit for w in writes))
    series = _series_ids(session, writes, ids, user)
    stamp = audit.now()
    by_series: dict[int, list[CountWrite]] = defaultdict(list)
    for w in writes:
        by_series[series[(w.org_unit, w.source, w.disease)]].append(w)
    stored = _stored_counts(session, by_series)
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    trail: list[dict[str, object]] = []
    for series_id, items in by_series.items():
        new_days = 0
        for w in items:
            old = stored.get((series_id, w.day))
            if old is None:
                inserts.append({"series_id": series_id, "day": w.day, "count": w.count})
                new_days += 1
            elif old != w.count:
                updates.append({"b_series": series_id, "b_day": w.day, "b_count": w.count})
                trail.append(_trail(stamp, user, "update", w, str(old), str(w.count), reason))
            else:
                changes.unchanged += 1
        if new_days:
            first = items[0]
            trail.append(_trail(stamp, user, "insert", first, None, f"{new_days} days", reason))
        changes.inserted += new_days
    changes.updated += len(updates)
    for start in range(0, len(inserts), 20000):
        session.execute(insert(CountRow), inserts[start:start + 20000])
    if updates:
        table = cast(Table, CountRow.__table__)
        session.connection().execute(update(table).where(table.c.series_id == bindparam("b_series"),
                                                         table.c.day == bindparam("b_day"))
                                     .values(count=bindparam("b_count")), updates)
    if trail:
        session.execute(insert(AuditRow), trail)
    return changes


def _trail(stamp: dt.datetime, user: str, action: str, w: CountWrite, old: str | None, new: str,
           reason: str) -> dict[str, object]:
    return {"at": stamp, "user": user, "action": action, "entity": "surv_count",
            "key": f"{w.org_unit}|{w.source}|{w.disease}|{w.day.isoformat()}", "data_element": None,
            "org_unit": w.org_unit, "period": w.day.strftime("%Y%m%d"), "old_value": old, "new_value": new,
            "reason": reason}


def _series_ids(session: Session, writes: Sequence[CountWrite], ids: dict[str, int],
                user: str) -> dict[tuple[str, str, str], int]:
    """Ids of the writes' series, creating missing ones and moving ``first_day`` earlier when needed."""
    first: dict[tuple[str, str, str], dt.date] = {}
    for w in writes:
        key = (w.org_unit, w.source, w.disease)
        if key not in first or w.day < first[key]:
            first[key] = w.day
    codes = {id_: code for code, id_ in ids.items()}
    existing = {(codes[row.org_unit_id], row.source, row.disease): row
                for row in session.scalars(select(SeriesRow).where(SeriesRow.org_unit_id.in_(list(codes))))}
    result: dict[tuple[str, str, str], int] = {}
    for key, day in first.items():
        row = existing.get(key)
        if row is None:
            row = SeriesRow(org_unit_id=ids[key[0]], source=key[1], disease=key[2], first_day=day)
            session.add(row)
            audit.record(session, user=user, action="insert", entity="surv_series", key="|".join(key),
                         org_unit=key[0], new=day.isoformat())
            existing[key] = row
        elif day < row.first_day:
            audit.record(session, user=user, action="update", entity="surv_series", key="|".join(key),
                         org_unit=key[0], old=row.first_day.isoformat(), new=day.isoformat())
            row.first_day = day
    session.flush()
    for key in first:
        result[key] = existing[key].id
    return result


def _stored_counts(session: Session, by_series: dict[int, list[CountWrite]]) -> dict[tuple[int, dt.date], int]:
    stored: dict[tuple[int, dt.date], int] = {}
    ids = sorted(by_series)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        low = min(w.day for i in chunk for w in by_series[i])
        high = max(w.day for i in chunk for w in by_series[i])
        query = select(CountRow.series_id, CountRow.day, CountRow.count).where(
            CountRow.series_id.in_(chunk), CountRow.day >= low, CountRow.day <= high)
        stored.update({(s, d): c for s, d, c in session.execute(query)})
    return stored


def list_series(session: Session) -> list[SeriesInfo]:
    query = select(SeriesRow.id, OrgUnitRow.code, SeriesRow.source, SeriesRow.disease, SeriesRow.first_day).join(
        OrgUnitRow, OrgUnitRow.id == SeriesRow.org_unit_id).order_by(SeriesRow.id)
    return [SeriesInfo(*row) for row in session.execute(query)]


def count_series(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(SeriesRow)) or 0)


def _days(values: Sequence[object]) -> NDArray[np.datetime64]:
    """Dates as numpy days: SQLite hands back the ISO text (read without the ``Date`` result processing,
    which costs more than the query), PostgreSQL ``datetime.date`` objects; numpy parses either."""
    return np.asarray(values, dtype="datetime64[D]") if values else np.zeros(0, dtype="datetime64[D]")


@dataclass(frozen=True)
class SeriesTable:
    """Series as columns, ordered by id: what the daily run needs to place counts in matrices."""

    ids: NDArray[np.int64]
    diseases: NDArray[np.str_]
    first_days: NDArray[np.datetime64]


@dataclass(frozen=True)
class CountWindows:
    """Count rows as columns: series id, day, count (days without a row are not listed)."""

    series_ids: NDArray[np.int64]
    days: NDArray[np.datetime64]
    counts: NDArray[np.float64]


def read_windows(session: Session, diseases: Sequence[str], ranges: Sequence[tuple[dt.date, dt.date]],
                 cases_from: dt.date | None = None) -> tuple[SeriesTable, CountWindows]:
    """The series of ``diseases`` and their counts on the days within any of ``ranges`` (inclusive, sorted);
    with ``cases_from``, only the series with a case between that day and the end of the last range.

    Set-based: one statement for the series, one for the counts (one index range scan per range:
    ``ix_surv_count_day`` covers day, series and count, so the table itself is not visited).
    """
    if not ranges or not diseases:
        return (SeriesTable(np.zeros(0, np.int64), np.zeros(0, np.str_), _days([])),
                CountWindows(np.zeros(0, np.int64), _days([]), np.zeros(0)))
    chosen = [SeriesRow.disease.in_(list(diseases))]
    if cases_from is not None:
        chosen.append(SeriesRow.id.in_(select(CountRow.series_id).where(
            CountRow.day >= cases_from, CountRow.day <= ranges[-1][1], CountRow.count > 0)))
    series = session.execute(select(SeriesRow.id, SeriesRow.disease, type_coerce(SeriesRow.first_day, String))
                             .where(*chosen).order_by(SeriesRow.id)).all()
    ids, codes, first = zip(*series, strict=True) if series else ((), (), ())
    table = SeriesTable(np.asarray(ids, dtype=np.int64), np.asarray(codes, dtype=np.str_), _days(first))
    day = type_coerce(CountRow.day, String).label("day")
    parts = [select(CountRow.series_id, day, CountRow.count).join(SeriesRow, SeriesRow.id == CountRow.series_id)
             .where(*chosen, CountRow.day >= low, CountRow.day <= high) for low, high in ranges]
    rows = session.execute(union_all(*parts) if len(parts) > 1 else parts[0]).all() if series else []
    series_ids, days, counts = zip(*rows, strict=True) if rows else ((), (), ())
    return table, CountWindows(np.asarray(series_ids, dtype=np.int64), _days(days),
                               np.asarray(counts, dtype=np.float64))


# ---- signals ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlarmWrite:
    """An alarm of a series on ``day``; ``window`` days (the method's block, 1 for daily methods) end there."""

    series_id: int
    day: dt.date
    window: int
    method: str
    observed: float
    threshold: float | None
    fixed_threshold: bool
    response_hours: float
    issued_at: dt.datetime


@dataclass
class SignalChanges:
    """What a run did: new signals, alarms merged into existing ones, alarms already recorded."""

    created: list[int] = field(default_factory=list)
    merged: int = 0
    unchanged: int = 0


@dataclass
class _Open:
    """A signal alarms can join during one ``record_alarms``: stored (``id`` known) or created by this call
    (its id comes from the bulk insert)."""

    id: int | None
    series_id: int
    window_start: dt.date
    window_end: dt.date
    first_alarm: dt.date
    observed: float
    threshold: float | None
    changed: bool = False

    def touches(self, start: dt.date, end: dt.date) -> bool:
        return self.window_start - dt.timedelta(days=1) <= end and start <= self.window_end + dt.timedelta(days=1)


def _open_signals(session: Session, series_ids: list[int],
                  low: dt.date) -> tuple[set[tuple[int, dt.date]], dict[int, list[_Open]]]:
    """Alarm days already stored and the signals still open to merging (window ending on or after ``low``)."""
    known: set[tuple[int, dt.date]] = set()
    signals: dict[int, list[_Open]] = defaultdict(list)
    for start in range(0, len(series_ids), 500):
        chunk = series_ids[start:start + 500]
        known.update((s, d) for s, d in session.execute(
            select(AlarmRow.series_id, AlarmRow.day).where(AlarmRow.series_id.in_(chunk), AlarmRow.day >= low)))
        query = select(SignalRow.id, SignalRow.series_id, SignalRow.window_start, SignalRow.window_end,
                       SignalRow.first_alarm, SignalRow.observed, SignalRow.threshold).where(
            SignalRow.series_id.in_(chunk), SignalRow.window_end >= low).order_by(SignalRow.id)
        for row in session.execute(query):
            signals[row.series_id].append(_Open(*row))
    return known, signals


def record_alarms(session: Session, alarms: Iterable[AlarmWrite], user: str, status: str) -> SignalChanges:
    """Store alarms; an alarm whose window overlaps or touches a signal of the same series joins it
    (so a signal is never doubled), otherwise it opens a new signal in ``status``.

    Set-based: the stored alarms and open signals are read once, alarms are matched in memory, and new
    signals, merged windows, alarm rows and their audit entries are each written by one bulk statement.
    """
    result = SignalChanges()
    todo = sorted(alarms, key=lambda a: (a.series_id, a.day))
    if not todo:
        return result
    low = min(a.day for a in todo) - dt.timedelta(days=max(a.window for a in todo) + 1)
    known, signals = _open_signals(session, sorted({a.series_id for a in todo}), low)
    created: list[tuple[_Open, AlarmWrite]] = []  # a new signal and the alarm that opened it
    merged: list[tuple[_Open, AlarmWrite]] = []
    links: list[tuple[_Open, AlarmWrite]] = []
    for a in todo:
        if (a.series_id, a.day) in known:
            result.unchanged += 1
            continue
        known.add((a.series_id, a.day))
        start_day = a.day - dt.timedelta(days=a.window - 1)
        signal = next((s for s in signals[a.series_id] if s.touches(start_day, a.day)), None)
        if signal is None:
            signal = _Open(None, a.series_id, start_day, a.day, a.day, a.observed, a.threshold)
            signals[a.series_id].append(signal)
            created.append((signal, a))
        else:
            signal.window_start = min(signal.window_start, start_day)
            signal.window_end = max(signal.window_end, a.day)
            signal.first_alarm = min(signal.first_alarm, a.day)
            if a.observed > signal.observed:
                signal.observed, signal.threshold = a.observed, a.threshold
            signal.changed = signal.id is not None
            merged.append((signal, a))
        links.append((signal, a))
    _insert_signals(session, created, user, status)
    _update_signals(session, [s for opened in signals.values() for s in opened if s.changed])
    stamp = audit.now()
    trail = [_signal_trail(stamp, user, "insert", s.id, {
        "series": w.series_id, "day": w.day.isoformat(), "method": w.method, "observed": w.observed,
        "threshold": w.threshold}) for s, w in created]
    trail += [_signal_trail(stamp, user, "update", s.id, {"merged_alarm": w.day.isoformat(), "observed": w.observed})
              for s, w in merged]
    if links:
        _bulk_insert(session, AlarmRow, [{"series_id": w.series_id, "day": w.day, "signal_id": s.id,
                                          "observed": w.observed, "threshold": w.threshold} for s, w in links])
        _bulk_insert(session, AuditRow, trail)
    result.created = [s.id for s, _ in created if s.id is not None]
    result.merged = len(merged)
    return result


def _insert_signals(session: Session, created: list[tuple[_Open, AlarmWrite]], user: str, status: str) -> None:
    """Insert the new signals in one statement and give each its id (RETURNING; the new signals of a series
    never overlap, so series and window start name one)."""
    if not created:
        return
    table = cast(Table, SignalRow.__table__)
    rows = [{"series_id": s.series_id, "method": a.method, "window_start": s.window_start,
             "window_end": s.window_end, "first_alarm": s.first_alarm, "observed": s.observed,
             "threshold": s.threshold, "fixed_threshold": a.fixed_threshold, "response_hours": a.response_hours,
             "status": status, "issued_at": a.issued_at, "issued_by": user, "responded_at": None,
             "suspected": False, "outcome": ""} for s, a in created]
    returned = session.execute(insert(table).returning(table.c.id, table.c.series_id, table.c.window_start), rows)
    ids = {(series_id, start): new_id for new_id, series_id, start in returned}
    for signal, _ in created:
        signal.id = ids[(signal.series_id, signal.window_start)]


def _update_signals(session: Session, changed: list[_Open]) -> None:
    if not changed:
        return
    table = cast(Table, SignalRow.__table__)
    statement = update(table).where(table.c.id == bindparam("b_id")).values(
        window_start=bindparam("b_start"), window_end=bindparam("b_end"), first_alarm=bindparam("b_first"),
        observed=bindparam("b_observed"), threshold=bindparam("b_threshold"))
    session.connection().execute(statement, [
        {"b_id": s.id, "b_start": s.window_start, "b_end": s.window_end, "b_first": s.first_alarm,
         "b_observed": s.observed, "b_threshold": s.threshold} for s in changed])


def _bulk_insert(session: Session, model: type[Base], rows: list[dict[str, object]]) -> None:
    """One executemany on the table (Core: no ORM bookkeeping per row)."""
    session.connection().execute(insert(cast(Table, model.__table__)), rows)


def _signal_trail(stamp: dt.datetime, user: str, action: str, signal_id: int | None, new: object,
                  old: str | None = None, reason: str = "") -> dict[str, object]:
    return {"at": stamp, "user": user, "action": action, "entity": "surv_signal", "key": str(signal_id),
            "data_element": None, "org_unit": None, "period": None, "old_value": old,
            "new_value": new if isinstance(new, str) else json.dumps(new), "reason": reason}


@dataclass(frozen=True)
class Step:
    from_status: str
    to_status: str
    at: dt.datetime
    user: str
    note: str


@dataclass(frozen=True)
class Signal:
    """A signal as read back: its series, window, response and steps."""

    id: int
    series_id: int
    org_unit: str
    org_unit_name: str
    source: str
    disease: str
    method: str
    window_start: dt.date
    window_end: dt.date
    first_alarm: dt.date
    observed: float
    threshold: float | None
    fixed_threshold: bool
    response_hours: float
    status: str
    issued_at: dt.datetime
    issued_by: str
    responded_at: dt.datetime | None
    suspected: bool
    outcome: str
    alarm_days: tuple[dt.date, ...] = ()
    steps: tuple[Step, ...] = ()


def _signal_query() -> Select[SignalRow, str, str, str, str]:
    return select(SignalRow, OrgUnitRow.code, OrgUnitRow.name, SeriesRow.source, SeriesRow.disease).join(
        SeriesRow, SeriesRow.id == SignalRow.series_id).join(OrgUnitRow, OrgUnitRow.id == SeriesRow.org_unit_id)


def _signal(row: SignalRow, code: str, name: str, source: str, disease: str,
            alarm_days: tuple[dt.date, ...] = (), steps: tuple[Step, ...] = ()) -> Signal:
    return Signal(row.id, row.series_id, code, name, source, disease, row.method, row.window_start,
                  row.window_end, row.first_alarm, row.observed, row.threshold, row.fixed_threshold,
                  row.response_hours, row.status, row.issued_at, row.issued_by, row.responded_at, row.suspected,
                  row.outcome, alarm_days, steps)


def find_signals(session: Session, *, first: dt.date | None = None, last: dt.date | None = None,
                 status: str | None = None, org_units: Sequence[str] | None = None,
                 disease: str | None = None, ids: Sequence[int] | None = None) -> list[Signal]:
    """Signals whose first alarm lies in ``first..last``, filtered; ordered by first alarm and id."""
    query = _signal_query()
    if first is not None:
        query = query.where(SignalRow.first_alarm >= first)
    if last is not None:
        query = query.where(SignalRow.first_alarm <= last)
    if status is not None:
        query = query.where(SignalRow.status == status)
    if disease is not None:
        query = query.where(SeriesRow.disease == disease)
    if org_units is not None:
        query = query.where(OrgUnitRow.code.in_(list(org_units)))
    if ids is not None:
        query = query.where(SignalRow.id.in_(list(ids)))
    query = query.order_by(SignalRow.first_alarm, SignalRow.id)
    return [_signal(row, code, name, source, disease) for row, code, name, source, disease in session.execute(query)]


def get_signals(session: Session, ids: Sequence[int]) -> list[Signal]:
    """The signals ``ids`` in that order, each with its alarm days and steps (a few statements in all)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[int, tuple[SignalRow, str, str, str, str]] = {}
    days: dict[int, list[dt.date]] = defaultdict(list)
    steps: dict[int, list[Step]] = defaultdict(list)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for row, code, name, source, disease in session.execute(_signal_query().where(SignalRow.id.in_(chunk))):
            found[row.id] = (row, code, name, source, disease)
        for signal_id, day in session.execute(select(AlarmRow.signal_id, AlarmRow.day)
                                              .where(AlarmRow.signal_id.in_(chunk)).order_by(AlarmRow.day)):
            days[signal_id].append(day)
        for r in session.scalars(select(SignalStepRow).where(SignalStepRow.signal_id.in_(chunk))
                                 .order_by(SignalStepRow.id)):
            steps[r.signal_id].append(Step(r.from_status, r.to_status, r.at, r.user, r.note))
    missing = next((i for i in wanted if i not in found), None)
    if missing is not None:
        raise NotFound(f"找不到预警信号 {missing}", f"no signal with id {missing}")
    return [_signal(*found[i], alarm_days=tuple(days[i]), steps=tuple(steps[i])) for i in wanted]


def get_signal(session: Session, signal_id: int) -> Signal:
    return get_signals(session, [signal_id])[0]


@dataclass
class SignalState:
    """What validating a response step needs: status, when issued, the last step's time, response so far."""

    status: str
    issued_at: dt.datetime
    last_step_at: dt.datetime | None
    responded_at: dt.datetime | None
    suspected: bool
    outcome: str


def signal_states(session: Session, ids: Sequence[int]) -> dict[int, SignalState]:
    """The current state of the signals ``ids`` that exist, locked for update (PostgreSQL) until commit."""
    wanted = sorted(set(ids))
    states: dict[int, SignalState] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        query = select(SignalRow.id, SignalRow.status, SignalRow.issued_at, SignalRow.responded_at,
                       SignalRow.suspected, SignalRow.outcome).where(SignalRow.id.in_(chunk)).with_for_update()
        for signal_id, status, issued, responded, suspected, outcome in session.execute(query):
            states[signal_id] = SignalState(status, issued, None, responded, suspected, outcome)
        last = select(SignalStepRow.signal_id, func.max(SignalStepRow.at)).where(
            SignalStepRow.signal_id.in_(chunk)).group_by(SignalStepRow.signal_id)
        for signal_id, at in session.execute(last):
            states[signal_id].last_step_at = at
    return states


@dataclass(frozen=True)
class StepWrite:
    """A validated step: the signal moves from ``from_status`` to ``to_status`` at ``at``."""

    signal_id: int
    from_status: str
    to_status: str
    at: dt.datetime
    note: str


def record_steps(session: Session, steps: Sequence[StepWrite], states: dict[int, SignalState], user: str) -> None:
    """Store validated steps (the caller checked the transitions and times and brought ``states`` to the
    signals' new status, response time, suspicion and outcome) with one audit entry each, in bulk."""
    if not steps:
        return
    _bulk_insert(session, SignalStepRow, [{"signal_id": s.signal_id, "from_status": s.from_status,
                                           "to_status": s.to_status, "at": s.at, "user": user, "note": s.note}
                                          for s in steps])
    stamp = audit.now()
    _bulk_insert(session, AuditRow, [_signal_trail(stamp, user, "update", s.signal_id, s.to_status,
                                                   old=s.from_status, reason=s.note) for s in steps])
    table = cast(Table, SignalRow.__table__)
    statement = update(table).where(table.c.id == bindparam("b_id")).values(
        status=bindparam("b_status"), responded_at=bindparam("b_responded"), suspected=bindparam("b_suspected"),
        outcome=bindparam("b_outcome"))
    session.connection().execute(statement, [
        {"b_id": i, "b_status": states[i].status, "b_responded": states[i].responded_at,
         "b_suspected": states[i].suspected, "b_outcome": states[i].outcome}
        for i in sorted({s.signal_id for s in steps})])


# ---- events -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    id: int
    rule: str
    org_unit: str
    org_unit_name: str
    window_start: dt.date
    window_end: dt.date
    created_at: dt.datetime
    signal_ids: tuple[int, ...]


def record_event(session: Session, rule: str, org_unit: str, window: tuple[dt.date, dt.date],
                 signal_ids: Sequence[int], user: str, at: dt.datetime) -> str:
    """Raise an event, or merge the signals into an event of the same rule and area whose window overlaps
    or touches ``window``.  Returns "created", "updated" or "unchanged"."""
    org_id = code_to_id(session, [org_unit])[org_unit]
    start, end = window
    row = session.scalar(select(EventRow).where(
        EventRow.rule == rule, EventRow.org_unit_id == org_id,
        EventRow.window_start <= end + dt.timedelta(days=1),
        EventRow.window_end >= start - dt.timedelta(days=1)).order_by(EventRow.id).limit(1))
    created = row is None
    if row is None:
        row = EventRow(rule=rule, org_unit_id=org_id, window_start=start, window_end=end, created_at=at,
                       created_by=user)
        session.add(row)
        session.flush()
    else:
        row.window_start, row.window_end = min(row.window_start, start), max(row.window_end, end)
    linked = set(session.scalars(select(EventSignalRow.signal_id).where(EventSignalRow.event_id == row.id)))
    fresh = sorted(set(signal_ids) - linked)
    if fresh:
        session.execute(insert(EventSignalRow), [{"event_id": row.id, "signal_id": s} for s in fresh])
    if not (created or fresh):
        return "unchanged"
    audit.record(session, user=user, action="insert" if created else "update", entity="surv_event",
                 key=str(row.id), org_unit=org_unit,
                 new=json.dumps({"rule": rule, "signals": sorted(set(signal_ids) | linked)}))
    return "created" if created else "updated"


def find_events(session: Session, *, first: dt.date | None = None, last: dt.date | None = None) -> list[Event]:
    query = select(EventRow, OrgUnitRow.code, OrgUnitRow.name).join(OrgUnitRow, OrgUnitRow.id == EventRow.org_unit_id)
    if first is not None:
        query = query.where(EventRow.window_end >= first)
    if last is not None:
        query = query.where(EventRow.window_start <= last)
    rows = list(session.execute(query.order_by(EventRow.window_start, EventRow.id)))
    links: dict[int, list[int]] = defaultdict(list)
    if rows:
        for event_id, signal_id in session.execute(select(EventSignalRow.event_id, EventSignalRow.signal_id).where(
                EventSignalRow.event_id.in_([r[0].id for r in rows])).order_by(EventSignalRow.signal_id)):
            links[event_id].append(signal_id)
    return [Event(r.id, r.rule, code, name, r.window_start, r.window_end, r.created_at, tuple(links[r.id]))
            for r, code, name in rows]
