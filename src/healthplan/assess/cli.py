"""``healthplan assess SCHEME --year Y``: score facilities or areas with an assessment scheme."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from healthplan.assess.export import write_xlsx
from healthplan.assess.result import Assessment
from healthplan.assess.run import run_scheme
from healthplan.assess.scheme import shipped
from healthplan.clikit import console, context_of, print_json


class _SchemeFirst(TyperGroup):
    """``assess SCHEME …`` runs a scheme; ``assess schemes`` lists them (a name that is no command is a scheme)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # click's Context (vendored by newer Typer)
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_SchemeFirst, no_args_is_help=True,
                  help="绩效考核：按考核方案为机构或地区计分、排名 / performance assessment with a scheme")


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    XLSX = "xlsx"


@app.command("run")
def run(ctx: typer.Context,
        scheme: Annotated[str, typer.Argument(help="方案代码（见 healthplan assess schemes）或 YAML 文件 / scheme")],
        year: Annotated[int | None, typer.Option(help="考核年度（默认最新有数据的年份）/ year")] = None,
        format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
        out: Annotated[Path | None, typer.Option(help="输出文件（xlsx；json 时可选）/ output file")] = None) -> None:
    """按方案考核一个年度 / assess a year with a scheme."""
    c = context_of(ctx)
    result = run_scheme(c.ready(), scheme, year, c.user)
    if format is OutputFormat.JSON:
        if out is None:
            print_json(result.to_json())
            return
        import json

        out.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    elif format is OutputFormat.XLSX:
        out = out or Path(f"{result.scheme}-{result.year}.xlsx")
        write_xlsx(result, out)
    else:
        console.print(_table(result))
        return
    console.print(f"已写出 / written: {out}")


def _table(result: Assessment) -> Table:
    table = Table(title=f"{result.name}（{result.year}年）")
    for column in ("排名", "对象", "得分(百分制)", "得分/满分", "等级", "主要失分"):
        table.add_column(column, overflow="fold")
    for s in result.subjects:
        table.add_row(str(s.rank), s.name, "—" if s.score is None else f"{s.score:g}", f"{s.total:g}/{s.maximum:g}",
                      s.grade or "—", "；".join(s.reasons()[:3]) or "—")
    return table


@app.command("schemes")
def schemes() -> None:
    """列出内置考核方案 / list the shipped schemes."""
    for code, path in shipped().items():
        console.print(f"{code}\t{path}")
