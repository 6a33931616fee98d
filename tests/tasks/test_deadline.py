"""完成时限 cells as the seeds write them, the errors for what cannot be read, and properties of the reader."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthplan.tasks.deadline import DeadlineError, Recurrence, Schedule, month_end, parse_deadline
from healthplan.tasks.names import split_names

D = dt.date


@pytest.mark.parametrize(("text", "expected"), [
    ("2023年8月底", Schedule(D(2023, 8, 31))),
    ("2023 年 8 月底", Schedule(D(2023, 8, 31))),
    ("2023年12月底", Schedule(D(2023, 12, 31))),
    ("2023年2月底", Schedule(D(2023, 2, 28))),
    ("2024年2月末", Schedule(D(2024, 2, 29))),
    ("2023年9月1日", Schedule(D(2023, 9, 1))),
    ("2023年7月底前", Schedule(D(2023, 7, 31))),
    ("2023年底", Schedule(D(2023, 12, 31))),
    ("2023年第三季度", Schedule(D(2023, 9, 30))),
    ("2023年上半年", Schedule(D(2023, 6, 30))),
    ("2023年6月中旬", Schedule(D(2023, 6, 20))),
    ("2023-08-31", Schedule(D(2023, 8, 31))),
    ("持续推进", Schedule(None, continuing=True)),
    ("2023年8月底完成制度建设，9月1日起持续推进执行",
     Schedule(D(2023, 8, 31), continuing=True, continuing_from=D(2023, 9, 1))),
    ("（2023年12月起开始实施）", Schedule(None, continuing=True, continuing_from=D(2023, 12, 1))),
    ("2023年8月底完成剥离，2023年10月底纳入管理", Schedule(D(2023, 10, 31), stages=(("完成剥离", D(2023, 8, 31)),))),
    ("每季度", Schedule(None, continuing=True, recurrence=Recurrence.QUARTERLY)),
    ("每年至少1次", Schedule(None, continuing=True, recurrence=Recurrence.YEARLY)),
    ("2023年9月起每月", Schedule(None, continuing=True, continuing_from=D(2023, 9, 1), recurrence=Recurrence.MONTHLY)),
])
def test_seed_deadlines(text: str, expected: Schedule) -> None:
    assert parse_deadline(text) == expected


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "不能为空"),
    ("8月底", "缺少年份"),
    ("八月底", "无法识别"),
    ("2023年13月底", "不存在"),
    ("2023年2月30日", "不存在"),
    ("下月", "无法识别"),
    ("2023年8月底，每季度", "既有截止日期又有周期"),
    ("每月，每年", "两种周期"),
    ("2023年8月底xyz", "无法识别"),
    ("9月1日起吃饭", "缺少年份"),
    ("2023年9月1日起开会讨论", "无法识别"),
])
def test_unreadable_deadlines_are_errors(text: str, fragment: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text)
    assert fragment in caught.value.zh
    assert caught.value.en  # bilingual


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)))
def test_every_written_date_reads_back(day: dt.date) -> None:
    assert parse_deadline(f"{day.year}年{day.month}月{day.day}日").deadline == day
    assert parse_deadline(day.isoformat()).deadline == day
    assert parse_deadline(f"{day.year}年{day.month}月底").deadline == month_end(day.year, day.month)
    assert parse_deadline(f"{day.year}年{day.month}月底完成，{day.month}月{day.day}日起持续推进").continuing_from == day


@given(st.text(max_size=30))
def test_any_text_is_read_or_refused(text: str) -> None:
    try:
        schedule = parse_deadline(text)
    except DeadlineError as exc:
        assert exc.zh and exc.en
        return
    assert schedule.deadline is not None or schedule.continuing


def test_names_split_on_separators_and_join_padded_names() -> None:
    assert split_names("区医改办、各相关成员单位") == ("区医改办", "各相关成员单位")
    assert split_names("李京丽 张云霞") == ("李京丽", "张云霞")
    assert split_names("陈 静") == ("陈静",)
    assert split_names("李华兵 秦　晓") == ("李华兵", "秦晓")
    assert split_names("市二院\n区中医院，市二院") == ("市二院", "区中医院")
    assert split_names("  ") == ()
