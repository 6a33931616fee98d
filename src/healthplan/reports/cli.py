"""``healthplan report annual|evaluation``: write a monitoring or evaluation report as .docx, .xlsx, .html or .json."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from healthplan.clikit import Format, console, context_of, print_json, progress_bar
from healthplan.reports.model import Figure, ReportKind
from healthplan.store.database import Database

app = typer.Typer(help="监测评估报告（Word/Excel/HTML）/ monitoring and evaluation reports", no_args_is_help=True)

PlanOption = Annotated[str, typer.Option("--plan", help="规划代码 / plan code")]
OutOption = Annotated[Path, typer.Option("--out", help="输出文件 .docx/.xlsx/.html/.json / output file")]
YearOption = Annotated[int | None, typer.Option(
    "--year", help="报告年份（年度、中期默认最新有数据年份，末期默认目标年）/ year of the report")]
BoundariesOption = Annotated[Path | None, typer.Option(
    "--boundaries", help="区县边界 GeoJSON（属性 code、name；默认用示范区域边界或区县驻地）/ county polygons")]
FormatOption = Annotated[Format, typer.Option("--format", help="结果摘要格式 / summary format")]


def _write(database: Database, plan: str, kind: ReportKind, year: int | None, out: Path,
           boundaries: Path | None, format: Format) -> None:
    from healthplan.reports.compose import build_report
    from healthplan.reports.inputs import load_inputs
    from healthplan.reports.write import check_suffix, write_report

    check_suffix(out)
    with progress_bar(3, f"{kind.label} {plan}") as advance:
        with load_inputs(database, plan, kind, year, boundaries) as inputs:
            advance()
            report = build_report(inputs)
            advance()
        write_report(report, out)
        advance()
    summary = {"out": str(out), "kind": kind.value, "plan": plan, "year": inputs.year,
               "sections": [s.title for s in report.sections], "tables": len(report.tables()),
               "figures": sum(1 for b in report.layout() if isinstance(b, Figure)),
               "claims": len(report.claims()), "summary": {s.value: n for s, n in inputs.evaluation.counts().items()}}
    if format is Format.JSON:
        print_json(summary)
    else:
        console.print(f"已写出 / written: {out}（{kind.label}，{inputs.year}年，{summary['tables']} 张表，"
                      f"{summary['figures']} 幅图）")


@app.command("annual")
def annual(ctx: typer.Context, plan: PlanOption, out: OutOption, year: YearOption = None,
           boundaries: BoundariesOption = None, format: FormatOption = Format.TABLE) -> None:
    """年度监测报告 / the annual monitoring report."""
    _write(context_of(ctx).ready(), plan, ReportKind.ANNUAL, year, out, boundaries, format)


@app.command("evaluation")
def evaluation(ctx: typer.Context, plan: PlanOption, out: OutOption,
               kind: Annotated[ReportKind, typer.Option("--kind", help="annual 年度监测 / midterm 中期评估 / "
                                                                       "final 末期评估")] = ReportKind.MIDTERM,
               year: YearOption = None, boundaries: BoundariesOption = None,
               format: FormatOption = Format.TABLE) -> None:
    """中期或末期评估报告 / the mid-term or final evaluation."""
    _write(context_of(ctx).ready(), plan, kind, year, out, boundaries, format)
