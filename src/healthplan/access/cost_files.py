"""Reading a location problem from files: a cost table (long or wide) and demand weights.

Why both layouts: routing tools export long tables (one row per origin–destination pair, e.g. spopt's
San Francisco data ``distance,name,DestinationName``), spreadsheets hold matrices (demand points down, candidates
across). Columns are recognised by common names or given explicitly; every bad cell is reported as
file:row:column, and a pair missing from a long table means "cannot reach" (infinite cost).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.tabular.tables import read_raw

DEMAND_ID = ("demand_id", "origin", "destinationname", "需求点", "demand")
CANDIDATE_ID = ("candidate_id", "candidate", "destination", "facility", "site", "候选点", "name")
COST = ("cost", "distance", "time", "minutes", "km", "距离", "时间")
ID = ("id", "code", "name", "编码", "代码", "名称")
WEIGHT = ("weight", "population", "pop", "pop2000", "demand", "人口", "权重")


@dataclass(frozen=True, eq=False)
class CostTable:
    demand: tuple[str, ...]
    candidates: tuple[str, ...]
    cost: NDArray[np.float64]  # demand × candidates, inf where no cost was given


def _pick(header: Sequence[str], names: Sequence[str], chosen: str | None) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in [chosen] if chosen else names:
        if name and name.lower() in lowered:
            return lowered.index(name.lower())
    return None


def _number(text: str, source: str, row: int, column: int, problems: list[Problem]) -> float | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        problems.append(Problem(f"“{text}”不是数字", f"{text!r} is not a number", source, row, column))
        return None
    if not np.isfinite(value) or value < 0:
        problems.append(Problem(f"“{text}”须为非负数", f"{text!r} must be a non-negative number", source, row, column))
        return None
    return value


def read_costs(path: Path, columns: Sequence[str] | None = None) -> CostTable:
    """A long table when demand, candidate and cost columns are found (or named in ``columns``), else a matrix."""
    raw = read_raw(path)
    source = path.name
    if len(raw) < 2:
        raise ValidationFailed([Problem("成本表为空", "the cost table is empty", source, 1)])
    header = raw[0]
    wanted = list(columns) if columns else [None, None, None]
    if columns and len(columns) != 3:
        raise ValidationFailed([Problem("--cost-columns 须为 需求点,候选点,成本 三列", "--cost-columns needs "
                                        "demand,candidate,cost", source)])
    found = [_pick(header, names, chosen) for names, chosen in zip((DEMAND_ID, CANDIDATE_ID, COST), wanted,
                                                                   strict=True)]
    if all(i is not None for i in found) and len(set(found)) == 3:
        return _long(raw, source, *(int(i) for i in found if i is not None))
    if columns:
        raise ValidationFailed([Problem(f"找不到列 {', '.join(columns)}", f"columns {list(columns)} not found",
                                        source, 1)])
    return _wide(raw, source)


def _long(raw: list[list[str]], source: str, d: int, c: int, k: int) -> CostTable:
    problems: list[Problem] = []
    demand: dict[str, int] = {}
    candidates: dict[str, int] = {}
    entries: list[tuple[int, int, float]] = []
    for row, values in enumerate(raw[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if max(d, c, k) >= len(values):
            problems.append(Problem("缺少列", "missing cells", source, row))
            continue
        value = _number(values[k], source, row, k + 1, problems)
        if value is None:
            continue
        i = demand.setdefault(values[d].strip(), len(demand))
        j = candidates.setdefault(values[c].strip(), len(candidates))
        entries.append((i, j, value))
    if problems:
        raise ValidationFailed(problems)
    cost = np.full((len(demand), len(candidates)), np.inf)
    for i, j, value in entries:
        cost[i, j] = value  # a repeated pair: the last one wins
    return CostTable(tuple(demand), tuple(candidates), cost)


def _wide(raw: list[list[str]], source: str) -> CostTable:
    header = [h.strip() for h in raw[0]]
    problems: list[Problem] = []
    ids: list[str] = []
    rows: list[list[float]] = []
    for row, values in enumerate(raw[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        ids.append(values[0].strip())
        numbers = []
        for col in range(1, len(header)):
            text = values[col].strip() if col < len(values) else ""
            number = np.inf if text == "" else _number(text, source, row, col + 1, problems)
            numbers.append(np.inf if number is None else number)
        rows.append(numbers)
    if problems:
        raise ValidationFailed(problems)
    if len(header) < 2:
        raise ValidationFailed([Problem("成本矩阵至少需要一列候选点", "the cost matrix needs a candidate column",
                                        source, 1)])
    return CostTable(tuple(ids), tuple(header[1:]), np.array(rows, dtype=np.float64))


def read_weights(path: Path, table: CostTable, id_column: str | None = None,
                 weight_column: str | None = None) -> NDArray[np.float64]:
    """Demand weights in the order of ``table.demand``; every demand point of the cost table needs one."""
    raw = read_raw(path)
    source = path.name
    if not raw:
        raise ValidationFailed([Problem("需求表为空", "the demand table is empty", source, 1)])
    i = _pick(raw[0], ID, id_column)
    w = _pick(raw[0], WEIGHT, weight_column)
    if i is None or w is None or i == w:
        raise ValidationFailed([Problem("需求表须有编号列和权重列（可用 --id-column/--weight-column 指定）",
                                        "the demand table needs an id and a weight column (--id-column, "
                                        "--weight-column)", source, 1)])
    problems: list[Problem] = []
    weights: dict[str, float] = {}
    for row, values in enumerate(raw[1:], start=2):
        if len(values) <= max(i, w) or not values[i].strip():
            continue
        value = _number(values[w], source, row, w + 1, problems)
        if value is not None:
            weights[values[i].strip()] = value
    missing = [d for d in table.demand if d not in weights]
    if missing:
        problems.append(Problem(f"需求表缺少 {len(missing)} 个需求点的权重（如 {missing[0]}）",
                                f"no weight for {len(missing)} demand point(s), e.g. {missing[0]}", source))
    if problems:
        raise ValidationFailed(problems)
    return np.array([weights[d] for d in table.demand], dtype=np.float64)
