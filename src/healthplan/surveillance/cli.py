"""``healthplan detect …``: detectors on one series, the daily run, signals and their response, metrics."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from healthplan.clikit import Format, console, context_of, print_json, report
from healthplan.domain.periods import Period, PeriodError
from healthplan.domain.problems import HealthplanError
from healthplan.store import surveillance as store
from healthplan.tabular.cells import parse_date

app = typer.Typer(help="监测预警：预警方法、每日预警、信号响应与指标 / early warning", no_args_is_help=True)


class OutFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


def _date(text: str, option: str) -> dt.date:
    day = parse_date(text)
    if day is None:
        raise HealthplanError(f"{option} 应为日期（如 2024-07-16），得到“{text}”",
                              f"{option} must be a date such as 2024-07-16, got {text!r}")
    return day


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as exc:
        zh, en = str(exc).split(" / ", 1)
        raise HealthplanError(zh, en) from None


@app.command("series")
def series(method: Annotated[str, typer.Option(help="ears_c1|ears_c2|ears_c3|farrington|cusum|cidars|fixed")],
           input: Annotated[Path, typer.Option("--input", help="t,year,period,observed[,date] 的 CSV")],
           range_: Annotated[str | None, typer.Option("--range", help="FROM:TO（t 从 1 起，含两端）")] = None,
           param: Annotated[list[str] | None, typer.Option("--param", help="NAME=VALUE（R 控制参数的 snake_case）")] = None,
           start: Annotated[str | None, typer.Option(help="t=1 的日期（无 date 列时）/ date of t=1")] = None,
           freq: Annotated[int, typer.Option(help="每年期数：52 周、365 日、12 月 / periods a year")] = 52,
           format: Annotated[OutFormat, typer.Option("--format")] = OutFormat.CSV) -> None:
    """对一条序列运行预警方法（R 参考文件格式）/ run a detector on one series (the oracle layout)."""
    from healthplan.surveillance.methods import parse_assignments, parse_params, run_series
    from healthplan.surveillance.series_io import parse_range, read_series, rows, to_csv

    params = parse_params(method, parse_assignments(param or []))
    step = {52: 7, 365: 1}.get(freq, 7)
    data = read_series(input, _date(start, "--start") if start else None, step)
    at = parse_range(range_, data.counts.size) if range_ else None
    try:
        result = run_series(method, data.counts, params, at=at, dates=data.dates, freq=freq)
    except ValueError as exc:
        raise HealthplanError(f"无法计算：{exc}", f"cannot compute: {exc}") from None
    if format is OutFormat.CSV:
        sys.stdout.write(to_csv(result))
        return
    shown = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
    print_json({"method": method, "params": shown, "rows": rows(result)})


@app.command("import")
def import_(ctx: typer.Context, file: Path) -> None:
    """导入监测计数：date,org_unit,source,disease_or_syndrome,count（全部校验通过才写入）/ import counts."""
    from healthplan.surveillance.counts_import import import_counts

    c = context_of(ctx)
    report(import_counts(file, c.ready(), c.user), f"监测计数 {file.name}")


@app.command("run")
def run(ctx: typer.Context,
        date: Annotated[str, typer.Option(help="预警日期 / the day to evaluate")],
        until: Annotated[str | None, typer.Option(help="补跑至该日（含）/ evaluate every day up to this one")] = None,
        format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """每日预警：所有序列 → 预警信号 → 多点触发事件（重复运行不重复生成）/ the daily run."""
    from healthplan.surveillance.run import run_detection

    c = context_of(ctx)
    first = _date(date, "--date")
    summary = run_detection(c.ready(), first, _date(until, "--until") if until else None, c.user)
    if format is Format.JSON:
        print_json(summary.to_json())
        return
    console.print(f"预警 {summary.first}–{summary.last}：序列 {summary.series}，报警 {summary.alarms}，"
                  f"新信号 {len(summary.signals_created)}，并入已有信号 {summary.alarms_merged}，"
                  f"已记录 {summary.alarms_known}，多点触发事件 新增 {summary.events_created} / 更新 {summary.events_updated}")


def signal_json(s: store.Signal) -> dict[str, object]:
    from healthplan.surveillance.lifecycle import Status

    return {"id": s.id, "org_unit": s.org_unit, "org_unit_name": s.org_unit_name, "source": s.source,
            "disease": s.disease, "method": s.method, "window_start": s.window_start.isoformat(),
            "window_end": s.window_end.isoformat(), "first_alarm": s.first_alarm.isoformat(),
            "observed": s.observed, "threshold": s.threshold, "fixed_threshold": s.fixed_threshold,
            "response_hours_limit": s.response_hours, "status": s.status, "status_label": Status(s.status).label,
            "issued_at": s.issued_at.isoformat(), "issued_by": s.issued_by,
            "responded_at": s.responded_at.isoformat() if s.responded_at else None, "suspected": s.suspected,
            "outcome": s.outcome, "alarm_days": [d.isoformat() for d in s.alarm_days],
            "steps": [{"from": st.from_status, "to": st.to_status, "at": st.at.isoformat(), "user": st.user,
                       "note": st.note} for st in s.steps]}


@app.command("signals")
def signals(ctx: typer.Context,
            period: Annotated[str | None, typer.Option(help="首次报警所在期间，如 2024Q3 / period")] = None,
            status: Annotated[str | None, typer.Option(help="new|verifying|dismissed|suspected|handled|closed")] = None,
            org: Annotated[str | None, typer.Option("--org", help="组织机构（含下级）/ org unit and below")] = None,
            disease: Annotated[str | None, typer.Option(help="病种代码 / disease code")] = None,
            format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """列出预警信号 / list signals."""
    from healthplan.store import registry
    from healthplan.surveillance.lifecycle import Status

    chosen = _period(period) if period else None
    wanted = Status.from_text(status).value if status else None
    with context_of(ctx).ready().sessions() as session:
        units = None
        if org is not None:
            areas = registry.list_areas(session)
            children: dict[str | None, list[str]] = {}
            for a in areas:
                children.setdefault(a.parent_code, []).append(a.code)
            units, todo = [], [org]
            while todo:
                code = todo.pop()
                units.append(code)
                todo += children.get(code, [])
        found = store.find_signals(session, first=chosen.start if chosen else None,
                                   last=chosen.end if chosen else None, status=wanted, org_units=units,
                                   disease=disease)
    if format is Format.JSON:
        print_json([signal_json(s) for s in found])
        return
    table = Table(title=f"预警信号 / signals（{len(found)}）")
    for column in ("编号", "地区", "来源", "病种", "方法", "首次报警", "观察值", "阈值", "状态", "发出", "响应"):
        table.add_column(column, overflow="fold")
    for s in found:
        table.add_row(str(s.id), s.org_unit_name, s.source, s.disease, s.method, s.first_alarm.isoformat(),
                      f"{s.observed:g}", "—" if s.threshold is None else f"{s.threshold:.2f}",
                      Status(s.status).label, f"{s.issued_at:%m-%d %H:%M}",
                      f"{s.responded_at:%m-%d %H:%M}" if s.responded_at else "—")
    console.print(table)


@app.command("show")
def show(ctx: typer.Context, signal_id: int, format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """显示一个信号及其处置过程 / show a signal with its steps."""
    with context_of(ctx).ready().sessions() as session:
        signal = store.get_signal(session, signal_id)
    data = signal_json(signal)
    if format is Format.JSON:
        print_json(data)
        return
    for key, value in data.items():
        if key != "steps":
            console.print(f"{key}: {value}", markup=False)
    for step in signal.steps:
        console.print(f"  {step.at:%Y-%m-%d %H:%M} {step.user}: {step.from_status} → {step.to_status} {step.note}",
                      markup=False)


@app.command("respond")
def respond(ctx: typer.Context, signal_id: int,
            to: Annotated[str, typer.Option("--to", help="verifying|dismissed|suspected|handled|closed 或中文")],
            note: Annotated[str, typer.Option(help="处置说明 / note")] = "",
            outcome: Annotated[str | None, typer.Option(help="结论 / outcome")] = None,
            at: Annotated[str | None, typer.Option(help="发生时间（默认现在），如 2024-07-17T09:30")] = None,
            format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """推进信号处置：新发→核实中→排除/疑似事件→已处置/关闭 / move a signal to its next status."""
    from healthplan.surveillance.lifecycle import Move, Status
    from healthplan.surveillance.lifecycle import respond as apply

    try:
        target = Status.from_text(to)
    except ValueError:
        raise HealthplanError(f"未知状态“{to}”，可选：{Status.choices()}", f"unknown status {to!r}: {Status.choices()}") from None
    when = None
    if at is not None:
        try:
            when = dt.datetime.fromisoformat(at)
        except ValueError:
            raise HealthplanError(f"--at 应为时间，如 2024-07-17T09:30，得到“{at}”",
                                  f"--at must be a time such as 2024-07-17T09:30, got {at!r}") from None
    c = context_of(ctx)
    (signal,) = apply(c.ready(), [Move(signal_id, target, when, note, outcome)], c.user)
    if format is Format.JSON:
        print_json(signal_json(signal))
        return
    console.print(f"信号 {signal.id}：{Status(signal.status).label} / signal {signal.id}: {signal.status}")


@app.command("events")
def events(ctx: typer.Context,
           period: Annotated[str | None, typer.Option(help="期间 / period")] = None,
           format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """列出多点触发事件 / list multi-point events."""
    chosen = _period(period) if period else None
    with context_of(ctx).ready().sessions() as session:
        found = store.find_events(session, first=chosen.start if chosen else None, last=chosen.end if chosen else None)
    data = [{"id": e.id, "rule": e.rule, "org_unit": e.org_unit, "org_unit_name": e.org_unit_name,
             "window_start": e.window_start.isoformat(), "window_end": e.window_end.isoformat(),
             "created_at": e.created_at.isoformat(), "signals": list(e.signal_ids)} for e in found]
    if format is Format.JSON:
        print_json(data)
        return
    table = Table(title=f"多点触发事件 / multi-point events（{len(found)}）")
    for column in ("编号", "规则", "地区", "时间窗", "信号"):
        table.add_column(column, overflow="fold")
    for e in found:
        table.add_row(str(e.id), e.rule, e.org_unit_name, f"{e.window_start}–{e.window_end}",
                      ", ".join(map(str, e.signal_ids)))
    console.print(table)


@app.command("metrics")
def metrics(ctx: typer.Context,
            period: Annotated[str, typer.Option(help="期间，如 2024Q1 / period")],
            org: Annotated[str | None, typer.Option("--org", help="组织机构（含下级）/ org unit and below")] = None,
            write: Annotated[bool, typer.Option("--write/--no-write", help="写入 surv.* 数据值 / store as data values")] = True,
            format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """响应指标：信号数、响应率、及时响应率、响应时间 / response metrics per area."""
    from healthplan.surveillance.metrics import compute_metrics, write_metrics

    c = context_of(ctx)
    found = compute_metrics(c.ready(), _period(period), org)
    if write:
        changes = write_metrics(c.database, found, c.user)
        if format is not Format.JSON:
            report(changes, "surv.* 数据值")
    if format is Format.JSON:
        print_json([m.to_json() for m in found])
        return
    table = Table(title=f"预警响应指标 {period} / response metrics")
    for column in ("地区", "信号", "响应率%", "及时响应率%", "响应时间中位数(时)", "四分位距", "疑似事件%"):
        table.add_column(column)

    def show(v: float | None) -> str:
        return "—" if v is None else f"{v:g}"

    for m in found:
        iqr = "—" if m.q1_hours is None else f"{m.q1_hours:g}–{m.q3_hours:g}"
        table.add_row(m.name, str(m.signals), show(m.response_rate), show(m.timely_rate), show(m.median_hours), iqr,
                      show(m.suspected_share))
    console.print(table)


@app.command("evaluate")
def evaluate(frequency: Annotated[str, typer.Option(help="daily|weekly")] = "daily",
             method: Annotated[list[str] | None, typer.Option("--method", help="METHOD[:NAME=VALUE;…]，可重复")] = None,
             k: Annotated[str, typer.Option(help="暴发规模（基线标准差倍数），逗号分隔")] = "2,3,5",
             series: Annotated[int, typer.Option(help="每种规模模拟的序列数")] = 100,
             seed: Annotated[int, typer.Option()] = 1,
             phi: Annotated[float, typer.Option(help="离散度 / dispersion")] = 1.5,
             theta: Annotated[float | None, typer.Option(help="基线对数均值 / log baseline mean")] = None,
             format: Annotated[Format, typer.Option("--format")] = Format.TABLE) -> None:
    """模拟评价（Noufaily 2013）：各方法的误报率与检出概率 / false-positive rate and probability of detection."""
    from healthplan.surveillance.evaluation import DEFAULT_DAILY, DEFAULT_WEEKLY, Candidate
    from healthplan.surveillance.evaluation import evaluate as run_evaluation
    from healthplan.surveillance.synthetic import Scenario

    if frequency not in ("daily", "weekly"):
        raise HealthplanError("--frequency 应为 daily 或 weekly", "--frequency must be daily or weekly")
    daily = frequency == "daily"
    scenario = Scenario(theta=theta if theta is not None else (0.0 if daily else 1.5), phi=phi,
                        freq=365 if daily else 52)
    candidates = [Candidate.parse(m) for m in (method or (DEFAULT_DAILY if daily else DEFAULT_WEEKLY))]
    try:
        sizes = [float(v) for v in k.split(",")]
        scores = run_evaluation(candidates, scenario, sizes, series=series, seed=seed)
    except ValueError as exc:
        raise HealthplanError(f"无法评价：{exc}", f"cannot evaluate: {exc}") from None
    if format is Format.JSON:
        print_json({"frequency": frequency, "series": series, "seed": seed, "phi": phi, "theta": scenario.theta,
                    "results": [s.to_json() for s in scores]})
        return
    table = Table(title=f"模拟评价 / simulated evaluation（{frequency}，{series} 条序列，seed {seed}）")
    for column in ("方法", "k", "误报率 FPR", "检出概率 POD"):
        table.add_column(column, overflow="fold")
    for s in scores:
        table.add_row(s.label, f"{s.k:g}", f"{s.false_positive_rate:.4f}", f"{s.detection:.3f}")
    console.print(table)
