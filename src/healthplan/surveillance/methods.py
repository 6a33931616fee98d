"""The detection methods by name, with their parameters as R's control names in snake_case and R's defaults.

One table serves the command line (``detect series --method … --param NAME=VALUE``), the per-disease
configuration (``config/catalog.yaml``) and the daily run, so a parameter means the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from healthplan.domain.problems import HealthplanError
from healthplan.surveillance.detectors import (
    DetectorResult,
    FarringtonControl,
    cidars_fixed,
    cidars_percentile,
    cusum,
    ears,
    farrington,
)
from healthplan.surveillance.detectors.batch import (
    BatchResult,
    cidars_fixed_many,
    cidars_percentile_many,
    ears_many,
    farrington_many,
)

Params = dict[str, Any]


def _boolean(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "t", "1", "yes"):
        return True
    if value in ("false", "f", "0", "no"):
        return False
    raise ValueError(text)


def _optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def read(text: str) -> Any:
        return None if text.strip().upper() in ("NULL", "NA", "NONE", "") else parse(text)

    return read


def _pair(text: str) -> tuple[int, int]:
    first, second = (int(part) for part in text.replace("c(", "").replace(")", "").split(","))
    return first, second


def _choice(*options: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        value = text.strip().strip("\"'")
        if value not in options:
            raise ValueError(text)
        return value

    return read


@dataclass(frozen=True)
class Parameter:
    parse: Callable[[str], Any]
    default: Any
    help: str


_EARS = {
    "baseline": Parameter(int, 7, "基线长度（期数）/ number of past counts in the baseline"),
    "alpha": Parameter(_optional(float), None, "显著性水平（默认 C1/C2 为 0.001，C3 为 0.025）/ alpha"),
    "min_sigma": Parameter(float, 0.0, "标准差下限 / floor of the standard deviation"),
}
_FARRINGTON = {
    "b": Parameter(int, 5, "回溯年数 / years of history"),
    "w": Parameter(int, 3, "参照点两侧窗口半宽 / half-width of the windows"),
    "reweight": Parameter(_boolean, True, "是否对离群值降权 / down-weight outbreaks"),
    "weights_threshold": Parameter(float, 2.58, "降权阈值（Anscombe 残差）/ reweighting threshold"),
    "alpha": Parameter(float, 0.05, "显著性水平 / alpha"),
    "trend": Parameter(_boolean, True, "是否拟合趋势 / fit a trend"),
    "p_threshold_trend": Parameter(float, 0.05, "保留趋势的 p 值阈值 / p-value to keep the trend"),
    "limit54": Parameter(_pair, (5, 4), "最近 n 期至少 m 例才报警，写作 5,4 / cases,weeks"),
    "pow_trans": Parameter(_choice("2/3", "1/2", "none"), "2/3", "幂变换 / power transformation"),
    "no_periods": Parameter(int, 1, "季节因子水平数 / seasonal factor levels"),
    "past_weeks_not_included": Parameter(_optional(int), None, "不纳入拟合的最近期数（默认 w）/ recent points left out"),
    "threshold_method": Parameter(_choice("delta", "nbPlugin", "muan"), "delta", "阈值方法 / threshold method"),
}
_CUSUM = {
    "k": Parameter(float, 1.04, "参考值 / reference value"),
    "h": Parameter(float, 2.26, "决策限 / decision interval"),
    "m": Parameter(_optional(float), None, "受控均值（默认为监测期前全部计数的均值）/ in-control mean"),
}
_CIDARS = {
    "percentile": Parameter(float, 80.0, "百分位数 Px / percentile"),
    "years": Parameter(int, 3, "历史年数 N / years of history"),
    "neighbours": Parameter(int, 1, "每侧相邻时间块数 / neighbouring blocks each side"),
    "window": Parameter(int, 7, "时间块天数 / block length in days"),
    "min_cases": Parameter(float, 0.0, "时间块内最少病例数（0 为不限）/ fewest cases in the block that may signal"),
}
_FIXED = {"threshold": Parameter(float, 1.0, "固定阈值（例）/ fixed threshold (cases)")}

PARAMETERS: dict[str, dict[str, Parameter]] = {
    "ears_c1": _EARS, "ears_c2": _EARS, "ears_c3": _EARS, "farrington": _FARRINGTON, "cusum": _CUSUM,
    "cidars": _CIDARS, "fixed": _FIXED,
}
METHODS = tuple(PARAMETERS)
#: Methods the daily run can apply to daily series (CUSUM's in-control mean needs the whole past).
RUN_METHODS = ("ears_c1", "ears_c2", "ears_c3", "farrington", "cidars", "fixed")


def check_method(method: str) -> None:
    if method not in PARAMETERS:
        raise HealthplanError(f"未知的预警方法“{method}”，可选：{', '.join(METHODS)}",
                              f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def parse_params(method: str, given: Mapping[str, object]) -> Params:
    """R's defaults overridden by ``given`` (text from the command line, or YAML values)."""
    check_method(method)
    spec = PARAMETERS[method]
    params: Params = {name: p.default for name, p in spec.items()}
    for name, value in given.items():
        if name not in spec:
            raise HealthplanError(f"方法 {method} 没有参数“{name}”，可用：{', '.join(spec)}",
                                  f"method {method} has no parameter {name!r}; available: {', '.join(spec)}")
        text = ",".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
        try:
            params[name] = spec[name].parse(text)
        except ValueError:
            raise HealthplanError(f"参数 {name} 的值“{text}”无效", f"invalid value {text!r} for {name}") from None
    return params


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings as a mapping."""
    result: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise HealthplanError(f"参数应写作 NAME=VALUE：“{item}”", f"parameters are NAME=VALUE, got {item!r}")
        result[name.strip()] = value.strip()
    return result


def window_days(method: str, params: Params) -> int:
    """Days an alarm covers (the CIDARS block, one day otherwise): the days whose counts are the observation."""
    return int(params["window"]) if method == "cidars" else 1


def zero_is_quiet(method: str, params: Params) -> bool:
    """Whether an observation of 0 can never alarm, so the daily run may skip a series without a case in
    the observed days: the CIDARS percentile and EARS C3 bound are never negative, Farrington needs a
    non-zero count, a fixed threshold above 0 needs a case; EARS C1/C2 only while ``z >= 0`` (alpha <= 0.5),
    as a negative ``z`` can put ``mean + z sd`` below 0."""
    if method in ("ears_c1", "ears_c2"):
        return params["alpha"] is None or float(params["alpha"]) <= 0.5
    if method == "fixed":
        return float(params["threshold"]) > 0
    return method in ("ears_c3", "farrington", "cidars")


def farrington_control(params: Params) -> FarringtonControl:
    return replace(FarringtonControl(), **{("powertrans" if k == "pow_trans" else k): v for k, v in params.items()})


def run_series(method: str, counts: NDArray[np.float64], params: Params, *, at: NDArray[np.intp] | None,
               dates: NDArray[np.datetime64] | None, freq: int) -> DetectorResult:
    """One series through ``method``; ``at`` holds 0-based positions (None: the method's default range)."""
    check_method(method)
    if method.startswith("ears_"):
        return ears(counts, at, method=method[-2:].upper(), **params)  # type: ignore[arg-type]
    if method == "farrington":
        return farrington(counts, at, farrington_control(params), dates=dates, freq=freq)
    if method == "cusum":
        return cusum(counts, at, **params)
    if method == "fixed":
        return cidars_fixed(counts, at, **params)
    if dates is None:
        raise HealthplanError("CIDARS 方法需要日期（--start 或 date 列）", "cidars needs dates (--start or a date column)")
    return cidars_percentile(counts, dates[0].astype(dt.date), at, **params)


def run_many(method: str, counts: NDArray[np.float64], params: Params, *, at: NDArray[np.intp],
             start: dt.date) -> BatchResult:
    """Daily series (rows of ``counts``, day 0 = ``start``) through ``method`` at the positions ``at``."""
    if method.startswith("ears_"):
        return ears_many(counts, at, method=method[-2:].upper(), **params)  # type: ignore[arg-type]
    if method == "farrington":
        dates = np.datetime64(start, "D") + np.arange(counts.shape[1])
        return farrington_many(counts, at, farrington_control(params), dates=dates, freq=365)
    if method == "fixed":
        return cidars_fixed_many(counts, at, **params)
    if method == "cidars":
        return cidars_percentile_many(counts, start, at, **params)
    raise HealthplanError(f"每日预警不支持方法 {method}（可用：{', '.join(RUN_METHODS)}）",
                          f"the daily run does not support {method}; use one of {', '.join(RUN_METHODS)}")


def history_days(method: str, params: Params) -> int:
    """How many days before the evaluated day the method reads."""
    if method.startswith("ears_"):
        return int(params["baseline"]) + 4
    if method == "farrington":
        return 366 * int(params["b"]) + int(params["w"]) + 7 * int(params["limit54"][1])
    if method == "cidars":
        return 366 * int(params["years"]) + int(params["window"]) * (int(params["neighbours"]) + 1)
    return 0
