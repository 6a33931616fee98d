"""Progress reports (进展报告): one by command, or a sheet of them as units send them in each month.

Sheet columns: 序号 (the task), 报告日期, 进度(%), 进展情况, 佐证材料 — validated as a whole against the ledger
(unknown task, date, percent outside 0–100) and written all or nothing; one report per task and date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path, PurePath

from healthplan.domain.problems import HealthplanError, Problem, ValidationFailed
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.store.tasks import ProgressReport, get_task_list, save_progress
from healthplan.tabular.cells import CellReader
from healthplan.tabular.tables import read_table

EVIDENCE_NAME_LIMIT = 300
COLUMNS = {"task": ["序号", "任务序号", "任务"], "date": ["报告日期", "日期"], "percent": ["进度", "进度(%)", "完成进度"],
           "text": ["进展情况", "进展", "说明"], "evidence": ["佐证材料", "佐证", "附件"]}


def report(task_code: str, date: dt.date, percent: float, text: str = "", evidence: str = "",
           user: str = "") -> ProgressReport:
    """A checked report; the evidence is kept as written (a file path, a document number or a link)."""
    if not 0 <= percent <= 100:
        raise HealthplanError(f"进度应在 0–100 之间，得到 {percent:g}", f"percent must be within 0–100, got {percent:g}")
    name = PurePath(evidence).name if evidence else ""
    if len(name) > EVIDENCE_NAME_LIMIT:
        raise HealthplanError(f"佐证材料名称超过 {EVIDENCE_NAME_LIMIT} 字", f"the evidence name is longer than "
                              f"{EVIDENCE_NAME_LIMIT} characters")
    return ProgressReport(task_code, date, percent, text.strip(), evidence, name, user)


def add_reports(database: Database, plan_code: str, reports: Sequence[ProgressReport], user: str) -> Changes:
    with database.transaction() as session:
        return save_progress(session, plan_code, reports, user)


def import_progress(path: Path, database: Database, user: str, plan_code: str) -> Changes:
    """Validate every row of the sheet, then store the reports in one transaction."""
    table = read_table(path, COLUMNS, ["task", "date", "percent"])
    cells = CellReader(table)
    with database.sessions() as session:
        known = {t.code for t in get_task_list(session, plan_code).tasks}
    reports: list[ProgressReport] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for row in table:
        code = cells.required(row, "task")
        date = cells.date(row, "date", required=True)
        percent = cells.number(row, "percent", required=True)
        if code is not None and code not in known:
            cells.fail(row, "task", f"任务清单中没有序号为“{code}”的任务", f"the task list has no task {code!r}")
            continue
        if percent is not None and not 0 <= percent <= 100:
            cells.fail(row, "percent", f"进度应在 0–100 之间，得到 {percent:g}", f"percent must be within 0–100, got {percent:g}")
            continue
        if code is None or date is None or percent is None:
            continue
        if (code, date) in seen:
            cells.fail(row, "date", f"第{code}项在 {date} 已有第 {seen[code, date]} 行的报告",
                       f"task {code} already has a report on {date} (row {seen[code, date]})")
            continue
        seen[code, date] = row.number
        try:
            reports.append(report(code, date, percent, row.get("text"), row.get("evidence"), user))
        except HealthplanError as exc:
            cells.fail(row, "evidence", exc.zh, exc.en)
    if cells.problems:
        raise ValidationFailed(cells.problems)
    if not reports:
        raise ValidationFailed([Problem("文件中没有进展报告", "the file holds no reports", path.name, 2)])
    return add_reports(database, plan_code, reports, user)
