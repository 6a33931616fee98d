"""``healthplan`` — the command line (Typer + Rich). Result commands take ``--format json`` (docs/cli-json.md)."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from healthplan.access.cli import app as access_app
from healthplan.access.cli import locate_app
from healthplan.allocation.cli import allocate_command
from healthplan.assess.cli import app as assess_app
from healthplan.clikit import (
    Context,
    DatabaseOption,
    FileFormat,
    Format,
    console,
    context_of,
    errors,
    print_json,
    progress_bar,
    report,
)
from healthplan.domain.plans import Nature, Status
from healthplan.domain.problems import HealthplanError, ValidationFailed
from healthplan.engine.analytics import Analytics
from healthplan.engine.catalog import Catalog
from healthplan.interop.cli import register as register_interop
from healthplan.reports.cli import app as reports_app
from healthplan.store.database import Database
from healthplan.store.plans import get_plan, list_plans, user_indicators
from healthplan.surveillance.cli import app as surveillance_app
from healthplan.tasks.cli import app as tasks_app
from healthplan.utilization.cli import app as utilization_app
from healthplan.utilization.cli import synth_app
from healthplan.web.cli import app as users_app
from healthplan.web.cli import serve as web_serve

app = typer.Typer(name="healthplan", help="区域卫生规划监测评估平台 healthplan — 规划、监测与评估。",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
import_app = typer.Typer(help="导入数据（全部校验通过才写入）/ import files, all or nothing", no_args_is_help=True)
export_app = typer.Typer(help="导出数据与结果 / export values and results", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")


@app.callback()
def main_options(ctx: typer.Context, database: DatabaseOption = None,
                 user: Annotated[str | None, typer.Option(help="写入审计日志的用户名 / user for the audit log",
                                                          envvar="HEALTHPLAN_USER")] = None) -> None:
    ctx.obj = Context(database, user or getpass.getuser())


# ---- capability command groups (each package's own Typer app; one import + one add_typer line each) ----
app.add_typer(surveillance_app, name="detect")
register_interop(import_app, export_app, app)
app.add_typer(reports_app, name="report")
app.add_typer(tasks_app, name="tasks")
app.add_typer(assess_app, name="assess")
app.add_typer(users_app, name="users")
app.add_typer(utilization_app, name="utilization")
app.add_typer(synth_app, name="synth")
app.command("serve")(web_serve)
app.add_typer(access_app, name="access")
app.add_typer(locate_app, name="locate")
app.command("allocate")(allocate_command)

# ---- commands ----------------------------------------------------------------------------------------

@app.command()
def init(ctx: typer.Context) -> None:
    """创建或升级数据库 / create or upgrade the database."""
    from healthplan.store.setup import initialise

    database = context_of(ctx).database
    changes = initialise(database)
    console.print(f"数据库已就绪 / database ready: {database.display_url}")
    report(changes, "数据元 / data elements")


@import_app.command("orgunits")
def import_orgunits(ctx: typer.Context, file: Path,
                    gcj02: Annotated[bool, typer.Option(help="坐标为 GCJ-02，转换为 WGS84")] = False) -> None:
    """导入组织机构（区划）/ import org units: code,name,level,parent_code[,lat,lon,urban_rural]."""
    from healthplan.interop.registry_import import import_org_units

    c = context_of(ctx)
    report(import_org_units(file, c.ready(), c.user, gcj02), f"组织机构 {file.name}")


@import_app.command("facilities")
def import_facilities(ctx: typer.Context, file: Path,
                      gcj02: Annotated[bool, typer.Option(help="坐标为 GCJ-02，转换为 WGS84")] = False) -> None:
    """导入机构（含历史版本）/ import facilities with their effective-dated versions."""
    from healthplan.interop.registry_import import import_facilities as run

    c = context_of(ctx)
    report(run(file, c.ready(), c.user, gcj02), f"机构 {file.name}")


@import_app.command("values")
def import_values(ctx: typer.Context, file: Path,
                  period: Annotated[str | None, typer.Option(help="宽表没有期间列时使用 / period for a wide sheet")] = None,
                  sheet: Annotated[str | None, typer.Option(help="Excel 工作表名 / sheet name")] = None) -> None:
    """导入数据值（长表或按机构的宽表）/ import data values (long or wide)."""
    from healthplan.interop.values_import import import_values as run

    c = context_of(ctx)
    report(run(file, c.ready(), c.user, period, sheet), f"数据值 {file.name}")


@import_app.command("plan")
def import_plan(ctx: typer.Context, file: Path) -> None:
    """导入规划文件（YAML 或 Excel）/ import a plan file."""
    from healthplan.plans.files import import_plan as run

    c = context_of(ctx)
    plan, changes = run(file, c.ready(), c.user)
    report(changes, f"规划 {plan.code}（{len(plan.targets)} 项目标）")


def _analytics(database: Database) -> tuple[Analytics, Catalog]:
    analytics = Analytics(database)
    analytics.load()
    with database.sessions() as session:
        catalog = Catalog(user_indicators(session), analytics.elements)
    return analytics, catalog


@app.command()
def indicator(ctx: typer.Context, code: str,
              org: Annotated[str, typer.Option("--org", help="组织机构代码 / org unit code")],
              period: Annotated[str, typer.Option(help="期间，如 2024、2024Q3 / period code")],
              format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """计算一个指标 / compute one indicator for an org unit and period."""
    analytics, catalog = _analytics(context_of(ctx).ready())
    ind = catalog.get(code)
    (result,) = analytics.evaluate([ind], [period], [org])
    data = result.to_json()
    if format is Format.JSON:
        print_json(data)
        return
    table = Table(title=f"{ind.name}（{ind.code}）")
    for column in ("组织机构", "期间", "值", "分子", "分母"):
        table.add_column(column)
    table.add_row(org, result.period, ind.format(result.value), _plain(result.numerator), _plain(result.denominator))
    console.print(table)


def _plain(value: float | None) -> str:
    return "—" if value is None else f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"


@app.command()
def indicators(ctx: typer.Context, format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """列出指标目录 / list the indicator catalog (built-in and plan-defined)."""
    with context_of(ctx).ready().sessions() as session:
        catalog = Catalog(user_indicators(session))
    items = list(catalog.indicators.values())
    if format is Format.JSON:
        print_json([{"code": i.code, "name": i.name, "name_en": i.name_en, "unit": i.unit, "decimals": i.decimals,
                      "polarity": i.polarity.value, "numerator": i.numerator, "denominator": i.denominator,
                      "factor": i.factor, "display": i.display.value, "plan": i.plan_code} for i in items])
        return
    table = Table(title="指标目录 / indicator catalog")
    for column in ("代码", "名称", "单位", "分子", "分母", "系数"):
        table.add_column(column, overflow="fold")
    for i in items:
        table.add_row(i.code, i.name, i.unit, i.numerator, i.denominator or "", f"{i.factor:g}")
    console.print(table)


@app.command()
def plans(ctx: typer.Context, format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """列出规划 / list plans."""
    with context_of(ctx).ready().sessions() as session:
        items = list_plans(session)
    data = [{"code": p.code, "name": p.name, "org_unit": p.org_unit, "base_year": p.base_year,
             "target_year": p.target_year} for p in items]
    if format is Format.JSON:
        print_json(data)
        return
    table = Table(title="规划 / plans")
    for column in ("代码", "名称", "范围", "基期", "目标年", "目标数"):
        table.add_column(column)
    for p in items:
        table.add_row(p.code, p.name, p.org_unit, str(p.base_year), str(p.target_year), str(len(p.targets)))
    console.print(table)


_STATUS_STYLE = {Status.MET: "green", Status.ON_TRACK: "cyan", Status.BEHIND: "yellow",
                 Status.REGRESSING: "red", Status.NO_DATA: "dim"}


def evaluation_table(evaluation: Any) -> Table:
    from healthplan.plans.evaluation import PlanEvaluation

    assert isinstance(evaluation, PlanEvaluation)
    table = Table(title=f"{evaluation.plan.name} — {evaluation.year} 年监测")
    for column in ("序号", "指标", "基期值", "当年值", "目标值", "指标性质", "状态"):
        table.add_column(column, overflow="fold")
    for r in evaluation.targets:
        nature = r.target.nature
        table.add_row(str(r.target.seq), r.label, r.indicator.format(r.baseline), r.indicator.format(r.value),
                      r.target_text, f"[bold]{nature.label}[/bold]" if nature is Nature.BINDING else nature.label,
                      f"[{_STATUS_STYLE[r.status]}]{r.status.label}[/]")
    counts = evaluation.counts()
    table.caption = "；".join(f"{s.label} {n}" for s, n in counts.items() if n)
    return table


def _evaluate(database: Database, plan_code: str, year: int | None, show_progress: bool) -> Any:
    from healthplan.plans.evaluation import evaluate_plan

    analytics, catalog = _analytics(database)
    with database.sessions() as session:
        plan = get_plan(session, plan_code)
    chosen = year if year is not None else latest_year(analytics, plan.base_year)
    if not show_progress:
        return evaluate_plan(analytics, catalog, plan, chosen)
    with progress_bar(len({t.indicator for t in plan.targets}), f"评估 {plan.code} {chosen} 年") as advance:
        return evaluate_plan(analytics, catalog, plan, chosen, progress=advance)


def latest_year(analytics: Analytics, floor: int) -> int:
    """The latest year with any data (the default monitoring year)."""
    years = [p.start.year for p in analytics.periods.values()]
    return max([floor, *years])


@app.command()
def evaluate(ctx: typer.Context, plan_code: str,
             year: Annotated[int | None, typer.Option(help="监测年份（默认最新有数据的年份）/ year")] = None,
             format: Annotated[Format, typer.Option("--format")] = Format.TABLE,
             out: Annotated[Path | None, typer.Option(help="另存为 .xlsx/.csv/.json / also write to a file")] = None,
             ) -> None:
    """按年评估规划目标 / evaluate a plan's targets for a year."""
    from healthplan.plans import export

    evaluation = _evaluate(context_of(ctx).ready(), plan_code, year, show_progress=format is Format.TABLE)
    if out is not None:
        export.write(evaluation, out)
    if format is Format.JSON:
        print_json(evaluation.to_json())
    else:
        console.print(evaluation_table(evaluation))


