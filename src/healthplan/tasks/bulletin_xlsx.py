"""The supervision documents as .xlsx: the per-unit table, every task's status, the overdue tasks, the milestones."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from healthplan.govdoc import ooxml
from healthplan.tasks.bulletin import Bulletin, TaskLine
from healthplan.tasks.names import group_label, join_names

UNIT_COLUMNS = ("责任单位", "任务数", "本期到期", "按时完成", "逾期完成", "逾期未完成", "持续推进", "已完成", "按时完成率(%)",
                "完成率(%)", "逾期未完成任务")
TASK_COLUMNS = ("序号", "分组", "重点工作任务", "阶段目标", "责任领导", "责任单位", "责任人", "完成时限", "截止日期", "状态",
                "逾期", "逾期天数", "进度(%)", "完成日期", "最新进展日期", "最新进展", "本期到期")
MILESTONE_COLUMNS = ("任务序号", "节点", "节点时间", "完成日期", "逾期")


def write_xlsx(bulletin: Bulletin, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    units = book.active
    units.title = "责任单位汇总"
    _sheet(units, bulletin, "各责任单位推进情况", UNIT_COLUMNS, [
        [u.unit, len(u.tasks), len(u.due), len(u.on_time), len(u.late), len(u.overdue), len(u.continuing),
         len(u.completed), _rate(u.on_time_rate), _rate(u.completion_rate), "、".join(u.overdue)]
        for u in bulletin.units])
    task_rows = [_task_row(line) for line in bulletin.lines]
    _sheet(book.create_sheet("任务清单"), bulletin, "任务清单", TASK_COLUMNS, task_rows)
    overdue = [row for row, line in zip(task_rows, bulletin.lines, strict=True) if line.overdue]
    _sheet(book.create_sheet("逾期任务"), bulletin, "逾期未完成任务", TASK_COLUMNS, overdue)
    _sheet(book.create_sheet("阶段节点"), bulletin, "阶段节点", MILESTONE_COLUMNS, [
        [m.task_code, m.title, m.due, m.done_on, "是" if m.overdue else "否"] for m in bulletin.milestones])
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ooxml.pin(buffer.getvalue()))


def _task_row(line: TaskLine) -> list[object]:
    t = line.task
    return [t.code, group_label(t), t.title, t.stage_goal, join_names(t.leaders), join_names(t.units),
            join_names(t.persons), t.deadline_text, line.due, line.status.label, "是" if line.overdue else "否",
            line.days_overdue, line.percent, line.completed_on, line.latest_on, line.latest_text,
            "是" if line.due_in_period else "否"]


def _rate(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _sheet(sheet: Any, bulletin: Bulletin, caption: str, columns: Sequence[str],
           rows: Sequence[Sequence[object]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append([f"{bulletin.title}（{bulletin.period_label}）— {caption}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"统计截至 {bulletin.as_of.isoformat()}"])
    sheet.append(list(columns))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    top = Alignment(vertical="top", wrap_text=True)
    for number, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(number, column, value)
            cell.alignment = top
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    for index, name in enumerate(columns, start=1):
        wide = name in ("阶段目标", "最新进展", "逾期未完成任务")
        sheet.column_dimensions[get_column_letter(index)].width = 50 if wide else max(10, len(name) * 2 + 2)
    sheet.freeze_panes = "A4"
