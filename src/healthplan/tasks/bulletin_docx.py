"""The supervision documents as .docx: 季通报 and 年考核 per responsible unit, 月监控 as the full task list.

Every number in the text is counted from the :class:`~healthplan.tasks.bulletin.Bulletin` it is given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from healthplan.govdoc.document import GovDocument
from healthplan.tasks.bulletin import Bulletin, TaskLine, UnitSummary
from healthplan.tasks.names import join_names
from healthplan.tasks.status import TaskStatus

REQUIREMENTS = ("请逾期未完成任务的责任单位分析原因，明确整改措施和完成时限，按月报送进展情况；持续推进类任务要按序时进度"
                "推进，定期报送工作成效和佐证材料。")
UNIT_COLUMNS = ("责任单位", "任务数", "本期到期", "按时完成", "逾期完成", "逾期未完成", "持续推进", "按时完成率")
UNIT_SHARES = (40, 14, 16, 16, 16, 18, 16, 20)
LIST_COLUMNS = ("序号", "重点工作任务", "责任单位", "责任人", "完成时限", "状态", "进度", "最新进展")
LIST_SHARES = (8, 80, 26, 20, 26, 16, 12, 60)
LIST_TEXT_COLUMNS = (1, 7)  # the task and its latest progress read as text, the rest are centred


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def write_docx(bulletin: Bulletin, path: Path) -> None:
    writer = {"quarter": _quarterly, "year": _yearly, "month": _monthly}[bulletin.kind]
    writer(bulletin).save(path)


def _overview(bulletin: Bulletin) -> str:
    counts = bulletin.counts()
    due = {c for u in bulletin.units for c in u.due}
    on_time = {c for u in bulletin.units for c in u.on_time}
    late = {c for u in bulletin.units for c in u.late}
    return (f"截至{chinese_date(bulletin.as_of)}，{bulletin.plan_name}共列重点工作任务{len(bulletin.lines)}项。其中，"
            f"已完成{counts[TaskStatus.COMPLETED]}项，持续推进{counts[TaskStatus.CONTINUING]}项，"
            f"进行中{counts[TaskStatus.IN_PROGRESS]}项，未启动{counts[TaskStatus.NOT_STARTED]}项，"
            f"逾期未完成{counts[TaskStatus.OVERDUE]}项。{bulletin.period_label}到期任务{len(due)}项，"
            f"按时完成{len(on_time)}项，逾期完成{len(late)}项。")


def _unit_rows(units: tuple[UnitSummary, ...]) -> list[list[str]]:
    return [[u.unit, str(len(u.tasks)), str(len(u.due)), str(len(u.on_time)), str(len(u.late)),
             str(len(u.overdue)), str(len(u.continuing)), percent(u.on_time_rate)] for u in units]


def _task_text(line: TaskLine) -> str:
    t = line.task
    return f"第{t.code}项：{t.stage_goal or t.title}"


def _details(line: TaskLine) -> str:
    t = line.task
    parts = [f"完成时限：{t.deadline_text}"]
    if line.days_overdue is not None:
        parts.append(f"已逾期{line.days_overdue}天")
    parts += [f"责任领导：{join_names(t.leaders) or '—'}", f"责任单位：{join_names(t.units)}",
              f"责任人：{join_names(t.persons) or '—'}"]
    if line.latest_on is not None:
        parts.append(f"最新进展（{chinese_date(line.latest_on)}，{line.percent:g}%）：{line.latest_text.rstrip('。') or '—'}")
    else:
        parts.append("尚未报送进展")
    return "；".join(parts) + "。"


def _overdue_by_unit(doc: GovDocument, bulletin: Bulletin) -> None:
    units = [u for u in bulletin.units if u.overdue]
    if not units:
        doc.paragraph("本期无逾期未完成任务。")
        return
    for unit in units:
        doc.heading(2, f"{unit.unit}（{len(unit.overdue)}项）")
        for code in unit.overdue:
            line = bulletin.line(code)
            doc.heading(3, _task_text(line))
            doc.paragraph(_details(line))


def _quarterly(bulletin: Bulletin) -> GovDocument:
    doc = GovDocument(bulletin.title, bulletin.plan_name)
    doc.heading(1, "总体情况")
    doc.paragraph(_overview(bulletin))
    doc.heading(1, "各责任单位推进情况")
    doc.table(UNIT_COLUMNS, _unit_rows(bulletin.units), UNIT_SHARES)
    doc.heading(1, "逾期未完成任务")
    _overdue_by_unit(doc, bulletin)
    doc.heading(1, "本期按时完成任务")
    done = [bulletin.line(c) for c in dict.fromkeys(c for u in bulletin.units for c in u.on_time)]
    if not done:
        doc.paragraph("本期无按时完成的到期任务。")
    for line in done:
        when = chinese_date(line.completed_on) if line.completed_on else ""
        doc.paragraph(f"{_task_text(line)}（{join_names(line.task.units)}；{join_names(line.task.persons) or '—'}；"
                      f"{when}完成）")
    doc.heading(1, "下期到期任务")
    if not bulletin.upcoming:
        doc.paragraph("下一期无到期任务。")
    for line in bulletin.upcoming:
        doc.paragraph(f"{_task_text(line)}（完成时限：{line.task.deadline_text}；{join_names(line.task.units)}；"
                      f"{join_names(line.task.persons) or '—'}）")
    doc.heading(1, "工作要求")
    doc.paragraph(REQUIREMENTS)
    return doc


def _yearly(bulletin: Bulletin) -> GovDocument:
    doc = GovDocument(bulletin.title, bulletin.plan_name)
    doc.heading(1, "考核情况")
    doc.paragraph(_overview(bulletin))
    doc.heading(1, "各责任单位考核结果")
    rows = [[*row, percent(u.completion_rate)] for row, u in zip(_unit_rows(bulletin.units), bulletin.units,
                                                                 strict=True)]
    doc.table((*UNIT_COLUMNS, "完成率"), rows, (*UNIT_SHARES[:-1], 18, 18))
    doc.paragraph("注：按时完成率 = 按时完成任务数 ÷ 本年度到期任务数；完成率 = （按时完成 + 逾期完成）÷ 本年度到期任务数。"
                  "任务涉及多个责任单位的，分别计入各单位。")
    doc.heading(1, "逾期未完成任务")
    _overdue_by_unit(doc, bulletin)
    return doc


def _monthly(bulletin: Bulletin) -> GovDocument:
    doc = GovDocument(bulletin.title, bulletin.plan_name, landscape=True)
    doc.heading(1, "监控概况")
    doc.paragraph(_overview(bulletin))
    doc.heading(1, "任务监控清单")
    rows = []
    for line in bulletin.lines:
        t = line.task
        status = line.status.label + (f"（{line.days_overdue}天）" if line.days_overdue is not None else "")
        progress = "—" if line.percent is None else f"{line.percent:g}%"
        latest = f"{line.latest_on.isoformat()} {line.latest_text}" if line.latest_on else "—"
        rows.append([t.code, t.stage_goal or t.title, join_names(t.units), join_names(t.persons) or "—",
                     t.deadline_text, status, progress, latest])
    doc.table(LIST_COLUMNS, rows, LIST_SHARES, text_columns=LIST_TEXT_COLUMNS)
    doc.heading(1, "逾期任务和阶段节点")
    if not bulletin.overdue and not bulletin.milestones:
        doc.paragraph("本月无逾期任务和到期节点。")
    for line in bulletin.overdue:
        doc.paragraph(f"{_task_text(line)}。{_details(line)}")
    for m in bulletin.milestones:
        state = f"{chinese_date(m.done_on)}完成" if m.done_on else "已逾期" if m.overdue else "未完成"
        doc.paragraph(f"第{m.task_code}项节点“{m.title}”：节点时间{chinese_date(m.due)}，{state}。")
    return doc
