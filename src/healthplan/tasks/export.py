"""Write a task list back in the layout it is imported from (round trip: import → export gives the same file).

Excel: the list's title merged across the top, the header, each group as a heading row merged across the table,
and a 重点工作任务 shared by consecutive tasks merged down over them, as the printed lists do. CSV: the same rows,
with the shared 重点工作任务 repeated on every row. Both are byte-for-byte reproducible (fixed timestamps).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from healthplan.domain.problems import HealthplanError
from healthplan.govdoc import ooxml
from healthplan.store.tasks import Task, TaskList
from healthplan.tasks.names import group_label, join_names

STAGE_HEADER = "阶段目标"
WIDTHS = (6, 18, 60, 10, 18, 14, 22, 16)


def header(task_list: TaskList) -> list[str]:
    return ["序号", "重点工作任务", task_list.stage_header or STAGE_HEADER, "责任领导", "责任单位", "责任人",
            "完成时限", "备注"]


def _row(task: Task) -> list[str]:
    return [task.code, task.title, task.stage_goal, join_names(task.leaders), join_names(task.units),
            join_names(task.persons), task.deadline_text, task.note]


def _lines(task_list: TaskList) -> Iterator[tuple[str, list[str] | Task]]:
    """("title" | "header" | "group", cells) and ("task", task) in file order."""
    if task_list.title:
        yield "title", [task_list.title]
    yield "header", header(task_list)
    group: tuple[str, str] | None = None
    for task in task_list.tasks:
        if task.group_code and (task.group_code, task.group_name) != group:
            yield "group", [group_label(task)]
        group = (task.group_code, task.group_name)
        yield "task", task


def write_csv(task_list: TaskList, path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    width = len(header(task_list))
    for kind, item in _lines(task_list):
        cells = _row(item) if isinstance(item, Task) else item
        writer.writerow(cells + [""] * (width - len(cells)) if kind in ("title", "group") else cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))


def write_xlsx(task_list: TaskList, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "重点工作任务清单"
    width = len(header(task_list))
    last = get_column_letter(width)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    run: tuple[str, int] | None = None  # (title, first row) of the 重点工作任务 being merged down

    def close_run(end: int) -> None:
        if run is not None and end > run[1]:
            sheet.merge_cells(f"B{run[1]}:B{end}")

    for number, (kind, item) in enumerate(_lines(task_list), start=1):
        if isinstance(item, Task):
            cells = _row(item)
            if run is not None and run[0] == item.title:
                cells[1] = ""
            else:
                close_run(number - 1)
                run = (item.title, number)
            for column, text in enumerate(cells, start=1):
                cell = sheet.cell(number, column, text or None)
                cell.border, cell.alignment = box, centre if column in (1, 4, 6) else wrap
            continue
        close_run(number - 1)
        run = None
        assert isinstance(item, list)
        for column, text in enumerate(item, start=1):
            cell = sheet.cell(number, column, text)
            cell.border = box
        if kind == "header":
            for column in range(1, width + 1):
                sheet.cell(number, column).font = Font(bold=True)
                sheet.cell(number, column).alignment = centre
            continue
        sheet.merge_cells(f"A{number}:{last}{number}")
        sheet.cell(number, 1).font = Font(bold=True, size=14 if kind == "title" else 11)
        sheet.cell(number, 1).alignment = centre if kind == "title" else wrap
    close_run(sheet.max_row)
    for column, size in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ooxml.pin(buffer.getvalue()))


def write(task_list: TaskList, path: Path) -> None:
    writers = {".csv": write_csv, ".xlsx": write_xlsx}
    suffix = path.suffix.lower()
    if suffix not in writers:
        raise HealthplanError(f"不支持的任务清单格式“{suffix}”（可用 .xlsx .csv）",
                              f"unsupported task-list format {suffix!r} (use .xlsx or .csv)")
    writers[suffix](task_list, path)
