"""``healthplan template …``, ``healthplan export dhis2|adx|fhir …``, ``healthplan import dhis2|adx|fhir …``.

Mounted by ``register`` into the root app's ``import``/``export`` groups. Every import is all or nothing and
answers with located conflicts; ``--format json`` prints the summaries documented in docs/interop.md.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from healthplan.clikit import Format, console, context_of, errors, print_json
from healthplan.domain.problems import HealthplanError, ValidationFailed
from healthplan.interop.template import Layout

if TYPE_CHECKING:
    from healthplan.interop.dhis2.exchange import ExportResult
    from healthplan.interop.dhis2.mapping import Dhis2Mapping, IdScheme

template_app = typer.Typer(help="统计报表填报模板（Excel）/ statistical-report templates", no_args_is_help=True)

FormatOption = Annotated[Format, typer.Option("--format", help="结果摘要格式 / summary format")]
OutOption = Annotated[Path | None, typer.Option("--out", help="输出文件（默认标准输出）/ output file")]
MappingOption = Annotated[Path, typer.Option("--mapping", help="DHIS2 映射文件（YAML 或 CSV）/ mapping file")]
OrgOption = Annotated[list[str] | None, typer.Option("--org", help="组织机构代码，可重复 / org unit, repeatable")]
ChildrenOption = Annotated[bool, typer.Option("--children", help="含下级区域和机构 / include the subtree")]
PeriodOption = Annotated[list[str] | None, typer.Option("--period", help="期间代码，可重复 / period, repeatable")]
StartOption = Annotated[str | None, typer.Option("--start-date", help="期间不早于 / periods from (YYYY-MM-DD)")]
EndOption = Annotated[str | None, typer.Option("--end-date", help="期间不晚于 / periods up to (YYYY-MM-DD)")]
ElementOption = Annotated[list[str] | None, typer.Option("--data-element", help="本系统数据元代码，可重复")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="只报告将发生的变化，不写入 / report, write nothing")]


class Payload(StrEnum):
    JSON = "json"
    CSV = "csv"


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise HealthplanError(f"{option} 应为日期 YYYY-MM-DD，得到“{text}”",
                              f"{option} must be a date YYYY-MM-DD, got {text!r}") from None


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


def _summary(data: dict[str, Any], format: Format, to_stdout: bool, words: str) -> None:
    """The export summary: on stdout unless the payload took it, then on stderr."""
    if format is Format.JSON:
        if to_stdout:
            print_json(data)
        else:
            errors.print(json.dumps(data, ensure_ascii=False), markup=False, highlight=False)
    else:
        (console if to_stdout else errors).print(words)


# ---- templates ------------------------------------------------------------------------------------------

@template_app.command("values")
def template_values(
        ctx: typer.Context,
        dataset: Annotated[str, typer.Option("--dataset", help="数据集代码，见 healthplan template datasets")],
        org: Annotated[str, typer.Option("--org", help="区域代码：列出其下在册机构 / area code")],
        out: Annotated[Path, typer.Option("--out", help="输出 .xlsx 文件")],
        year: Annotated[int | None, typer.Option(help="年份（年报）/ year")] = None,
        period: Annotated[str | None, typer.Option(help="期间代码（季报、月报）/ period code")] = None,
        layout: Annotated[Layout, typer.Option(help="wide：每行一个单位；long：每行一个值")] = Layout.WIDE,
        blank: Annotated[bool, typer.Option("--blank", help="不预填已有数据 / do not prefill values")] = False,
        format: FormatOption = Format.TABLE) -> None:
    """生成填报模板（填好后用 healthplan import values 导入）/ write a fill-in template."""
    from healthplan.interop.template import build_template
    from healthplan.interop.workbook import write_template
    from healthplan.store.datasets import get_data_set

    data_set = get_data_set(dataset)
    template = build_template(context_of(ctx).ready(), data_set, org, data_set.period(year, period), layout,
                              prefill=not blank)
    write_template(template, out)
    data = {"file": str(out), **template.to_json()}
    _summary(data, format, True, f"[green]已写出模板[/green] {out}：{data['rows']} 行 × {data['data_elements']} 个数据元，"
                                 f"预填 {data['prefilled']} 个值 / template written")


@template_app.command("datasets")
def template_datasets(format: FormatOption = Format.TABLE) -> None:
    """列出可用的数据集 / list the report data sets."""
    from healthplan.store.datasets import data_sets

    items = list(data_sets().values())
    if format is Format.JSON:
        print_json([{"code": d.code, "name": d.name, "name_en": d.name_en,
                     "period_type": d.period_type.name.lower(), "rows": d.rows.value,
                     "data_elements": list(d.elements)} for d in items])
        return
    table = Table(title="报表数据集 / data sets")
    for column in ("代码", "名称", "周期", "每行", "数据元数"):
        table.add_column(column)
    for d in items:
        table.add_row(d.code, d.name, d.period_type.label, d.rows.label, str(len(d.elements)))
    console.print(table)


# ---- DHIS2 ----------------------------------------------------------------------------------------------

def export_dhis2(ctx: typer.Context, mapping: MappingOption, org: OrgOption = None, children: ChildrenOption = False,
                 period: PeriodOption = None, start_date: StartOption = None, end_date: EndOption = None,
                 data_element: ElementOption = None,
                 id_scheme: Annotated[str, typer.Option("--id-scheme", help="uid 或 code")] = "uid",
                 payload: Annotated[Payload | None, typer.Option(help="json 或 csv（默认按 --out 后缀）")] = None,
                 out: OutOption = None, format: FormatOption = Format.TABLE) -> None:
    """导出 DHIS2 dataValueSets（JSON/CSV）/ export DHIS2 dataValueSets."""
    from healthplan.interop.dhis2 import data_value_sets
    from healthplan.interop.dhis2.exchange import default_combo

    kind = payload or (Payload.CSV if out is not None and out.suffix.lower() == ".csv" else Payload.JSON)
    result, loaded, scheme = _export(ctx, mapping, org, children, period, start_date, end_date, data_element,
                                     id_scheme, adx=False)
    aoc = default_combo(loaded, scheme)
    if kind is Payload.JSON:
        data_set = (loaded.data_set.identifier(scheme) or None) if loaded.data_set else None
        text = json.dumps(data_value_sets.to_json(result.values, data_set, aoc), ensure_ascii=False, indent=2) + "\n"
    else:
        text = data_value_sets.to_csv(result.values, aoc)
    _emit(text, out)
    _export_summary(result.to_json(), out, format)


def export_adx(ctx: typer.Context, mapping: MappingOption, org: OrgOption = None, children: ChildrenOption = False,
               period: PeriodOption = None, start_date: StartOption = None, end_date: EndOption = None,
               data_element: ElementOption = None,
               data_set: Annotated[str | None, typer.Option("--data-set", help="ADX 数据集代码（默认取映射文件）")] = None,
               id_scheme: Annotated[str, typer.Option("--id-scheme", help="code（ADX 默认）或 uid")] = "code",
               out: OutOption = None, format: FormatOption = Format.TABLE) -> None:
    """导出 ADX（IHE 汇总数据交换 XML）/ export ADX XML."""
    from healthplan.interop.dhis2.adx import write_adx

    result, loaded, scheme = _export(ctx, mapping, org, children, period, start_date, end_date, data_element,
                                     id_scheme, adx=True)
    chosen = data_set or (loaded.data_set.identifier(scheme) if loaded.data_set else "")
    if not chosen:
        raise HealthplanError("ADX 需要数据集：用 --data-set 或在映射文件中写 data_set",
                              "ADX needs a data set: give --data-set or data_set in the mapping")
    _emit(write_adx(result.values, chosen, dt.datetime.now(dt.UTC)), out)
    _export_summary(result.to_json(), out, format)


def _export(ctx: typer.Context, mapping: Path, org: list[str] | None, children: bool, period: list[str] | None,
            start_date: str | None, end_date: str | None, data_element: list[str] | None, id_scheme: str,
            adx: bool) -> tuple[ExportResult, Dhis2Mapping, IdScheme]:
    from healthplan.domain.periods import Period, PeriodError
    from healthplan.interop.dhis2.exchange import export_values
    from healthplan.interop.dhis2.mapping import IdScheme, load_mapping

    try:
        scheme = IdScheme(id_scheme.lower())
    except ValueError:
        raise HealthplanError(f"--id-scheme 应为 uid 或 code，得到“{id_scheme}”",
                              f"--id-scheme must be uid or code, got {id_scheme!r}") from None
    for code in period or []:
        try:
            Period.parse(code)
        except PeriodError as exc:
            raise HealthplanError(*str(exc).split(" / ", 1)) from None
    database = context_of(ctx).ready()
    loaded = load_mapping(mapping, database)
    result = export_values(database, loaded, org_units=org or [], children=children, periods=period or [],
                           start=_date(start_date, "--start-date"), end=_date(end_date, "--end-date"),
                           elements=data_element or [], scheme=scheme, adx=adx)
    return result, loaded, scheme


def _export_summary(data: dict[str, Any], out: Path | None, format: Format) -> None:
    skipped = "，".join(f"{k} {v}" for k, v in data["skipped"].items()) or "无"
    _summary({**data, "file": str(out) if out else None}, format, out is not None,
             f"[green]已导出 {data['exported']} 个数据值[/green]（跳过：{skipped}）/ exported {data['exported']} values")


def import_dhis2(ctx: typer.Context, file: Path, mapping: MappingOption, dry_run: DryRunOption = False,
                 strategy: Annotated[str, typer.Option(help="create_and_update | create | update | delete")]
                 = "create_and_update", format: FormatOption = Format.TABLE) -> None:
    """导入 DHIS2 dataValueSets（.json 或 .csv）/ import DHIS2 dataValueSets."""
    from healthplan.interop.dhis2 import data_value_sets

    reader = data_value_sets.read_csv if file.suffix.lower() == ".csv" else data_value_sets.read_json
    _import_values(ctx, file, mapping, reader, dry_run, strategy, format)


def import_adx(ctx: typer.Context, file: Path, mapping: MappingOption, dry_run: DryRunOption = False,
               strategy: Annotated[str, typer.Option(help="create_and_update | create | update | delete")]
               = "create_and_update", format: FormatOption = Format.TABLE) -> None:
    """导入 ADX（XML）/ import ADX."""
    from healthplan.interop.dhis2.adx import read_adx

    _import_values(ctx, file, mapping, read_adx, dry_run, strategy, format)


def _import_values(ctx: typer.Context, file: Path, mapping: Path, reader: Callable[[Path], Any], dry_run: bool,
                   strategy: str, format: Format) -> None:
    from healthplan.interop.dhis2.exchange import ImportSummary, Strategy, import_values
    from healthplan.interop.dhis2.mapping import load_mapping

    try:
        chosen = Strategy(strategy.lower())
    except ValueError:
        raise HealthplanError(f"--strategy 应为 {', '.join(Strategy)}", f"--strategy must be one of {', '.join(Strategy)}"
                              ) from None
    c = context_of(ctx)
    database = c.ready()
    try:
        summary = import_values(reader(file), load_mapping(mapping, database), database, c.user, chosen, dry_run,
                                reason=f"import {file.name}")
    except ValidationFailed as exc:
        summary = ImportSummary(dry_run, conflicts=exc.problems)
    if format is Format.JSON:
        print_json(summary.to_json())
        if summary.conflicts:
            raise typer.Exit(2)
        return
    if summary.conflicts:
        raise ValidationFailed(summary.conflicts)
    label = "试运行（未写入）" if dry_run else "已导入"
    console.print(f"[green]{label} {file.name}[/green]：新增 {summary.imported}，更新 {summary.updated}，"
                  f"忽略 {summary.ignored}，删除 {summary.deleted} / imported {summary.imported}, updated "
                  f"{summary.updated}, ignored {summary.ignored}, deleted {summary.deleted}")
    if dry_run and summary.changes:
        table = Table(title="将发生的变化 / changes")
        for column in ("动作", "数据元", "组织机构", "期间", "分类", "原值", "新值"):
            table.add_column(column)
        for change in summary.changes[:200]:
            table.add_row(change.action, change.data_element, change.org_unit, change.period, change.disaggregation,
                          "" if change.old is None else f"{change.old:g}", "" if change.new is None else f"{change.new:g}")
        console.print(table)


# ---- FHIR -----------------------------------------------------------------------------------------------

def export_fhir(ctx: typer.Context,
                as_of: Annotated[str | None, typer.Option("--as-of", help="截至日期（默认今天）YYYY-MM-DD")] = None,
                org: Annotated[str | None, typer.Option("--org", help="只导出此区域及其下级（含上级链）")] = None,
                active_only: Annotated[bool, typer.Option("--active-only", help="不含已撤销机构")] = False,
                out: OutOption = None, format: FormatOption = Format.TABLE) -> None:
    """导出机构注册表为 FHIR R4 Bundle（IHE mCSD）/ export the registry as a FHIR Bundle."""
    from healthplan.interop.fhir.export import export_bundle

    date = _date(as_of, "--as-of") or dt.date.today()
    result = export_bundle(context_of(ctx).ready(), date, org, active_only)
    _emit(json.dumps(result.bundle, ensure_ascii=False, indent=2) + "\n", out)
    data = {"file": str(out) if out else None, "as_of": date.isoformat(), **result.to_json()}
    _summary(data, format, out is not None,
             f"[green]已导出 FHIR Bundle[/green]：区域 {result.areas}，机构 {result.facilities}"
             f"（已撤销 {result.inactive}），资源 {len(result.bundle['entry'])} 个 / FHIR Bundle written")


def import_fhir(ctx: typer.Context, file: Path, dry_run: DryRunOption = False,
                valid_from: Annotated[str | None, typer.Option(
                    "--valid-from", help="机构缺少有效期起始日期时使用 / start date when a facility has none")] = None,
                format: FormatOption = Format.TABLE) -> None:
    """导入 FHIR Bundle 中的区域和机构（IHE mCSD）/ import org units and facilities from a FHIR Bundle."""
    from healthplan.interop.documents import conflicts_json
    from healthplan.interop.fhir.importer import import_bundle

    c = context_of(ctx)
    try:
        result = import_bundle(file, c.ready(), c.user, dry_run=dry_run, valid_from=_date(valid_from, "--valid-from"))
    except ValidationFailed as exc:
        if format is not Format.JSON:
            raise
        print_json({"status": "ERROR", "dryRun": dry_run, "org_units": None, "facilities": None, "ignored": 0,
                    "conflicts": conflicts_json(exc.problems)})
        raise typer.Exit(2) from None
    if format is Format.JSON:
        print_json(result.to_json())
        return
    label = "试运行（未写入）" if dry_run else "已导入"
    for what, changes in (("区域 / org units", result.org_units), ("机构 / facilities", result.facilities)):
        console.print(f"[green]{label} {what}[/green]：新增 {changes.inserted}，更新 {changes.updated}，"
                      f"未变 {changes.unchanged}")
    if result.ignored:
        console.print(f"其他资源 {result.ignored} 个未处理 / {result.ignored} other entries left alone")


def register(import_app: typer.Typer, export_app: typer.Typer, app: typer.Typer) -> None:
    """Mount the interop commands on the root CLI (one call in healthplan/cli.py)."""
    import_app.command("dhis2")(import_dhis2)
    import_app.command("adx")(import_adx)
    import_app.command("fhir")(import_fhir)
    export_app.command("dhis2")(export_dhis2)
    export_app.command("adx")(export_adx)
    export_app.command("fhir")(export_fhir)
    app.add_typer(template_app, name="template")
