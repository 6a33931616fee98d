"""Farrington outbreak detection as R ``surveillance::farringtonFlexible`` computes it.

For every evaluated position a quasi-Poisson GLM is fitted to the counts of the same season in the ``b``
previous years (windows of ``±w`` around the reference points; with ``no_periods > 1`` the rest of each
year too, split into ``no_periods - 1`` blocks that enter the model as a factor).  Outbreak-like past counts
are down-weighted by their Anscombe residuals, a linear trend is kept only when significant, and the
prediction for the current point gives the threshold:

* ``"delta"`` (Farrington et al. 1996): a normal interval on the ``powertrans`` scale, delta method;
* ``"nbPlugin"`` (Noufaily et al. 2013): the ``1 - alpha`` quantile of a negative binomial with the
  predicted mean and the dispersion ``phi``;
* ``"muan"``: the same with the mean taken at the ``1 - alpha`` quantile of its estimate.

Reference points are found as R does: with ``dates`` the same calendar date ``i`` years back (29 February
becoming 1 March), moved to the nearest same weekday for weekly data (``freq == 52``); without dates
``i * freq`` positions back.  R's ``salmNewport`` has dates, so its results need them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from .glm import QuasiPoissonFit, fit_quasipoisson, pearson_dispersion
from .result import DetectorResult, FloatArray, IndexArray, as_counts, make_alarm, positions

ThresholdMethod = Literal["delta", "nbPlugin", "muan"]
PowerTransform = Literal["none", "1/2", "2/3"]

_EPS = float(np.finfo(np.float64).eps)
_EXPONENTS: dict[str, float] = {"none": 1.0, "1/2": 0.5, "2/3": 2.0 / 3.0}


@dataclass(frozen=True)
class FarringtonControl:
    """The controls of ``farringtonFlexible`` (defaults are R's).

    b: years of history; w: half-width of the windows around reference points; reweight /
    weights_threshold: down-weight past counts whose Anscombe residual exceeds the threshold; trend /
    p_threshold_trend: keep a linear trend only if its p-value is below the threshold (and ``b >= 3`` and the
    prediction does not exceed the largest past count); limit54 = (cases, weeks): no threshold unless at
    least ``cases`` counts in the last ``weeks`` points (current included); no_periods: number of seasonal
    factor levels (1 = windows only); past_weeks_not_included: most recent points left out of the fit
    (None = ``w``).
    """

    b: int = 5
    w: int = 3
    reweight: bool = True
    weights_threshold: float = 2.58
    alpha: float = 0.05
    trend: bool = True
    p_threshold_trend: float = 0.05
    limit54: tuple[int, int] = (5, 4)
    powertrans: PowerTransform = "2/3"
    no_periods: int = 1
    past_weeks_not_included: int | None = None
    threshold_method: ThresholdMethod = "delta"


#: Farrington et al. (1996) with the controls of the reference run (README of the oracles).
FARRINGTON_ORIGINAL = FarringtonControl(
    b=3, w=3, weights_threshold=1.0, alpha=0.01, p_threshold_trend=0.05, past_weeks_not_included=3
)
#: Noufaily et al. (2013), the improved method, with the controls of the reference run.
FARRINGTON_NOUFAILY = FarringtonControl(
    b=5,
    w=3,
    weights_threshold=2.58,
    alpha=0.01,
    p_threshold_trend=1.0,
    no_periods=10,
    past_weeks_not_included=26,
    threshold_method="nbPlugin",
)


@dataclass(frozen=True)
class Threshold:
    """Lower and upper bound of the prediction interval, P(Y >= y) and the exceedance score."""

    lower: float
    upper: float
    prob: float
    score: float


@dataclass(frozen=True, eq=False)
class FarringtonResult(DetectorResult):
    """Adds R's per-point diagnostics: the expected count (NaN where no threshold), the exceedance score,
    P(Y >= y), the dispersion ``phi`` and the trend coefficient (NaN when no trend is used)."""

    expected: FloatArray
    score: FloatArray
    pvalue: FloatArray
    phi: FloatArray
    trend_coef: FloatArray


def threshold_delta(
    pred_fit: float, pred_se_fit: float, phi: float, powertrans: PowerTransform, alpha: float, y: float
) -> Threshold:
    """Farrington's 1996 threshold (``algo.farrington.threshold.farrington``).

    ``pred_fit`` and ``pred_se_fit`` are the predicted mean and its standard error on the count scale.
    The interval is symmetric on the ``powertrans`` scale (2/3 makes counts nearly normal).
    """
    if powertrans not in _EXPONENTS:
        raise ValueError("powertrans must be 'none', '1/2' or '2/3'")
    exponent = _EXPONENTS[powertrans]
    tau = phi + pred_se_fit**2 / pred_fit
    if powertrans == "none":
        variance = pred_fit * tau
    elif powertrans == "1/2":
        variance = tau / 4.0
    else:
        variance = 4.0 / 9.0 * pred_fit ** (1.0 / 3.0) * tau
    se = float(np.sqrt(variance))
    z = float(stats.norm.ppf(1.0 - alpha))
    with np.errstate(invalid="ignore"):
        bounds = np.power(pred_fit**exponent + np.array([-z, z]) * se, 1.0 / exponent)
    # R sorts with NaN (a negative base under a fractional power) first, then floors the lower bound at 0.
    bounds = np.sort(bounds)
    if np.isnan(bounds[1]):
        bounds = bounds[::-1]
    lower = float(np.nanmax([0.0, bounds[0]]))
    upper = float(bounds[1])
    prob = float(stats.norm.sf(y**exponent, loc=pred_fit**exponent, scale=se))
    score = (y - pred_fit) / (upper - pred_fit) if not np.isnan(upper) else np.nan
    return Threshold(lower, upper, prob, float(score))


def threshold_noufaily(
    pred_fit: float, pred_se_fit: float, phi: float, alpha: float, y: float, method: ThresholdMethod
) -> Threshold:
    """Noufaily's negative-binomial threshold (``algo.farrington.threshold.noufaily``).

    ``pred_fit`` and ``pred_se_fit`` are on the log (link) scale.  ``"nbPlugin"`` plugs in the predicted
    mean, ``"muan"`` its upper ``1 - alpha`` quantile.  As in R the score is ``(y - pred_fit) /
    (upper - pred_fit)`` with ``pred_fit`` on the log scale.
    """
    eta = pred_fit if method == "nbPlugin" else float(stats.norm.ppf(1.0 - alpha, pred_fit, pred_se_fit))
    with np.errstate(over="ignore"):
        mu = float(np.exp(eta))
    if np.isinf(mu):
        return Threshold(np.nan, np.nan, np.nan, np.nan)
    if phi > 1:
        size, prob = mu / (phi - 1.0), 1.0 / phi
        lower, upper = (float(v) for v in stats.nbinom.ppf([alpha, 1.0 - alpha], size, prob))
    else:
        lower, upper = (float(v) for v in stats.poisson.ppf([alpha, 1.0 - alpha], mu))
    if phi != 1:
        p_exceed = float(stats.nbinom.sf(y - 1.0, mu / (phi - 1.0), 1.0 / phi))
    else:
        p_exceed = float(stats.poisson.sf(y - 1.0, mu))
    score = (y - pred_fit) / (upper - pred_fit) if not np.isnan(upper) else np.nan
    return Threshold(max(0.0, lower), upper, p_exceed, float(score))


def _years_back(day: dt.date, years: int) -> dt.date:
    """The same calendar date ``years`` earlier; 29 February becomes 1 March, as R's ``seq.Date``."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return dt.date(day.year - years, 3, 1)


def _reference_positions(
    k: int, b: int, freq: int, dates: NDArray[np.datetime64] | None
) -> IndexArray | None:
    """Positions of the current point and its ``b`` reference points (descending); None if any is missing."""
    if dates is None:
        refs = k - freq * np.arange(b + 1)
        return refs.astype(np.intp) if refs[-1] >= 0 else None
    day = dates[k].astype(dt.date)
    targets = []
    for i in range(b + 1):
        ref = _years_back(day, i)
        if freq == 52:  # nearest date with the same weekday (%w: Sunday = 0), as R's code for weeks
            shift = (ref.isoweekday() % 7) - (day.isoweekday() % 7)
            a = ref - dt.timedelta(days=shift)
            other = a + dt.timedelta(days=-7 if a > ref else 7)
            ref = other if abs((a - ref).days) > abs((other - ref).days) else a
        targets.append(np.datetime64(ref, "D"))
    found = np.searchsorted(dates, targets)
    if np.any(found >= dates.size) or np.any(dates[np.minimum(found, dates.size - 1)] != targets):
        return None
    return found.astype(np.intp)


def _blocks(refs: IndexArray, n: int, w: int, p: int) -> NDArray[np.int64]:
    """R's ``blocks``: factor level per position (0 = not used); level ``p`` marks the windows."""
    levels = np.zeros(n, dtype=np.int64)
    levels[max(refs[0] - w, 0) : refs[0] + 1] = p
    for later, ref in pairwise(refs):
        levels[max(ref - w, 0) : ref + w + 1] = p
        if p == 1:
            continue
        gap = int(later - 2 * w - 1 - ref)
        if gap < p - 1:
            raise ValueError("no_periods is too large for the gap between the windows")
        lengths = np.full(p - 1, gap // (p - 1))
        lengths[: gap % (p - 1)] += 1
        edges = ref + w + 1 + np.concatenate(([0], np.cumsum(lengths)))
        for level in range(1, p):
            levels[edges[level - 1] : edges[level]] = level
    return levels


@dataclass(frozen=True, eq=False)
class _Window:
    """The counts one fit uses: response, time, factor level, and the time and level of the prediction."""

    y: FloatArray
    wtime: FloatArray
    levels: NDArray[np.int64]
    wtime_now: float
    level_now: int

    def design(self, trend: bool) -> FloatArray:
        """Columns: intercept, wtime (if ``trend``), indicators of every present level but the first."""
        columns = [np.ones(self.y.size)] + ([self.wtime] if trend else [])
        columns.extend((self.levels == level).astype(np.float64) for level in np.unique(self.levels)[1:])
        return np.column_stack(columns)

    def row_now(self, trend: bool) -> FloatArray:
        row = [1.0] + ([self.wtime_now] if trend else [])
        row.extend(float(level == self.level_now) for level in np.unique(self.levels)[1:])
        return np.array(row)


def _window(
    y_all: FloatArray, k: int, refs: IndexArray, dates: NDArray[np.datetime64] | None, c: FarringtonControl
) -> _Window | None:
    """R's ``algo.farrington.data.glm``: the blocks minus the most recent points, without missing counts
    (None if no count is left)."""
    levels = _blocks(refs, y_all.size, c.w, c.no_periods)
    excluded = c.w if c.past_weeks_not_included is None else c.past_weeks_not_included
    levels[max(k - excluded, 0) : k + 1] = 0
    used = np.flatnonzero(levels)
    kept = used[~np.isnan(y_all[used])]
    if kept.size == 0:
        return None
    if dates is None:  # R's time index is 1-based
        wtime, wtime_now = (kept + 1).astype(np.float64), k + 1.0
    else:
        # R counts time in steps from the first point of the blocks, but predicts from the first
        # non-missing count used: the two differ only when that first count is missing.
        step = float((dates[1] - dates[0]).astype(np.float64))
        wtime = (dates[kept] - dates[used[0]]).astype(np.float64) / step
        wtime_now = float((dates[k] - dates[kept[0]]).astype(np.float64)) / step
    return _Window(y_all[kept], wtime, levels[kept], wtime_now, c.no_periods)


def reweighting_weights(residuals: FloatArray, threshold: float) -> FloatArray:
    """R's ``algo.farrington.assign.weights``: ``gamma * s**-2`` for residuals above ``threshold``,
    ``gamma`` otherwise, with ``gamma`` making the weights sum to the number of counts.
    A NaN residual counts as not above the threshold."""
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse_sq = np.where(residuals > threshold, residuals**-2.0, 1.0)
    return np.asarray(residuals.size / np.sum(inverse_sq) * inverse_sq, dtype=np.float64)


@dataclass(frozen=True)
class _Model:
    fit: QuasiPoissonFit
    phi: float
    trend: bool


def _fit_model(data: _Window, trend: bool, c: FarringtonControl) -> _Model | None:
    """R's ``algo.farrington.fitGLM.flexible``: fit, drop the trend if that fails, then reweight once."""
    fit = fit_quasipoisson(data.design(trend), data.y)
    if not fit.converged and trend:
        trend = False
        fit = fit_quasipoisson(data.design(trend), data.y)
    if not fit.converged:
        return None
    phi = float(np.maximum(fit.dispersion, 1.0))  # NaN stays NaN, as R's max(NaN, 1)
    if c.reweight:
        with np.errstate(divide="ignore", invalid="ignore"):
            residual = 1.5 * (data.y ** (2 / 3) * fit.mu ** (-1 / 6) - np.sqrt(fit.mu))
            anscombe = residual / np.sqrt(phi * (1.0 - fit.hat))
        omega = reweighting_weights(anscombe, c.weights_threshold)
        fit = fit_quasipoisson(data.design(trend), data.y, omega)
        phi = float(np.maximum(fit.dispersion, 1.0))
        # R then overwrites the fit's working weights with omega, so summary.glm and predict.glm (the
        # trend's p-value and the prediction's standard error) compute the dispersion from omega.
        fit = replace(fit, dispersion=pearson_dispersion(omega, fit.residuals, fit.df_residual))
    return _Model(fit, phi, trend)


def _evaluate(
    data: _Window | None, y_now: float, c: FarringtonControl
) -> tuple[Threshold, float, float, float] | None:
    """R's ``algo.farrington.glm`` and threshold: the threshold, the predicted mean, phi and the trend
    coefficient at the current point; None if there is no data or no model converges."""
    if data is None:
        return None
    model = _fit_model(data, c.trend, c)
    if model is not None and model.trend:
        eta, _ = model.fit.predict_link(data.row_now(True))
        keep_trend = (
            c.b >= 3
            and model.fit.p_value(1) < c.p_threshold_trend
            and max(float(np.exp(eta)), _EPS) <= float(np.max(data.y))
        )
        if not keep_trend:
            model = _fit_model(data, False, c)
    if model is None:
        return None
    eta, se = model.fit.predict_link(data.row_now(model.trend))
    mean = max(float(np.exp(eta)), _EPS)
    if c.threshold_method == "delta":
        lu = threshold_delta(mean, se * mean, model.phi, c.powertrans, c.alpha, y_now)
    else:
        lu = threshold_noufaily(eta, se, model.phi, c.alpha, y_now, c.threshold_method)
    return lu, mean, model.phi, float(model.fit.coef[1]) if model.trend else np.nan


def _all_references(
    t: IndexArray, b: int, freq: int, dates: NDArray[np.datetime64] | None
) -> list[IndexArray] | None:
    refs = [_reference_positions(int(k), b, freq, dates) for k in t]
    return None if any(r is None for r in refs) else [r for r in refs if r is not None]


def farrington(
    observed: ArrayLike,
    at: ArrayLike | None = None,
    control: FarringtonControl = FARRINGTON_ORIGINAL,
    *,
    dates: ArrayLike | None = None,
    freq: int = 52,
) -> FarringtonResult:
    """Run ``farringtonFlexible`` at the positions ``at``.

    Args:
        observed: counts; NaN marks a missing count (left out of the fits).
        at: 0-based positions to evaluate; default ``freq * b + w .. n-1`` (R's default range).
        control: the algorithm's controls; see ``FARRINGTON_ORIGINAL`` and ``FARRINGTON_NOUFAILY``.
        dates: the date of every count (consecutive, equally spaced); reference points then follow the
            calendar as in R for an ``sts`` with ``epochAsDate = TRUE``.  Without dates they are ``freq``
            positions apart.
        freq: observations per year (52 weekly, 12 monthly, 365 daily).

    Raises ValueError, as R stops, when a reference point falls before the start of the series.
    The upper bound is NaN where fewer than ``limit54[0]`` counts were seen in the last ``limit54[1]``
    points; upper bound and alarm are both missing where no model converges.
    """
    y = as_counts(observed)
    day_array = None if dates is None else np.asarray(dates, dtype="datetime64[D]")
    if day_array is not None and day_array.shape != y.shape:
        raise ValueError("dates and observed differ in length")
    c = control
    if c.b < 1 or c.w < 0 or c.no_periods < 1:
        raise ValueError("need b >= 1, w >= 0 and no_periods >= 1")
    cases, weeks = c.limit54
    if cases < 0 or weeks <= 0:
        raise ValueError("limit54 must be (cases >= 0, weeks > 0)")
    t = positions(at, y.size, 0 if at is not None else freq * c.b + c.w)
    references = _all_references(t, c.b, freq, day_array)
    if references is None:
        raise ValueError("some reference points precede the series; decrease b or evaluate later points")
    # rows: upper bound, expected, score, P(Y >= y), phi, trend coefficient
    out = np.full((6, t.size), np.nan)
    failed = np.zeros(t.size, dtype=bool)
    alarm = np.zeros(t.size, dtype=bool)
    for i, (k, refs) in enumerate(zip(t, references, strict=True)):
        result = _evaluate(_window(y, int(k), refs, day_array, c), float(y[k]), c)
        if result is None:
            failed[i] = True
            continue
        lu, mean, phi, trend_coef = result
        enough = bool(np.sum(y[max(k - weeks + 1, 0) : k + 1]) >= cases)
        shown = enough and not np.isnan(lu.upper)
        bound = lu.upper if enough else np.nan
        out[:, i] = [bound, mean if shown else np.nan, lu.score, lu.prob, phi, trend_coef]
        alarm[i] = enough and lu.score > 1 and y[k] != 0
    upper, expected, score, pvalue, phi_values, trend_values = out
    return FarringtonResult(
        t, y[t], upper, make_alarm(alarm, failed), expected, score, pvalue, phi_values, trend_values
    )


def farrington_noufaily(
    observed: ArrayLike,
    at: ArrayLike | None = None,
    *,
    alpha: float = FARRINGTON_NOUFAILY.alpha,
    dates: ArrayLike | None = None,
    freq: int = 52,
) -> FarringtonResult:
    """Noufaily's improved method (``FARRINGTON_NOUFAILY``) with ``b = 5`` years of history, or ``b = 3``
    where the series is too short to give five years to every evaluated position."""
    control = replace(FARRINGTON_NOUFAILY, alpha=alpha)
    y = as_counts(observed)
    day_array = None if dates is None else np.asarray(dates, dtype="datetime64[D]")
    t = positions(at, y.size, 0 if at is not None else freq * control.b + control.w)
    if _all_references(t, control.b, freq, day_array) is None:
        control = replace(control, b=3)
        t = t if at is not None else positions(None, y.size, freq * control.b + control.w)
    return farrington(y, t, control, dates=day_array, freq=freq)
