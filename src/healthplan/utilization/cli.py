"""``healthplan utilization …`` (encounter analytics) and ``healthplan synth encounters`` (the generator).

``healthplan utilization --encounters DIR --year Y`` prints the year's metrics for every county and city;
``import``/``validate`` check encounter files, ``write`` stores the counts as data values, ``od`` prints where
residents go. JSON shapes are documented in docs/utilization.md.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from healthplan.clikit import Format, console, context_of, print_json, progress_bar, report
from healthplan.domain.problems import HealthplanError
from healthplan.store.database import Database
from healthplan.utilization.engines import Connection, Engine, connect, read_spark_conf

if TYPE_CHECKING:  # the heavy modules (Arrow, Ibis, numpy) load when a command runs, not with `healthplan`
    from healthplan.utilization.dataset import EncounterDataset
    from healthplan.utilization.importer import ImportReport
    from healthplan.utilization.metrics import YearMetrics
    from healthplan.utilization.territory import Territory

DEFAULT_SEED = 20240705

app = typer.Typer(help="分级诊疗：就诊记录的导入、指标计算与写回。不带子命令时计算 --year 年各县及全市的指标 / "
                       "tiered care from encounter records; without a command: the metrics of --year",
                  invoke_without_command=True, add_completion=False)
synth_app = typer.Typer(help="生成合成数据 / synthetic data for the demo regions", no_args_is_help=True)

EncountersOption = Annotated[Path | None, typer.Option("--encounters", help="就诊记录数据集目录 / dataset folder")]
EngineOption = Annotated[Engine, typer.Option("--engine", help="计算引擎 / engine")]
MasterOption = Annotated[str | None, typer.Option("--spark-master", help="Spark master URL（默认 local[*]）")]
ConfOption = Annotated[Path | None, typer.Option("--spark-conf", help="spark-defaults.conf 格式的配置文件")]
FormatOption = Annotated[Format, typer.Option("--format")]


def parse_years(text: str) -> list[int]:
    """``2019-2024``, ``2020`` or ``2019,2021``."""
    years: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            years += list(range(int(first), int(last or first) + 1))
    except ValueError:
        raise HealthplanError(f"无法识别的年份“{text}”（如 2019-2024）", f"unreadable years {text!r} (e.g. 2019-2024)") \
            from None
    if not years:
        raise HealthplanError(f"无法识别的年份“{text}”（如 2019-2024）", f"unreadable years {text!r} (e.g. 2019-2024)")
    return sorted(set(years))


def _territory(database: Database) -> Territory:
    from healthplan.utilization.territory import Territory

    with database.sessions() as session:
        return Territory.from_store(session)


def _connect(engine: Engine, master: str | None, conf: Path | None) -> Connection:
    return connect(engine, master=master, conf=read_spark_conf(conf) if conf is not None else None)


def _required(encounters: Path | None) -> EncounterDataset:
    from healthplan.utilization.dataset import EncounterDataset

    if encounters is None:
        raise HealthplanError("请用 --encounters 指定就诊记录数据集", "give --encounters DIR")
    return EncounterDataset.open(encounters)


def _number(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{value:,.{decimals}f}"


def metrics_table(result: YearMetrics) -> Table:
    """One row per metric, one column per county (and the city) with data."""
    from healthplan.utilization.metrics import METRICS

    table = Table(title=f"{result.year} 年分级诊疗指标（{result.engine}，扩样权数 {result.weight:.4g}）")
    areas = [a for a in result.areas if a.counts]
    table.add_column("指标", no_wrap=True)
    for area in areas:
        table.add_column(area.name, justify="right")
    for metric in METRICS:
        table.add_row(f"{metric.name}({metric.unit})" if metric.unit else metric.name,
                      *(_number(a.value(metric), metric.decimals) for a in areas))
    return table


@app.callback()
def utilization(ctx: typer.Context, encounters: EncountersOption = None,
                year: Annotated[int | None, typer.Option(help="年份 / year")] = None,
                engine: EngineOption = Engine.DUCKDB, spark_master: MasterOption = None,
                spark_conf: ConfOption = None, format: FormatOption = Format.TABLE) -> None:
    """各县及全市的分级诊疗指标 / the year's tiered-care metrics for every county and city."""
    from healthplan.utilization.metrics import compute

    if ctx.invoked_subcommand is not None:
        return
    if encounters is None and year is None:
        console.print(ctx.get_help())
        return
    if year is None:
        raise HealthplanError("请用 --year 指定年份", "give --year")
    dataset = _required(encounters)
    territory = _territory(context_of(ctx).ready())
    connection = _connect(engine, spark_master, spark_conf)
    try:
        result = compute(connection, dataset, territory, year)
    finally:
        connection.close()
    if format is Format.JSON:
        print_json(result.to_json())
    else:
        console.print(metrics_table(result))


def _print_import(result: ImportReport) -> None:
    console.print(f"共 {result.rows:,} 行：接受 {result.accepted:,} 行，隔离 {result.quarantined:,} 行 / "
                  f"{result.rows:,} rows: {result.accepted:,} accepted, {result.quarantined:,} quarantined")
    for (column, zh, en), rows in result.reasons.most_common():
        console.print(f"  {column}: {zh} / {en} — {rows:,} 行")
    for problem in result.problems[:20]:
        console.print(f"  {problem}", markup=False, highlight=False)
    if result.quarantine:
        console.print(f"隔离文件 / quarantine file: {result.quarantine}")
    if result.output:
        console.print(f"数据集 / dataset: {result.output}（{'、'.join(map(str, result.years))} 年）")


