"""``healthplan allocate PLAN_CODE``: the 配置规划表 of a plan (docs/allocation.md); mounted with ``app.command``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from healthplan.allocation import table
from healthplan.allocation.allocate import Allocation, Row, allocate
from healthplan.allocation.export import write
from healthplan.allocation.ruleset import load_rules, shipped_rules
from healthplan.allocation.split import Method
from healthplan.clikit import console, context_of, print_json
from healthplan.domain.problems import HealthplanError, NotFound
from healthplan.engine.analytics import Analytics
from healthplan.engine.catalog import Catalog
from healthplan.store.plans import get_plan, user_indicators
from healthplan.store.registry import list_areas


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    XLSX = "xlsx"


def allocate_command(
        ctx: typer.Context,
        plan_code: Annotated[str, typer.Argument(help="规划代码 / plan code")],
        year: Annotated[int | None, typer.Option(help="规划年份（默认规划目标年）/ allocation year")] = None,
        current_year: Annotated[int | None, typer.Option(
            "--current-year", help="现状年份（默认最新有数据的年份）/ year of the current figures")] = None,
        method: Annotated[Method, typer.Option(help="分县方法 / how to split by county")] = Method.POPULATION,
        rules: Annotated[Path | None, typer.Option(help="配置规则文件（YAML；默认随规划提供的规则）")] = None,
        format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
        out: Annotated[Path | None, typer.Option(help="输出文件 .xlsx/.json / output file")] = None) -> None:
    """资源配置规划表：需要总数、缺口、年均增量，分县(市、区)三种分配方法，配置规则 / resource allocation."""
    database = context_of(ctx).ready()
    analytics = Analytics(database)
    analytics.load()
    with database.sessions() as session:
        catalog = Catalog(user_indicators(session), analytics.elements)
        plan = get_plan(session, plan_code)
        areas = list_areas(session)
    scope = next((a for a in areas if a.code == plan.org_unit), None)
    if scope is None:
        raise NotFound(f"找不到规划范围 {plan.org_unit}", f"the plan's area {plan.org_unit} is not in the registry")
    counties = sorted((a for a in areas if a.parent_code == scope.code), key=lambda a: a.code)
    target_year = year if year is not None else plan.target_year
    now = current_year if current_year is not None else _latest_year(analytics, target_year)
    ruleset = load_rules(rules if rules is not None else shipped_rules(plan.code), catalog, analytics.compiler)
    result = allocate(analytics, catalog, plan, scope, counties, ruleset, target_year, now, method)
    if format is OutputFormat.XLSX and out is None:
        out = Path(f"{plan.code}-{target_year}-allocation.xlsx")
    if out is not None:
        write(result, out if out.suffix else out.with_suffix("." + ("json" if format is OutputFormat.JSON
                                                                       else "xlsx")))
    if format is OutputFormat.JSON:
        print_json(result.to_json())
    elif format is OutputFormat.TABLE:
        _print(result)
    if out is not None:
        console.print(f"已写出 / written: {out}")


def _latest_year(analytics: Analytics, ceiling: int) -> int:
    years = [p.start.year for p in analytics.periods.values() if p.start.year <= ceiling]
    if not years:
        raise HealthplanError("没有可用的现状数据", "no data to take the current figures from")
    return max(years)


def _print(result: Allocation) -> None:
    region = Table(title=f"{result.plan.name} 资源配置规划表（{result.current_year}→{result.year}年）")
    for column in table.REGION_COLUMNS:
        region.add_column(column, overflow="fold")
    for row in table.region_rows(result):
        region.add_row(*(_cell(v) for v in row))
    console.print(region)
    counties = Table(title=f"分县(市、区)缺口：{result.method.label}")
    for column in ("项目", *(c.name for c in _county_heads(result))):
        counties.add_column(column, overflow="fold")
    for item in result.lines:
        rows = item.counties.get(result.method, ())
        counties.add_row(item.line.name, *(_gap_cell(r.gap, r.withheld) for r in rows))
    console.print(counties)
    rules = Table(title="配置规则")
    for column in ("规则", "核对", "地区", "实测", "要求", "是否达到", "缺口/余量"):
        rules.add_column(column, overflow="fold")
    for row in table.rule_rows(result):
        rules.add_row(str(row[0]), str(row[3]), *(_cell(v) for v in row[4:]))
    console.print(rules)


def _county_heads(result: Allocation) -> list[Row]:
    for item in result.lines:
        if result.method in item.counties:
            return list(item.counties[result.method])
    return []


def _gap_cell(gap: float | None, withheld: float) -> str:
    if gap is None:
        return "—"
    return f"+{gap:,.0f}" + (f"（暂缓 {withheld:,.0f}）" if withheld else "")


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)