@export_app.command("values")
def export_values(ctx: typer.Context,
                  format: Annotated[FileFormat, typer.Option("--format")] = FileFormat.CSV,
                  out: Annotated[Path | None, typer.Option(help="输出文件（默认标准输出）")] = None,
                  data_element: Annotated[str | None, typer.Option("--data-element")] = None,
                  org: Annotated[str | None, typer.Option("--org")] = None,
                  period: Annotated[str | None, typer.Option()] = None) -> None:
    """导出数据值（长表，可再导入）/ export data values in the importable long layout."""
    from healthplan.interop.values_export import value_rows, write_values

    rows = value_rows(context_of(ctx).ready(), data_element, org, period)
    write_values(rows, format.value, out if out is not None else sys.stdout)


@export_app.command("evaluation")
def export_evaluation(ctx: typer.Context, plan_code: str,
                      year: Annotated[int | None, typer.Option()] = None,
                      format: Annotated[FileFormat, typer.Option("--format")] = FileFormat.XLSX,
                      out: Annotated[Path | None, typer.Option()] = None) -> None:
    """导出规划评估表 / export a plan evaluation."""
    from healthplan.plans import export

    evaluation = _evaluate(context_of(ctx).ready(), plan_code, year, show_progress=False)
    if out is None and format is not FileFormat.JSON:
        raise HealthplanError("请用 --out 指定输出文件", "give --out FILE")
    if out is None:
        print_json(evaluation.to_json())
        return
    export.write(evaluation, out.with_suffix("." + format.value) if out.suffix == "" else out)
    console.print(f"已写出 / written: {out}")


