"""Task status on any date: 未启动/进行中/已完成/逾期/持续推进, overdue, recurring tasks."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from healthplan.store.tasks import ProgressReport, Task
from healthplan.tasks.deadline import parse_deadline
from healthplan.tasks.status import TaskStatus, completed_on, due_dates, period_of, state

D = dt.date
S = TaskStatus


def task(deadline: str, code: str = "1") -> Task:
    schedule = parse_deadline(deadline)
    return Task(code, "任务", ("区卫体局",), deadline, deadline=schedule.deadline, continuing=schedule.continuing,
                continuing_from=schedule.continuing_from,
                recurrence=schedule.recurrence.value if schedule.recurrence else None)


def report(day: dt.date, percent: float) -> ProgressReport:
    return ProgressReport("1", day, percent)


def test_deadline_task_through_its_life() -> None:
    t = task("2023年8月底")
    reports = [report(D(2023, 8, 10), 40), report(D(2023, 9, 20), 100)]
    assert state(t, reports, D(2023, 8, 1)).status is S.NOT_STARTED
    assert state(t, reports, D(2023, 8, 10)).status is S.IN_PROGRESS
    assert state(t, reports, D(2023, 8, 31)).status is S.IN_PROGRESS  # the deadline day itself is not late
    late = state(t, reports, D(2023, 9, 1))
    assert (late.status, late.overdue, late.days_overdue(D(2023, 9, 1))) == (S.OVERDUE, True, 1)
    done = state(t, reports, D(2023, 9, 20))
    assert (done.status, done.overdue, done.completed_on, done.percent) == (S.COMPLETED, False, D(2023, 9, 20), 100)


def test_a_report_below_100_reopens_a_task() -> None:
    reports = [report(D(2023, 8, 1), 100), report(D(2023, 8, 5), 100), report(D(2023, 8, 20), 80),
               report(D(2023, 8, 25), 100)]
    assert completed_on(reports, D(2023, 8, 10)) == D(2023, 8, 1)
    assert completed_on(reports, D(2023, 8, 21)) is None
    assert completed_on(reports, D(2023, 12, 31)) == D(2023, 8, 25)


def test_continuing_task_is_never_overdue() -> None:
    t = task("持续推进")
    for day in (D(2023, 1, 1), D(2030, 1, 1)):
        current = state(t, [], day)
        assert (current.status, current.overdue, current.due) == (S.CONTINUING, False, None)
    assert state(t, [report(D(2024, 3, 1), 100)], D(2024, 3, 2)).status is S.COMPLETED


def test_deadline_then_continuing_phase() -> None:
    t = task("2023年8月底完成制度建设，9月1日起持续推进执行")
    assert state(t, [report(D(2023, 8, 30), 100)], D(2023, 8, 31)).status is S.COMPLETED
    assert state(t, [report(D(2023, 8, 30), 100)], D(2023, 9, 1)).status is S.CONTINUING
    missed = state(t, [report(D(2023, 8, 30), 60)], D(2023, 9, 1))
    assert (missed.status, missed.overdue) == (S.OVERDUE, True)
    late = state(t, [report(D(2023, 9, 28), 100)], D(2023, 10, 1))
    assert (late.status, late.completed_on) == (S.CONTINUING, D(2023, 9, 28))
    starts_later = task("2023年12月起开始实施")
    assert state(starts_later, [], D(2023, 11, 30)).status is S.NOT_STARTED
    assert state(starts_later, [], D(2023, 12, 1)).status is S.CONTINUING


def test_recurring_task_is_due_each_period() -> None:
    t = task("2023年7月起每季度")
    assert state(t, [], D(2023, 6, 30)).status is S.NOT_STARTED
    assert state(t, [], D(2023, 8, 1)).status is S.CONTINUING  # Q3 under way, nothing missed yet
    assert state(t, [report(D(2023, 8, 1), 50)], D(2023, 8, 2)).status is S.IN_PROGRESS
    done = [report(D(2023, 9, 15), 100)]
    assert state(t, done, D(2023, 9, 30)).status is S.COMPLETED
    assert state(t, done, D(2023, 10, 5)).status is S.CONTINUING  # Q3 was done, Q4 just began
    missed = state(t, done, D(2024, 1, 5))
    assert (missed.status, missed.overdue, missed.due) == (S.OVERDUE, True, D(2023, 12, 31))
    assert due_dates(t, D(2023, 1, 1), D(2023, 12, 31)) == [D(2023, 9, 30), D(2023, 12, 31)]


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
       st.sampled_from(["每月", "每季度", "每半年", "每年"]))
def test_periods_contain_their_day(day: dt.date, text: str) -> None:
    recurrence = parse_deadline(text).recurrence
    assert recurrence is not None
    first, last = period_of(recurrence, day)
    assert first <= day <= last
    assert (last.year - first.year) * 12 + last.month - first.month + 1 == recurrence.months
    assert (last + dt.timedelta(days=1)).day == 1 and first.day == 1


@given(st.lists(st.tuples(st.dates(min_value=D(2023, 1, 1), max_value=D(2024, 12, 31)),
                          st.sampled_from([0, 30, 60, 100])), max_size=6),
       st.dates(min_value=D(2023, 1, 1), max_value=D(2025, 12, 31)))
def test_overdue_means_deadline_passed_and_not_done(entries: list[tuple[dt.date, int]], day: dt.date) -> None:
    t = task("2023年12月底")
    reports = [report(d, p) for d, p in sorted(dict(entries).items())]
    current = state(t, reports, day)
    assert current.overdue == (day > D(2023, 12, 31) and completed_on(reports, day) is None)
    assert (current.status is S.OVERDUE) == current.overdue