@app.command("import")
def import_command(ctx: typer.Context, source: Path,
                   out: Annotated[Path, typer.Option("--out", help="数据集输出目录 / dataset folder")],
                   weight: Annotated[float, typer.Option(help="扩样权数：每条记录代表的就诊人次")] = 1.0,
                   strict: Annotated[bool, typer.Option(help="有任何错误行即全部不写入 / all or nothing")] = False,
                   format: FormatOption = Format.TABLE) -> None:
    """校验并导入就诊记录（CSV 或 Parquet），错误行写入隔离文件 / import encounters, quarantining bad rows."""
    from healthplan.utilization.importer import import_encounters

    result = import_encounters(source, out, _territory(context_of(ctx).ready()), weight=weight, strict=strict)
    if format is Format.JSON:
        print_json(result.to_json())
    else:
        _print_import(result)


@app.command()
def validate(ctx: typer.Context, source: Path,
             quarantine: Annotated[Path | None, typer.Option(help="把错误行写入此 CSV / list bad rows here")] = None,
             format: FormatOption = Format.TABLE) -> None:
    """只校验不导入 / check encounter files without writing a dataset."""
    from healthplan.utilization.importer import validate_encounters

    result = validate_encounters(source, _territory(context_of(ctx).ready()), quarantine)
    if format is Format.JSON:
        print_json(result.to_json())
    else:
        _print_import(result)


@app.command()
def write(ctx: typer.Context, encounters: EncountersOption = None,
          years: Annotated[str | None, typer.Option(help="年份，如 2019-2024（默认数据集中的全部年份）")] = None,
          engine: EngineOption = Engine.DUCKDB, spark_master: MasterOption = None, spark_conf: ConfOption = None,
          format: FormatOption = Format.TABLE) -> None:
    """计算并写回为数据值 svc.enc_*（指标 enc_*）/ write the counts back as data values."""
    from healthplan.utilization.metrics import compute
    from healthplan.utilization.writeback import write_back

    c = context_of(ctx)
    database = c.ready()
    dataset = _required(encounters)
    chosen = parse_years(years) if years else list(dataset.years)
    territory = _territory(database)
    connection = _connect(engine, spark_master, spark_conf)
    try:
        results = [compute(connection, dataset, territory, y) for y in chosen]
    finally:
        connection.close()
    changes = write_back(database, results, c.user, str(dataset.root))
    if format is Format.JSON:
        print_json({"years": chosen, "engine": engine.value, "weight": dataset.weight, "changes": changes.to_json()})
    else:
        report(changes, f"就诊记录指标 {chosen[0]}–{chosen[-1]} 年")


@app.command()
def od(ctx: typer.Context, encounters: EncountersOption = None,
       year: Annotated[int | None, typer.Option(help="年份 / year")] = None,
       engine: EngineOption = Engine.DUCKDB, spark_master: MasterOption = None, spark_conf: ConfOption = None,
       format: FormatOption = Format.TABLE) -> None:
    """居民就诊流向（OD 矩阵）：县与县之间及流向市外 / where residents go for care."""
    from healthplan.utilization.flows import flows

    if year is None:
        raise HealthplanError("请用 --year 指定年份", "give --year")
    dataset = _required(encounters)
    territory = _territory(context_of(ctx).ready())
    connection = _connect(engine, spark_master, spark_conf)
    try:
        matrix = flows(connection, dataset, territory, year)
    finally:
        connection.close()
    if format is Format.JSON:
        print_json(matrix.to_json())
        return
    table = Table(title=f"{year} 年居民就诊流向 / where residents go")
    for column in ("居住地", "就诊地", "市内", "就诊人次", "住院人次", "占比(%)"):
        table.add_column(column, justify="right" if column[0] in "就住占" and column != "就诊地" else "left")
    for f in matrix.flows:
        table.add_row(f.origin_name, f.destination_name, "是" if f.inside_city else "否", f"{f.encounters:,.0f}",
                      f"{f.stays:,.0f}", f"{f.share:.2f}")
    console.print(table)


@synth_app.command("encounters")
def synth_encounters(region: Annotated[str, typer.Option(help="示范区域：晋城 或 朔州 / demo region")],
                     out: Annotated[Path, typer.Option("--out", help="数据集输出目录 / dataset folder")],
                     years: Annotated[str, typer.Option(help="年份，如 2019-2024")] = "2019-2024",
                     rows: Annotated[int, typer.Option(help="记录总数 / number of records")] = 1_000_000,
                     seed: Annotated[int, typer.Option(help="随机种子 / random seed")] = DEFAULT_SEED,
                     format: FormatOption = Format.TABLE) -> None:
    """按示范区域的登记和统计数据生成合成就诊记录 / calibrated synthetic encounters of a demo region."""
    from healthplan.utilization.synth import Generator, synthesize

    generator = Generator.for_region(region, parse_years(years), rows, seed)
    start = time.perf_counter()
    if format is Format.JSON:
        dataset = synthesize(generator, out)
    else:
        with progress_bar(generator.block_count, "生成就诊记录") as advance:
            dataset = synthesize(generator, out, advance)
    seconds = time.perf_counter() - start
    data = {"region": region, "years": list(dataset.years), "rows": rows, "weight": dataset.weight,
            "output": str(dataset.root), "seconds": round(seconds, 3), "rows_per_second": round(rows / seconds)}
    if format is Format.JSON:
        print_json(data)
    else:
        console.print(f"已生成 {rows:,} 条（每条代表 {dataset.weight:.4g} 人次），{seconds:.1f} 秒，"
                      f"{rows / seconds:,.0f} 行/秒 → {dataset.root}")