@app.command()
def demo(ctx: typer.Context,
         out: Annotated[Path, typer.Option(help="结果输出目录 / output folder")] = Path("out"),
         year: Annotated[int | None, typer.Option(help="监测年份（默认最新）")] = None) -> None:
    """构建示范区域（晋城市、朔州市）并评估其规划 / build the demo regions and evaluate their plans."""
    from healthplan.demo.build import build_demo, demo_plan_codes, steps
    from healthplan.plans import export
    from healthplan.reports.compose import build_report
    from healthplan.reports.inputs import load_inputs
    from healthplan.reports.model import ReportKind
    from healthplan.reports.write import write_report

    database = context_of(ctx).database
    with progress_bar(len(steps()), "构建示范数据") as advance:
        build_demo(database, context_of(ctx).user, on_step=advance)
    for code in demo_plan_codes():
        evaluation = _evaluate(database, code, year, show_progress=True)
        console.print(evaluation_table(evaluation))
        for suffix in (".xlsx", ".json"):
            path = out / f"{code}-{evaluation.year}{suffix}"
            export.write(evaluation, path)
            console.print(f"已写出 / written: {path}")
        with load_inputs(database, code, ReportKind.ANNUAL, evaluation.year) as inputs:
            annual = build_report(inputs)
        for suffix in (".docx", ".html"):
            path = out / f"{code}-{evaluation.year}-年度监测报告{suffix}"
            write_report(annual, path)
            console.print(f"已写出 / written: {path}")
    console.print(f"数据库 / database: {database.display_url}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: user errors print as bilingual messages (file:row:column), never as tracebacks."""
    try:
        app(args=argv, prog_name="healthplan")
    except SystemExit as exc:  # Typer reports usage errors itself and exits with their code
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except ValidationFailed as exc:
        errors.print(exc.report(), markup=False, highlight=False)
        return 2
    except HealthplanError as exc:
        errors.print(f"错误：{exc.zh}\nerror: {exc.en}", markup=False, highlight=False)
        return 2
    except Exception as exc:  # the promise: no traceback for the user; HEALTHPLAN_DEBUG=1 shows it
        if os.environ.get("HEALTHPLAN_DEBUG"):
            raise
        errors.print(f"内部错误 / internal error: {type(exc).__name__}: {exc}", markup=False, highlight=False)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
