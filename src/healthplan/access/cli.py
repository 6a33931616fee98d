"""``healthplan access …`` (coverage, new sites, E2SFCA for a region) and ``healthplan locate …`` (LSCP, MCLP,
p-median from files). JSON shapes: docs/access.md."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.table import Table

from healthplan.access import maps
from healthplan.access.cost_files import read_costs, read_weights
from healthplan.access.coverage import Coverage, assess, count_sites
from healthplan.access.e2sfca import DEFAULT_ZONES, e2sfca
from healthplan.access.population import (
    Demand,
    grid_demand,
    read_boundaries,
    shipped_boundaries,
    township_demand,
)
from healthplan.access.region import Region, Site, load_region, select_sites, site_places
from healthplan.access.roads import read_network
from healthplan.access.sites import propose
from healthplan.access.siting import SitingResult, SolverOptions, lscp, mclp, p_median, parse_orlib_pmedian
from healthplan.access.standards import Standard, Standards, load_standards
from healthplan.access.travel import GreatCircle, TravelModel
from healthplan.clikit import Format, console, context_of, print_json
from healthplan.domain.geo import MultiPolygon
from healthplan.domain.problems import HealthplanError, Problem, ValidationFailed
from healthplan.engine.analytics import Analytics

app = typer.Typer(help="服务可及性：覆盖人口、最近距离、E2SFCA、新址选择 / spatial access", no_args_is_help=True)
locate_app = typer.Typer(help="精确选址（HiGHS）：LSCP、MCLP、p-median / exact site selection", no_args_is_help=True)


class Level(StrEnum):
    TOWNSHIP = "township"
    GRID = "grid"


class Model(StrEnum):
    MCLP = "mclp"
    LSCP = "lscp"


class Bound(StrEnum):
    STRICT = "strict"
    LENIENT = "lenient"


StandardOption = Annotated[str, typer.Option("--standard", help="标准代码（见 healthplan access standards）")]
YearOption = Annotated[int | None, typer.Option(help="年份（默认最新有数据的年份）/ year")]
LevelOption = Annotated[Level, typer.Option(help="需求点：乡镇驻地或人口网格 / demand points")]
CellOption = Annotated[float, typer.Option("--cell-km", help="网格边长（公里）/ grid cell size")]
NetworkOption = Annotated[Path | None, typer.Option(help="路网（.geojson/.osm/.gpkg）；不给则按直线×绕行系数")]
CircuityOption = Annotated[float | None, typer.Option(help="绕行系数（默认见标准文件，1.3）/ circuity factor")]
StandardsOption = Annotated[Path | None, typer.Option("--standards", help="可及性标准文件（YAML）")]
BoundariesOption = Annotated[Path | None, typer.Option(help="县级边界 GeoJSON（默认示范数据中的边界）")]
FacilitiesOption = Annotated[str | None, typer.Option(help="机构筛选条件（表达式语言），替代标准中的定义")]
FormatOption = Annotated[Format, typer.Option("--format")]
OutOption = Annotated[Path | None, typer.Option(help="输出目录：写出 .json、.geojson 和 .png / output folder")]


@dataclass
class Setting:
    """Everything an access command works on."""

    region: Region
    analytics: Analytics
    standards: Standards
    travel: TravelModel
    demand: Demand
    boundaries: dict[str, MultiPolygon]


def _setting(ctx: typer.Context, code: str, year: int | None, level: Level, cell_km: float, network: Path | None,
             circuity: float | None, standards_file: Path | None, boundaries_file: Path | None) -> Setting:
    database = context_of(ctx).ready()
    analytics = Analytics(database)
    analytics.load()
    chosen = year if year is not None else max((p.start.year for p in analytics.periods.values()), default=None)
    if chosen is None:
        raise HealthplanError("数据库中没有数据", "the database holds no data")
    standards = load_standards(standards_file)
    if circuity is not None:
        if circuity < 1:
            raise HealthplanError("绕行系数须 ≥ 1", "the circuity factor must be at least 1")
        standards = replace(standards, travel=replace(standards.travel, circuity=circuity))
    region = load_region(database, analytics, code, chosen)
    travel: TravelModel = (read_network(network, standards.travel) if network is not None
                           else GreatCircle(standards.travel))
    counties = sorted({s.county for s in region.seats})
    boundaries = (read_boundaries(boundaries_file) if boundaries_file is not None
                  else shipped_boundaries(counties))
    boundaries = {k: v for k, v in boundaries.items() if k in counties}
    demand = grid_demand(region, boundaries, cell_km) if level is Level.GRID else township_demand(region)
    return Setting(region, analytics, standards, travel, demand, boundaries)


def _coverage(setting: Setting, standard: Standard, facilities: str | None) -> Coverage:
    sites = select_sites(setting.analytics, setting.region, facilities or standard.facilities)
    if standard.measure == "count":
        return count_sites(standard, township_demand(setting.region), sites, setting.region)
    cost = setting.travel.matrix(setting.demand.places, site_places(sites), standard.measure)
    return assess(standard, setting.demand, sites, cost, setting.region, setting.travel)


@app.command("standards")
def list_standards(standards_file: StandardsOption = None, format: FormatOption = Format.TABLE) -> None:
    """列出可及性标准 / list the access standards."""
    standards = load_standards(standards_file)
    if format is Format.JSON:
        print_json({"source": standards.source, "circuity": standards.travel.circuity,
                    "standards": [s.to_json() for s in standards.standards.values()]})
        return
    table = Table(title="可及性标准")
    for column in ("代码", "名称", "标准", "计入的机构", "出处", "核对"):
        table.add_column(column, overflow="fold")
    for s in standards.standards.values():
        limits = (f"每个乡镇 ≥ {s.minimum}" if s.measure == "count" else "；".join(
            f"{k.label} ≤ {v.strict:g}" + (f"–{v.lenient:g}" if v.lenient != v.strict else "") + s.unit
            for k, v in s.limits.items()))
        table.add_row(s.code, s.name, limits, s.facilities_label, s.document, s.status)
    console.print(table)


@app.command("coverage")
def coverage_command(ctx: typer.Context, code: Annotated[str, typer.Argument(help="区域代码 / area code")],
                     standard: StandardOption = "emergency", year: YearOption = None,
                     level: LevelOption = Level.TOWNSHIP, cell_km: CellOption = 1.0, network: NetworkOption = None,
                     circuity: CircuityOption = None, standards_file: StandardsOption = None,
                     boundaries: BoundariesOption = None, facilities: FacilitiesOption = None,
                     format: FormatOption = Format.TABLE, out: OutOption = None) -> None:
    """覆盖人口与最近距离：各县(市、区)达到/未达到标准的人口，超出服务半径的乡镇。"""
    setting = _setting(ctx, code, year, level, cell_km, network, circuity, standards_file, boundaries)
    result = _coverage(setting, setting.standards.get(standard), facilities)
    data = {"region": code, "year": setting.region.year, "notes": list(setting.region.notes), **result.to_json()}
    if out is not None:
        _write(out, f"{code}-{standard}-{result.demand.level}", data, result, setting.boundaries,
               f"{setting.region.scope.name}{result.standard.name}覆盖（{setting.region.year}年）")
    if format is Format.JSON:
        print_json(data)
        return
    _print_coverage(result)


@app.command("sites")
def sites_command(ctx: typer.Context, code: Annotated[str, typer.Argument(help="区域代码 / area code")],
                  standard: StandardOption = "emergency", year: YearOption = None,
                  model: Annotated[Model, typer.Option(help="mclp：新增 N 处覆盖人口最多；lscp：最少新址覆盖全部")] =
                  Model.MCLP,
                  new: Annotated[int, typer.Option("--new", help="MCLP 新增站点数 / new sites")] = 3,
                  bound: Annotated[Bound, typer.Option(help="按较宽（如农村20公里）或较严（10公里）标准")] =
                  Bound.LENIENT,
                  candidates: Annotated[str | None, typer.Option(help="候选机构筛选条件（默认见标准）")] = None,
                  level: LevelOption = Level.TOWNSHIP, cell_km: CellOption = 1.0, network: NetworkOption = None,
                  circuity: CircuityOption = None, standards_file: StandardsOption = None,
                  boundaries: BoundariesOption = None, facilities: FacilitiesOption = None,
                  time_limit: Annotated[float | None, typer.Option(help="求解时间上限（秒）")] = None,
                  format: FormatOption = Format.TABLE, out: OutOption = None) -> None:
    """新址选择：现有机构保持不变，MCLP 选出最优的 N 处新址，或 LSCP 求覆盖全部人口的最少新址。"""
    if new < 0:
        raise HealthplanError("--new 须 ≥ 0", "--new must be non-negative")
    setting = _setting(ctx, code, year, level, cell_km, network, circuity, standards_file, boundaries)
    the_standard = setting.standards.get(standard)
    existing = select_sites(setting.analytics, setting.region, facilities or the_standard.facilities)
    filter_text = candidates or the_standard.candidates
    if not filter_text:
        raise HealthplanError(f"标准“{standard}”没有定义候选机构，请用 --candidates 给出",
                              f"standard {standard!r} names no candidates; give --candidates")
    pool = select_sites(setting.analytics, setting.region, filter_text)
    proposal = propose(the_standard, setting.demand, existing, pool, setting.travel, setting.region,
                       model=model.value, new_sites=new, bound=bound.value,
                       options=SolverOptions(time_limit=time_limit))
    data = {"region": code, "year": setting.region.year, **proposal.to_json()}
    if out is not None:
        _write(out, f"{code}-{standard}-{model.value}", data, proposal.after, setting.boundaries,
               f"{setting.region.scope.name}{the_standard.name}：建议新址（{model.value.upper()}）", proposal.new)
    if format is Format.JSON:
        print_json(data)
        return
    table = Table(title=f"建议新址（{model.value.upper()}，现有 {len(existing)} 处保持不变）")
    for column in ("机构", "所在区域", "经度", "纬度"):
        table.add_column(column)
    for site in proposal.new:
        table.add_row(site.name, setting.region.areas[site.part].name if site.part in setting.region.areas else "",
                      f"{site.lon:.4f}", f"{site.lat:.4f}")
    console.print(table)
    console.print(f"覆盖人口 {data['covered_before']:,} → {data['covered_after']:,}（+{data['gain']:,}，共 "
                  f"{data['population']:,} 人）；求解状态 {data['status']}，MIP gap {proposal.solve.mip_gap:.2g}，"
                  f"{data['seconds']} 秒")
    _print_coverage(proposal.after)


@app.command("scores")
def scores_command(ctx: typer.Context, code: Annotated[str, typer.Argument(help="区域代码 / area code")],
                   supply: Annotated[str, typer.Option(help="供给：机构的数据元（床位、医师…）")] = "beds.actual",
                   facilities: Annotated[str, typer.Option(help="计入的机构（表达式语言的筛选条件）")] = "hospital",
                   measure: Annotated[str, typer.Option(help="minutes 或 km")] = "minutes",
                   zones: Annotated[str, typer.Option(help="分区上限:权重，逗号分隔")] = "10:1,20:0.68,30:0.22",
                   year: YearOption = None, level: LevelOption = Level.TOWNSHIP, cell_km: CellOption = 1.0,
                   network: NetworkOption = None, circuity: CircuityOption = None,
                   standards_file: StandardsOption = None, boundaries: BoundariesOption = None,
                   format: FormatOption = Format.TABLE, out: OutOption = None) -> None:
    """E2SFCA 可及性得分：每千人口可及的供给量（如床位），按县(市、区)人口加权汇总。"""
    if measure not in ("minutes", "km"):
        raise HealthplanError("--measure 只能是 minutes 或 km", "--measure is minutes or km")
    steps = parse_zones(zones)
    setting = _setting(ctx, code, year, level, cell_km, network, circuity, standards_file, boundaries)
    sites = [s for s in select_sites(setting.analytics, setting.region, facilities, supply) if s.supply]
    if not sites:
        raise HealthplanError(f"没有符合条件且有 {supply} 数据的机构", f"no facility with {supply} matches")
    cost = setting.travel.matrix(setting.demand.places, site_places(sites), "minutes" if measure == "minutes"
                                 else "km")
    score = e2sfca(cost, setting.demand.population, [s.supply or 0.0 for s in sites], steps) * 1000
    data = _scores_json(setting, sites, score, supply, measure, steps)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{code}-e2sfca.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    if format is Format.JSON:
        print_json(data)
        return
    element = setting.analytics.elements.get(supply)
    table = Table(title=f"E2SFCA 可及性（每千人口可及{element.name if element else supply}）")
    for column in ("区域", "人口", "加权平均", "最低", "最高"):
        table.add_column(column)
    for area in data["areas"]:
        table.add_row(area["name"], f"{area['population']:,}", _fmt(area["mean"]), _fmt(area["min"]),
                      _fmt(area["max"]))
    console.print(table)


def parse_zones(text: str) -> list[tuple[float, float]]:
    """``10:1,20:0.68,30:0.22`` → [(10, 1.0), (20, 0.68), (30, 0.22)]."""
    try:
        steps = [(float(a), float(b)) for a, b in (part.split(":") for part in text.split(",") if part.strip())]
    except ValueError:
        raise HealthplanError(f"分区写法有误：{text}（应如 10:1,20:0.68,30:0.22）",
                              f"bad zones {text!r} (e.g. 10:1,20:0.68,30:0.22)") from None
    return steps or list(DEFAULT_ZONES)


def _scores_json(setting: Setting, sites: list[Site], score: Any, supply: str, measure: str,
                 steps: list[tuple[float, float]]) -> dict[str, Any]:
    demand = setting.demand
    parts = np.array([s.part for s in demand.seat])
    areas = []
    for part in [*setting.region.parts, setting.region.scope]:
        mask = np.ones(len(demand), dtype=np.bool_) if part is setting.region.scope else parts == part.code
        weight = demand.population[mask]
        if not mask.any() or weight.sum() <= 0:
            continue
        areas.append({"code": part.code, "name": part.name, "population": round(float(weight.sum())),
                      "mean": round(float(np.average(score[mask], weights=weight)), 4),
                      "min": round(float(score[mask].min()), 4), "max": round(float(score[mask].max()), 4)})
    return {"region": setting.region.scope.code, "year": setting.region.year, "supply": supply, "measure": measure,
            "zones": [{"to": b, "weight": w} for b, w in steps], "per": 1000, "distance_method": setting.travel.method, "travel": setting.travel.describe(),
            "demand": demand.describe(), "facilities": [s.to_json() for s in sites], "areas": areas,
            "points": [{"id": demand.ids[i], "township": demand.seat[i].code, "population":
                        round(float(demand.population[i]), 1), "score": round(float(score[i]), 4)}
                       for i in range(len(demand))]}


def _write(folder: Path, stem: str, data: dict[str, Any], coverage: Coverage, boundaries: dict[str, MultiPolygon],
           title: str, proposed: tuple[Site, ...] = ()) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / f"{stem}.geojson").write_text(json.dumps(maps.geojson(coverage, boundaries, proposed),
                                                       ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (folder / f"{stem}.png").write_bytes(maps.png(coverage, boundaries, title, proposed))
    print(f"已写出 / written: {folder / stem}.json .geojson .png", file=sys.stderr)


def _print_coverage(result: Coverage) -> None:
    s = result.standard
    table = Table(title=f"{s.name}（{s.status}）", caption=result.travel.split(" / ")[0])
    for column in ("区域", "评估人口", "达到较宽标准", "未达到", "覆盖率(%)", "达到较严标准", f"中位距离({s.unit})",
                   f"90%分位({s.unit})", f"最远({s.unit})"):
        table.add_column(column)
    for a in result.areas:
        table.add_row(a.name, f"{a.population:,.0f}", f"{a.covered:,.0f}", f"{a.not_covered:,.0f}",
                      _fmt(a.share), f"{a.covered_strict:,.0f}", _fmt(a.median), _fmt(a.p90), _fmt(a.maximum))
    console.print(table)
    beyond = result.beyond()
    if beyond:
        console.print(f"超出较宽标准的乡镇(街道) {len(beyond)} 个：" + "、".join(
            f"{b.name}（{_fmt(b.distance)}，标准≤{b.lenient:g}{s.unit}）" for b in beyond))
    strict_only = [b for b in result.beyond(strict=True) if b.beyond == 0]
    if strict_only:
        console.print(f"在较宽与较严标准之间的乡镇(街道) {len(strict_only)} 个：" + "、".join(b.name for b in strict_only))


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


# ---- locate: site selection from files -----------------------------------------------------------------


CostOption = Annotated[Path | None, typer.Option("--cost", help="成本表 CSV/Excel（长表或矩阵）")]
DemandOption = Annotated[Path | None, typer.Option("--demand", help="需求表 CSV/Excel（编号、权重）")]
FixedOption = Annotated[list[str] | None, typer.Option("--fixed", help="保持开放的现有候选点（可重复或逗号分隔）")]
IdColumn = Annotated[str | None, typer.Option("--id-column", help="需求表编号列名")]
WeightColumn = Annotated[str | None, typer.Option("--weight-column", help="需求表权重列名")]
CostColumns = Annotated[str | None, typer.Option("--cost-columns", help="长表列名：需求点,候选点,成本")]
TimeLimit = Annotated[float | None, typer.Option("--time-limit", help="求解时间上限（秒）")]


@dataclass(frozen=True, eq=False)
class _Problem:
    cost: Any
    weights: Any
    demand: tuple[str, ...]
    candidates: tuple[str, ...]
    fixed: list[int]


def _load_problem(cost: Path | None, demand: Path | None, fixed: list[str] | None, id_column: str | None,
                  weight_column: str | None, cost_columns: str | None) -> _Problem:
    if cost is None or demand is None:
        raise HealthplanError("须同时给出 --cost 和 --demand", "give both --cost and --demand")
    table = read_costs(cost, cost_columns.split(",") if cost_columns else None)
    weights = read_weights(demand, table, id_column, weight_column)
    names = [n.strip() for item in fixed or [] for n in item.split(",") if n.strip()]
    unknown = [n for n in names if n not in table.candidates]
    if unknown:
        raise ValidationFailed([Problem(f"--fixed 中的候选点不在成本表中：{'、'.join(unknown)}",
                                        f"--fixed names unknown candidates: {', '.join(unknown)}", cost.name)])
    return _Problem(table.cost, weights, table.demand, table.candidates,
                    [table.candidates.index(n) for n in names])


def _result_json(result: SitingResult, problem: _Problem, p: int | None) -> dict[str, Any]:
    def names(indices: tuple[int, ...]) -> list[str]:
        return [problem.candidates[j] for j in indices]

    finite = np.isfinite(result.service_distance)
    return {
        "model": result.model, "p": p if p is not None else len(result.sites), "objective": result.objective,
        "sites": names(result.sites), "new_sites": names(result.new_sites), "fixed_sites": names(result.fixed_sites),
        "seconds": round(result.total_seconds, 4), "gap": result.mip_gap, "status": result.status,
        "optimal": result.optimal, "dual_bound": result.dual_bound,
        "radius": float(result.service_distance) if finite else None,
        "covered_weight": result.covered_weight if finite else None, "total_weight": result.total_weight,
        "uncovered": [problem.demand[i] for i in np.flatnonzero(~result.covered)] if finite else None,
        "uncoverable": [problem.demand[i] for i in result.uncoverable] if finite else None,
        "formulation": result.formulation, "warm_start_objective": result.warm_start_objective,
    }


def _report(data: dict[str, Any], format: Format) -> None:
    if format is Format.JSON:
        print_json(data)
        return
    table = Table(title=f"{data['model']}：{data['status']}（MIP gap {data['gap']:.2g}，{data['seconds']} 秒）")
    table.add_column("项目")
    table.add_column("结果", overflow="fold")
    for key in ("p", "objective", "sites", "new_sites", "fixed_sites", "covered_weight", "total_weight"):
        if data.get(key) is not None:
            value = data[key]
            table.add_row(key, "、".join(map(str, value)) if isinstance(value, list) else f"{value:,.2f}"
                          if isinstance(value, float) else str(value))
    console.print(table)


@locate_app.command("pmedian")
def locate_pmedian(instance: Annotated[Path | None, typer.Option(help="OR-Library p-median 实例文件")] = None,
                   cost: CostOption = None, demand: DemandOption = None,
                   p: Annotated[int | None, typer.Option("--p", help="开放站点总数（含现有）")] = None,
                   radius: Annotated[float | None, typer.Option(help="仅用于报告覆盖情况的服务半径")] = None,
                   fixed: FixedOption = None, id_column: IdColumn = None, weight_column: WeightColumn = None,
                   cost_columns: CostColumns = None, time_limit: TimeLimit = None,
                   format: FormatOption = Format.TABLE) -> None:
    """p-median：开放 p 处（含现有），使加权总距离最小。"""
    options = SolverOptions(time_limit=time_limit)
    if instance is not None:
        try:
            orlib = parse_orlib_pmedian(instance.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationFailed([Problem("无法读取 OR-Library 实例", f"cannot read the OR-Library instance: {exc}",
                                            str(instance))]) from None
        result = p_median(orlib.cost_matrix(), p if p is not None else orlib.p, options=options)
        data = {"instance": instance.stem, "p": p if p is not None else orlib.p, "objective": result.objective,
                "sites": [j + 1 for j in result.sites], "seconds": round(result.total_seconds, 4),
                "gap": result.mip_gap, "status": result.status, "optimal": result.optimal}
        if format is Format.JSON:
            print_json(data)
        else:
            _report({**data, "model": "p-median"}, format)
        return
    if p is None:
        raise HealthplanError("须给出 --p", "give --p")
    problem = _load_problem(cost, demand, fixed, id_column, weight_column, cost_columns)
    result = p_median(problem.cost, p, weights=problem.weights, fixed=problem.fixed,
                      service_distance=radius if radius is not None else np.inf, options=options)
    _report(_result_json(result, problem, p), format)


@locate_app.command("mclp")
def locate_mclp(cost: CostOption = None, demand: DemandOption = None,
                p: Annotated[int, typer.Option("--p", help="开放站点总数（含现有）")] = 1,
                radius: Annotated[float, typer.Option(help="服务半径（与成本同单位）")] = 0.0,
                fixed: FixedOption = None, id_column: IdColumn = None, weight_column: WeightColumn = None,
                cost_columns: CostColumns = None, time_limit: TimeLimit = None,
                format: FormatOption = Format.TABLE) -> None:
    """MCLP：开放 p 处（含现有），使半径内的需求最多。"""
    problem = _load_problem(cost, demand, fixed, id_column, weight_column, cost_columns)
    result = mclp(problem.cost, radius, p, weights=problem.weights, fixed=problem.fixed,
                  options=SolverOptions(time_limit=time_limit))
    _report(_result_json(result, problem, p), format)


@locate_app.command("lscp")
def locate_lscp(cost: CostOption = None, demand: DemandOption = None,
                p: Annotated[int | None, typer.Option("--p", help="LSCP 不使用：站点数由模型求出")] = None,
                radius: Annotated[float, typer.Option(help="服务半径（与成本同单位）")] = 0.0,
                fixed: FixedOption = None, id_column: IdColumn = None, weight_column: WeightColumn = None,
                cost_columns: CostColumns = None, time_limit: TimeLimit = None,
                format: FormatOption = Format.TABLE) -> None:
    """LSCP：在现有站点之外，用最少的站点使所有可覆盖的需求都在半径内。"""
    problem = _load_problem(cost, demand, fixed, id_column, weight_column, cost_columns)
    result = lscp(problem.cost, radius, weights=problem.weights, fixed=problem.fixed,
                  options=SolverOptions(time_limit=time_limit))
    _report(_result_json(result, problem, None), format)
