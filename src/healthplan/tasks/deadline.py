"""Read a 完成时限 cell as written in Chinese task lists into a schedule.

A cell is a list of clauses separated by ，；; each clause is one of
- a date and an optional step: ``2023年8月底``, ``2023年9月1日``, ``2023年底前``, ``2023年第三季度``, ``2023年上半年``,
  ``2023-08-31``, ``2023年8月底完成制度建设`` (a dated step named 完成制度建设);
- a start: ``9月1日起持续推进执行``, ``2023年12月起开始实施`` (a continuing phase from that day);
- continuing work: ``持续推进``, ``长期坚持``, ``常态化推进``;
- a recurrence: ``每月``, ``每季度``, ``每半年``, ``每年`` (optionally followed by words such as ``至少1次``).
A date without a year takes the year written earlier in the same cell. The latest dated clause is the
deadline; earlier dated clauses become milestones. Anything else is an error, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from healthplan.domain.labels import LabelledEnum, labelled


@labelled({"monthly": "每月", "quarterly": "每季度", "half_yearly": "每半年", "yearly": "每年"})
class Recurrence(LabelledEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[self.value]


class DeadlineError(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class Schedule:
    deadline: dt.date | None = None
    continuing: bool = False
    continuing_from: dt.date | None = None
    recurrence: Recurrence | None = None
    stages: tuple[tuple[str, dt.date], ...] = ()  # (step, due) of the dated clauses before the deadline


_SEPARATORS = re.compile(r"[，,；;、\n]+")
_CONTINUING = re.compile(r"^(持续推进|持续开展|持续|长期坚持|长期推进|长期|常态化推进|常态化)(执行|实施|开展)?$")
_RECURRENCE = re.compile(r"^每(月|季度|季|半年|年)(.*)$")
_RECURRENCES = {"月": Recurrence.MONTHLY, "季度": Recurrence.QUARTERLY, "季": Recurrence.QUARTERLY,
                "半年": Recurrence.HALF_YEARLY, "年": Recurrence.YEARLY}
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Y = r"(?:(?P<year>\d{4})\s*年\s*)"
# Each pattern reads a date at the start of a clause; the rest of the clause is what follows it.
_ISO = re.compile(r"^(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d{1,2})\s*[-/.]\s*(?P<day>\d{1,2})")
_DAY = re.compile(rf"^{_Y}?(?P<month>\d{{1,2}})\s*月\s*(?P<day>\d{{1,2}})\s*[日号]")
_MONTH = re.compile(rf"^{_Y}?(?P<month>\d{{1,2}})\s*月(?:份)?(?P<part>底|末|上旬|中旬|下旬)?")
_QUARTER = re.compile(rf"^{_Y}第?(?P<quarter>[一二三四1-4])\s*季度(?:末|底)?")
_HALF = re.compile(rf"^{_Y}(?P<half>上|下)半年(?:末|底)?")
_YEAR_END = re.compile(rf"^{_Y}(?:底|末|年底|年末)?")
_BY = re.compile(r"^(?:之前|以前|前)")
_FROM = re.compile(r"^(?:起|开始|以后)")
_PHASE = re.compile(r"^(?:开始|全面)?(?:实施|执行|推进|开展|运行)?$")
_LEAD = re.compile(r"^(?:于|在|截至|截止|到|至)")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def parse_deadline(text: str) -> Schedule:
    """The schedule a 完成时限 cell states; :class:`DeadlineError` (bilingual) when any clause is not readable."""
    cleaned = text.strip().strip("（）()。")
    if not cleaned:
        raise DeadlineError("完成时限不能为空", "the deadline is empty")
    dated: list[tuple[str, dt.date]] = []
    continuing = False
    start: dt.date | None = None
    recurrence: Recurrence | None = None
    year: int | None = None
    for raw in _SEPARATORS.split(cleaned):
        clause = _LEAD.sub("", raw.strip().strip("（）()。"), count=1).strip()
        if not clause:
            continue
        if _CONTINUING.match(clause):
            continuing = True
            continue
        repeat = _RECURRENCE.match(clause)
        if repeat:
            recurrence = _once(recurrence, _RECURRENCES[repeat.group(1)], text)
            continue
        found = _read_date(clause, year, text)
        if found is None:
            raise DeadlineError(f"无法识别的完成时限“{text}”（“{clause}”）",
                                f"cannot read the deadline {text!r} (at {clause!r})")
        year, first, last, rest = found
        rest = _BY.sub("", rest, count=1).strip()
        if _FROM.match(rest):
            start, continuing = first, True
            rest = _FROM.sub("", rest, count=1).strip()
            repeat = _RECURRENCE.match(rest)
            if repeat:
                recurrence = _once(recurrence, _RECURRENCES[repeat.group(1)], text)
            elif not (_CONTINUING.match(rest) or _PHASE.match(rest)):
                raise DeadlineError(f"无法识别的完成时限“{text}”（“{clause}”）",
                                    f"cannot read the deadline {text!r} (at {clause!r})")
            continue
        if rest and not _CJK.search(rest):
            raise DeadlineError(f"无法识别的完成时限“{text}”（“{clause}”）",
                                f"cannot read the deadline {text!r} (at {clause!r})")
        dated.append((rest, last))
    if not (dated or continuing or recurrence):
        raise DeadlineError(f"无法识别的完成时限“{text}”", f"cannot read the deadline {text!r}")
    if dated and recurrence is not None:
        raise DeadlineError(f"完成时限“{text}”既有截止日期又有周期，请拆分为两项任务",
                            f"the deadline {text!r} has both a date and a recurrence; split the task")
    dated.sort(key=lambda item: item[1])
    stages = tuple((step or f"阶段节点{i}", due) for i, (step, due) in enumerate(dated[:-1], start=1))
    if len({s for s, _ in stages}) < len(stages):
        raise DeadlineError(f"完成时限“{text}”中的阶段名称重复", f"the deadline {text!r} names a step twice")
    return Schedule(dated[-1][1] if dated else None, continuing or recurrence is not None, start, recurrence,
                    stages)


def _once(current: Recurrence | None, new: Recurrence, text: str) -> Recurrence:
    if current is not None and current is not new:
        raise DeadlineError(f"完成时限“{text}”有两种周期", f"the deadline {text!r} gives two recurrences")
    return new


def _read_date(clause: str, year: int | None, text: str) -> tuple[int, dt.date, dt.date, str] | None:
    """(year, first day, last day, rest of the clause) of the date the clause starts with."""
    for pattern in (_ISO, _DAY, _QUARTER, _HALF, _MONTH, _YEAR_END):
        match = pattern.match(clause)
        if match is None or not match.group(0):
            continue
        fields = match.groupdict()
        if fields.get("year") is None and pattern is _YEAR_END:
            continue
        written = int(fields["year"]) if fields.get("year") else year
        if written is None:
            raise DeadlineError(f"完成时限“{text}”中的“{clause}”缺少年份", f"{clause!r} in {text!r} has no year")
        try:
            first, last = _span(pattern, fields, written)
        except ValueError:
            raise DeadlineError(f"完成时限“{text}”中的日期“{match.group(0)}”不存在",
                                f"the date {match.group(0)!r} in {text!r} does not exist") from None
        return written, first, last, clause[match.end():].strip()
    return None


def _span(pattern: re.Pattern[str], fields: dict[str, str | None], year: int) -> tuple[dt.date, dt.date]:
    if not 1900 <= year <= 2200:
        raise ValueError(year)
    if pattern is _ISO or pattern is _DAY:
        day = dt.date(year, int(fields["month"] or 0), int(fields["day"] or 0))
        return day, day
    if pattern is _QUARTER:
        quarter = _QUARTERS[fields["quarter"] or ""]
        return dt.date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)
    if pattern is _HALF:
        return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if fields["half"] == "上" else \
            (dt.date(year, 7, 1), dt.date(year, 12, 31))
    if pattern is _MONTH:
        month = int(fields["month"] or 0)
        first = dt.date(year, month, 1)
        part = fields.get("part")
        last = dt.date(year, month, {"上旬": 10, "中旬": 20}[part]) if part in ("上旬", "中旬") \
            else month_end(year, month)
        return first, last
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
