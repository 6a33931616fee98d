"""``healthplan tasks …``: import the task list, report progress, see statuses, write the bulletins."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from healthplan.clikit import Format, console, context_of, print_json, report
from healthplan.domain.periods import PeriodType
from healthplan.domain.problems import HealthplanError
from healthplan.store.database import Database
from healthplan.store.plans import get_plan
from healthplan.store.tasks import Milestone, get_task_list, link_target, save_milestone
from healthplan.tabular.cells import parse_date
from healthplan.tasks import bulletin as bulletins
from healthplan.tasks import export
from healthplan.tasks.bulletin_docx import write_docx
from healthplan.tasks.bulletin_xlsx import write_xlsx
from healthplan.tasks.files import import_tasks
from healthplan.tasks.ledger import load_ledger, resolve_plan, status_json, statuses
from healthplan.tasks.names import join_names
from healthplan.tasks.progress import add_reports, import_progress
from healthplan.tasks.progress import report as progress_report
from healthplan.tasks.status import TaskStatus

app = typer.Typer(help="重点工作任务台账与督办 / key-task ledger and supervision", no_args_is_help=True)

PlanOption = Annotated[str | None, typer.Option("--plan", help="规划代码（默认：唯一有任务清单的规划）/ plan code")]
DateOption = Annotated[str | None, typer.Option("--date", help="日期，如 2023-12-31（默认今天）/ date")]
OutOption = Annotated[Path | None, typer.Option("--out", help="输出文件 / output file")]


class DocumentFormat(StrEnum):
    DOCX = "docx"
    XLSX = "xlsx"
    JSON = "json"


def _date(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    day = parse_date(text)
    if day is None:
        raise HealthplanError(f"“{text}”不是日期（应为 2023-12-31）", f"{text!r} is not a date (use 2023-12-31)")
    return day


def _plan(database: Database, given: str | None) -> str:
    with database.sessions() as session:
        return resolve_plan(session, given)


@app.command("import")
def import_file(ctx: typer.Context, file: Path, plan: PlanOption = None,
                sheet: Annotated[str | None, typer.Option(help="Excel 工作表名 / sheet name")] = None) -> None:
    """导入任务清单（Excel/CSV，全部校验通过才写入）/ import a task list, all or nothing."""
    c = context_of(ctx)
    database = c.ready()
    code = _plan(database, plan)
    report(import_tasks(file, database, c.user, code, sheet), f"任务清单 {file.name} → {code}")


@app.command("export")
def export_file(ctx: typer.Context, out: Annotated[Path, typer.Option("--out", help="输出 .xlsx 或 .csv")],
                plan: PlanOption = None) -> None:
    """导出任务清单（与导入格式相同）/ export the task list in the layout it is imported from."""
    database = context_of(ctx).ready()
    code = _plan(database, plan)
    with database.sessions() as session:
        task_list = get_task_list(session, code)
    export.write(task_list, out)
    console.print(f"已写出 / written: {out}")


@app.command()
def status(ctx: typer.Context, date: DateOption = None, plan: PlanOption = None,
           unit: Annotated[str | None, typer.Option("--unit", help="只看某责任单位 / one unit only")] = None,
           format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """任务状态（未启动/进行中/已完成/逾期/持续推进）/ the status of every task on a date."""
    database = context_of(ctx).ready()
    ledger = load_ledger(database, _plan(database, plan))
    as_of = _date(date)
    states = statuses(ledger, as_of, unit)
    if format is Format.JSON:
        print_json(status_json(as_of, states))
        return
    table = Table(title=f"{ledger.plan.name} 任务状态（{as_of.isoformat()}）")
    for column in ("序号", "阶段目标任务", "责任单位", "责任人", "完成时限", "状态"):
        table.add_column(column, overflow="fold")
    for task, current in states:
        text = task.stage_goal or task.title
        label = current.status.label + (f"（{current.days_overdue(as_of)}天）" if current.overdue else "")
        style = "red" if current.overdue else "green" if current.status is TaskStatus.COMPLETED else "default"
        table.add_row(task.code, text[:30] + ("…" if len(text) > 30 else ""), join_names(task.units),
                      join_names(task.persons), task.deadline_text, f"[{style}]{label}[/]")
    console.print(table)


@app.command("report")
def report_progress(ctx: typer.Context, task: str,
                    percent: Annotated[float, typer.Option("--percent", help="进度 0–100 / percent done")],
                    text: Annotated[str, typer.Option("--text", help="进展情况 / what was done")] = "",
                    evidence: Annotated[str, typer.Option("--evidence", help="佐证材料 / evidence file")] = "",
                    date: DateOption = None, plan: PlanOption = None) -> None:
    """报送任务进展（100% 表示完成）/ report progress on a task (100 means done)."""
    c = context_of(ctx)
    database = c.ready()
    code = _plan(database, plan)
    item = progress_report(task, _date(date), percent, text, evidence, c.user)
    report(add_reports(database, code, [item], c.user), f"第{task}项进展")


@app.command("import-progress")
def import_progress_file(ctx: typer.Context, file: Path, plan: PlanOption = None) -> None:
    """导入进展报告表（序号,报告日期,进度,进展情况,佐证材料）/ import a sheet of progress reports."""
    c = context_of(ctx)
    database = c.ready()
    report(import_progress(file, database, c.user, _plan(database, plan)), f"进展报告 {file.name}")


@app.command()
def milestone(ctx: typer.Context, task: str, title: Annotated[str, typer.Option("--title", help="节点名称")],
              due: Annotated[str, typer.Option("--due", help="节点时间 / due date")],
              done: Annotated[str | None, typer.Option("--done", help="完成日期 / done on")] = None,
              plan: PlanOption = None) -> None:
    """添加或更新任务的阶段节点 / add or update a milestone of a task."""
    c = context_of(ctx)
    database = c.ready()
    code = _plan(database, plan)
    if not 0 < len(title.strip()) <= 200:
        raise HealthplanError("节点名称应为 1–200 字", "the milestone title must have 1–200 characters")
    item = Milestone(task, title.strip(), _date(due), _date(done) if done else None)
    with database.transaction() as session:
        report(save_milestone(session, code, item, c.user), f"第{task}项节点“{item.title}”")


@app.command()
def link(ctx: typer.Context, task: str,
         target: Annotated[int, typer.Option("--target", help="规划目标序号 / the plan target's number")],
         plan: PlanOption = None) -> None:
    """把任务关联到所属规划的一项目标 / tie a task to a target of its plan."""
    c = context_of(ctx)
    database = c.ready()
    code = _plan(database, plan)
    with database.transaction() as session:
        if target not in {t.seq for t in get_plan(session, code).targets}:
            raise HealthplanError(f"规划“{code}”没有序号为 {target} 的目标", f"plan {code!r} has no target #{target}")
        report(link_target(session, code, task, target, c.user), f"第{task}项 → 目标 {target}")


def _document(ctx: typer.Context, period_code: str, kind: PeriodType, format: DocumentFormat, out: Path | None,
              plan: str | None) -> None:
    database = context_of(ctx).ready()
    ledger = load_ledger(database, _plan(database, plan))
    result = bulletins.build(ledger, bulletins.parse_period(period_code, kind))
    if format is DocumentFormat.JSON and out is None:
        print_json(result.to_json())
        return
    path = out or Path(f"{ledger.plan.code}-{result.kind}-{result.period.code}.{format.value}")
    if format is DocumentFormat.JSON:
        import json

        path.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        (write_docx if format is DocumentFormat.DOCX else write_xlsx)(result, path)
    print(f"已写出 / written: {path}", file=sys.stderr)


FormatOption = Annotated[DocumentFormat, typer.Option("--format")]


@app.command()
def bulletin(ctx: typer.Context, quarter: Annotated[str, typer.Option("--quarter", help="季度，如 2023Q4")],
             format: FormatOption = DocumentFormat.DOCX, out: OutOption = None, plan: PlanOption = None) -> None:
    """季通报：各责任单位到期、按时完成、逾期任务 / the quarterly bulletin per responsible unit."""
    _document(ctx, quarter, PeriodType.QUARTER, format, out, plan)


@app.command()
def monitor(ctx: typer.Context, month: Annotated[str, typer.Option("--month", help="月份，如 202312")],
            format: FormatOption = DocumentFormat.DOCX, out: OutOption = None, plan: PlanOption = None) -> None:
    """月监控清单：每项任务的状态和最新进展 / the monthly monitoring list."""
    _document(ctx, month, PeriodType.MONTH, format, out, plan)


@app.command()
def yearly(ctx: typer.Context, year: Annotated[str, typer.Option("--year", help="年度，如 2023")],
           format: FormatOption = DocumentFormat.DOCX, out: OutOption = None, plan: PlanOption = None) -> None:
    """年考核表：各责任单位按时完成率、完成率 / the yearly assessment table."""
    _document(ctx, year, PeriodType.YEAR, format, out, plan)
