"""The detectors over many series at once: one call for a whole region's series, same numbers as one by one.

A daily run evaluates tens of thousands of series sharing one calendar, and ``farringtonFlexible`` fits
several GLMs per time point; calling the single-series functions in a Python loop spends its time in
interpreter overhead.  Here the series are the rows of a matrix and every step is a stacked numpy
operation: the EARS windows, the CIDARS blocks, and for Farrington the IRLS iterations of all
(time point x series) fits of equal shape at once (normal equations by Cholesky; the single fit's QR as
the fallback).  Results equal the single-series detectors (``tests/surveillance/test_surv_batch.py``) and R;
the rare Farrington fit that leaves the common path (a missing count in its window, a rank-deficient design, a non-finite step) is
computed by the single-series code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from .cidars import _same_date_years_back
from .ears import _DEFAULT_ALPHA, _MAX_LAG, EarsMethod
from .farrington import (
    _EXPONENTS,
    FARRINGTON_ORIGINAL,
    FarringtonControl,
    _all_references,
    _blocks,
    _evaluate,
    _window,
    reweighting_weights,
)
from .glm import _ALIAS_TOL
from .result import AlarmArray, DetectorResult, FloatArray, IndexArray, positions

_EPS = float(np.finfo(np.float64).eps)


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Per series (rows) and evaluated position (columns): observation, threshold and alarm.

    ``index`` holds the 0-based positions shared by all rows; ``upperbound`` is NaN and ``alarm`` masked
    where the single-series detector reports NA.
    """

    index: IndexArray
    observed: FloatArray
    upperbound: FloatArray
    alarm: AlarmArray

    def row(self, i: int) -> DetectorResult:
        """Series ``i`` as the single-series detectors return it."""
        alarm = np.ma.MaskedArray(self.alarm.data[i], mask=np.ma.getmaskarray(self.alarm)[i])
        return DetectorResult(self.index, self.observed[i], self.upperbound[i], alarm)


def as_matrix(counts: ArrayLike) -> FloatArray:
    """Series as the rows of a 2-D float array; NaN marks a missing count."""
    y = np.asarray(counts, dtype=np.float64)
    if y.ndim != 2:
        raise ValueError("the series must be the rows of a two-dimensional array")
    return y


def _result(t: IndexArray, observed: FloatArray, upper: FloatArray, alarm: NDArray[np.bool_],
            missing: NDArray[np.bool_]) -> BatchResult:
    return BatchResult(t, observed, upper, np.ma.MaskedArray(alarm & ~missing, mask=missing.copy()))


def ears_many(counts: ArrayLike, at: ArrayLike | None = None, *, method: EarsMethod = "C1",
              baseline: int = 7, alpha: float | None = None, min_sigma: float = 0.0) -> BatchResult:
    """:func:`ears` on every row of ``counts`` (same arguments)."""
    if method not in _MAX_LAG:
        raise ValueError("method must be 'C1', 'C2' or 'C3'")
    if baseline < 3:
        raise ValueError("the minimum baseline is 3")
    if min_sigma < 0:
        raise ValueError("min_sigma must be non-negative")
    y = as_matrix(counts)
    t = positions(at, y.shape[1], baseline + _MAX_LAG[method])
    z = float(stats.norm.ppf(1.0 - (_DEFAULT_ALPHA[method] if alpha is None else alpha)))

    def window_stats(ends: IndexArray, lag: int) -> tuple[FloatArray, FloatArray]:
        windows = y[:, (ends - lag - baseline)[:, None] + np.arange(baseline)]
        return windows.mean(axis=2), windows.std(axis=2, ddof=1)

    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "C3":
            sd_t = np.maximum(window_stats(t, 2)[1], min_sigma)
            penalty = np.zeros((y.shape[0], t.size))
            for lag in (1, 2):
                mean_l, sd_l = window_stats(t - lag, 2)
                c2 = (y[:, t - lag] - mean_l) / np.maximum(sd_l, min_sigma)
                penalty = penalty + np.maximum(0.0, c2 - 1.0)
            upper = np.maximum(0.0, y[:, t] + sd_t * (z - penalty))
        else:
            mean, sd = window_stats(t, _MAX_LAG[method])
            upper = mean + z * np.maximum(sd, min_sigma)
    observed = y[:, t]
    missing = np.isnan(upper) | np.isnan(observed)
    return _result(t, observed, upper, observed > upper, missing)


def cidars_percentile_many(counts: ArrayLike, start: dt.date, at: ArrayLike | None = None, *,
                           percentile: float = 80.0, years: int = 3, neighbours: int = 1,
                           window: int = 7, min_cases: float = 0.0) -> BatchResult:
    """:func:`cidars_percentile` on every row of ``counts`` (daily series starting on ``start``).

    Only the blocks the evaluated days compare are summed (the current ones and their historical
    neighbours), not a moving sum over the whole history the matrix holds.
    """
    if not 0.0 <= percentile <= 100.0:
        raise ValueError("percentile must lie in [0, 100]")
    if years < 1 or neighbours < 0 or window < 1:
        raise ValueError("need years >= 1, neighbours >= 0 and window >= 1")
    if (2 * neighbours + 1) * window > 365:
        raise ValueError("the blocks taken around one date must span less than a year")
    if min_cases < 0:
        raise ValueError("min_cases must be non-negative")
    y = as_matrix(counts)
    t = positions(at, y.shape[1], window - 1)
    offsets = window * np.arange(-neighbours, neighbours + 1)
    complete = np.zeros(t.size, dtype=bool)
    ends = np.zeros((t.size, offsets.size * years), dtype=np.intp)
    for i, day_index in enumerate(t):
        day = start + dt.timedelta(days=int(day_index))
        anchors = [(_same_date_years_back(day, k) - start).days for k in range(1, years + 1)]
        ends[i] = (np.array(anchors)[:, None] + offsets).ravel()
        complete[i] = ends[i].min() >= window - 1
    needed = np.unique(np.concatenate([t, ends[complete].ravel()]))
    # block[:, k]: the count of the window ending on day needed[k] (days in order, as a moving sum adds them)
    block = y[:, needed[:, None] - np.arange(window - 1, -1, -1)].sum(axis=2)
    upper = np.full((y.shape[0], t.size), np.nan)
    if complete.any():
        history = block[:, np.searchsorted(needed, ends[complete])]  # series x evaluated day x block
        values = np.percentile(history, percentile, axis=2)
        values[np.isnan(history).any(axis=2)] = np.nan
        upper[:, complete] = values
    current = block[:, np.searchsorted(needed, t)]
    missing = np.isnan(upper) | np.isnan(current)
    return _result(t, current, upper, (current > upper) & (current >= min_cases), missing)


def cidars_fixed_many(counts: ArrayLike, at: ArrayLike | None = None, *, threshold: float = 1.0) -> BatchResult:
    """:func:`cidars_fixed` on every row of ``counts``."""
    y = as_matrix(counts)
    t = positions(at, y.shape[1], 0)
    observed = y[:, t]
    upper = np.full(observed.shape, float(threshold))
    return _result(t, observed, upper, observed >= threshold, np.isnan(observed))


# ---- Farrington --------------------------------------------------------------------------------------


@dataclass
class _Fits:
    """Stacked quasi-Poisson fits, one per member; ``odd`` marks members off the common path."""

    coef: FloatArray
    cov_unscaled: FloatArray
    dispersion: FloatArray
    residuals: FloatArray
    mu: FloatArray
    hat: FloatArray
    df_residual: NDArray[np.int64]
    converged: NDArray[np.bool_]
    odd: NDArray[np.bool_]


def _deviance(y: FloatArray, mu: FloatArray, weights: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ylogy = np.where(y > 0, y * np.log(y / mu), 0.0)
    return np.asarray(2.0 * np.sum(weights * (ylogy - (y - mu)), axis=1), dtype=np.float64)


def _fit_many(designs: FloatArray, which: IndexArray, y: FloatArray, weights: FloatArray, *,
              hat: bool = False) -> _Fits:
    """``fit_quasipoisson`` for many members: member ``i`` has the design ``designs[which[i]]`` (the
    series of one time point share it), the response ``y[i]`` and the prior weights ``weights[i]``.

    Members are fitted in chunks small enough to stay in the processor's cache; ``hat`` asks for the
    leverages, which only the first fit (before reweighting) needs.
    """
    chunk = max(1, _CHUNK_VALUES // max(1, designs.shape[1] * designs.shape[2]))
    parts = [_fit_chunk(designs[which[i:i + chunk]], y[i:i + chunk], weights[i:i + chunk], hat)
             for i in range(0, which.size, chunk)]
    if len(parts) == 1:
        return parts[0]
    return _Fits(*(np.concatenate([getattr(part, name) for part in parts])
                   for name in _Fits.__dataclass_fields__))


_CHUNK_VALUES = 1 << 17  # design values per chunk: 1 MB of float64


def _fit_chunk(x: FloatArray, y: FloatArray, weights: FloatArray, want_hat: bool,
               epsilon: float = 1e-8, maxit: int = 25) -> _Fits:
    """The IRLS of ``fit_quasipoisson`` for every member; each member iterates until its own stopping
    rule holds, as the single fit does, and keeps the quantities of its last iteration.

    The weighted least-squares step solves the normal equations by Cholesky (:func:`_normal_step`), falling
    back on the single fit's Householder QR (:func:`_qr_step`) when a Gram matrix will not factor.
    """
    members, n, p = x.shape
    mu = y + 0.1
    eta = np.log(mu)
    dev_old = _deviance(y, mu, weights)
    w_last = np.zeros((members, n))
    r_last = np.tile(np.eye(p), (members, 1, 1))
    coef_all = np.zeros((members, p))
    converged = np.zeros(members, dtype=bool)
    odd = np.zeros(members, dtype=bool)
    active = np.arange(members)
    augmented = np.empty((members, n, p + 1))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(maxit):
            if active.size == 0:
                break
            everyone = active.size == members
            xa = x if everyone else x[active]
            e, m_ = (eta, mu) if everyone else (eta[active], mu[active])
            wa, ya = (weights, y) if everyone else (weights[active], y[active])
            mu_eta = np.maximum(np.exp(e), _EPS)
            w = np.sqrt(wa * mu_eta**2 / m_)
            z = e + (ya - m_) / mu_eta
            step = _normal_step(xa, w, z)
            if step is None:  # a Gram matrix Cholesky cannot factor: the stacked QR decides
                step = _qr_step(xa, w, z, p, augmented[: active.size])
            coef, r, deficient = step
            finite = np.all(np.isfinite(coef), axis=1)
            new_eta = np.einsum("mij,mj->mi", xa, coef)
            new_mu = np.maximum(np.exp(new_eta), _EPS)
            dev = _deviance(ya, new_mu, wa)
            # Off the common path: rank deficiency, a non-finite step (the single fit halves it).
            leave = deficient | ~finite | ~np.isfinite(dev)
            odd[active[leave]] = True
            stay = ~leave
            idx = active[stay]
            eta[idx], mu[idx], coef_all[idx] = new_eta[stay], new_mu[stay], coef[stay]
            w_last[idx], r_last[idx] = w[stay], r[stay]
            done = np.abs(dev[stay] - dev_old[idx]) / (np.abs(dev[stay]) + 0.1) < epsilon
            converged[idx[done]] = True
            dev_old[idx] = dev[stay]
            active = idx[~done]
        df_residual = np.count_nonzero(weights > 0, axis=1).astype(np.int64) - p
        residuals = (y - mu) / np.maximum(np.exp(eta), _EPS)
        dispersion = _pearson(w_last**2, residuals, df_residual)
        r_inv = np.linalg.inv(r_last)
        cov = np.asarray(r_inv @ np.swapaxes(r_inv, 1, 2), dtype=np.float64)
        hat = np.zeros((members, n))
        if want_hat:  # rows of Q = (W X) R^-1
            q = (x * w_last[:, :, None]) @ r_inv
            hat = np.einsum("mij,mij->mi", q, q)
    hat[hat > 1.0 - 10.0 * _EPS] = 1.0
    return _Fits(coef_all, cov, dispersion, residuals, mu, hat, df_residual, converged, odd)


_Step = tuple[FloatArray, FloatArray, NDArray[np.bool_]]  # coefficients, R (upper), rank-deficient members


def _solve_safe(r_or_gram: FloatArray, rhs: FloatArray, deficient: NDArray[np.bool_]) -> FloatArray:
    coef: FloatArray = np.zeros(rhs.shape)
    safe = ~deficient
    if safe.all():
        coef = np.asarray(np.linalg.solve(r_or_gram, rhs[:, :, None])[:, :, 0], dtype=np.float64)
    elif safe.any():
        coef[safe] = np.linalg.solve(r_or_gram[safe], rhs[safe][:, :, None])[:, :, 0]
    return coef


def _normal_step(x: FloatArray, w: FloatArray, z: FloatArray) -> _Step | None:
    """The weighted least-squares step from the normal equations: ``R`` is the Cholesky factor of ``X'WX``
    (the QR's ``R`` up to the signs of its rows, which no result depends on), the rank test the QR's — the
    diagonal of ``R`` against the weighted column norms. Twice as fast as the stacked QR; None when some
    Gram matrix is not numerically positive definite."""
    xw = x * w[:, :, None]
    gram = np.matmul(np.swapaxes(xw, 1, 2), xw)
    try:
        upper = np.swapaxes(np.linalg.cholesky(gram), 1, 2)
    except np.linalg.LinAlgError:
        return None
    norms = np.sqrt(np.diagonal(gram, axis1=1, axis2=2))
    diag = np.diagonal(upper, axis1=1, axis2=2)
    deficient = ~np.all(diag > _ALIAS_TOL * np.where(norms > 0, norms, 1.0), axis=1)
    rhs = np.einsum("mij,mi->mj", xw, z * w)
    return _solve_safe(gram, rhs, deficient), np.asarray(upper, dtype=np.float64), deficient


def _qr_step(x: FloatArray, w: FloatArray, z: FloatArray, p: int, aug: FloatArray) -> _Step:
    """The same step by Householder QR; ``Q'z`` comes from factorising the design with the working response
    appended (LAPACK applies the reflectors to it), which saves forming ``Q``."""
    np.multiply(x, w[:, :, None], out=aug[:, :, :p])
    aug[:, :, p] = z * w
    factor: FloatArray = np.asarray(np.linalg.qr(aug, mode="r"), dtype=np.float64)
    r, rhs = factor[:, :p, :p], factor[:, :p, p]
    norms = np.sqrt(np.einsum("mij,mij->mj", aug[:, :, :p], aug[:, :, :p]))
    diag = np.abs(np.diagonal(r, axis1=1, axis2=2))
    deficient = ~np.all(diag > _ALIAS_TOL * np.where(norms > 0, norms, 1.0), axis=1)
    return _solve_safe(r, rhs, deficient), r, deficient


def _pearson(weights: FloatArray, residuals: FloatArray, df_residual: NDArray[np.int64]) -> FloatArray:
    total = np.sum(np.where(weights > 0, weights * residuals**2, 0.0), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(df_residual > 0, total / np.maximum(df_residual, 1), np.nan)


@dataclass
class _Models:
    """The fitted model of each member: coefficients, covariance, dispersion, phi; ``ok`` False = no model."""

    coef: FloatArray
    cov_unscaled: FloatArray
    dispersion: FloatArray
    phi: FloatArray
    df_residual: NDArray[np.int64]
    ok: NDArray[np.bool_]
    odd: NDArray[np.bool_]


def _pad(a: FloatArray, width: int) -> FloatArray:
    """Left-aligned coefficients (or covariances) widened with zero columns to ``width``."""
    extra = width - a.shape[1]
    pad = ((0, 0), (0, extra)) if a.ndim == 2 else ((0, 0), (0, extra), (0, extra))
    return np.pad(a, pad)


def _fit_models(designs: tuple[FloatArray, FloatArray], which: IndexArray, y: FloatArray,
                c: FarringtonControl, trend: bool) -> tuple[_Models, NDArray[np.bool_]]:
    """``_fit_model`` for every member; also returns which members use the trend.

    ``designs`` holds the per-point designs with and without the trend column; member ``i`` belongs to
    point ``which[i]``.  Coefficients are left-aligned: a member without trend has the columns of the
    trend-less design followed by zeros.
    """
    with_trend, plain = designs
    width = with_trend.shape[2]
    ones = np.ones(y.shape)
    fits = _fit_many(with_trend if trend else plain, which, y, ones, hat=c.reweight)
    uses_trend = np.full(y.shape[0], trend)
    fits.coef, fits.cov_unscaled = _pad(fits.coef, width), _pad(fits.cov_unscaled, width)
    if trend:
        retry = ~fits.converged & ~fits.odd
        if retry.any():
            again = _fit_many(plain, which[retry], y[retry], ones[retry], hat=c.reweight)
            uses_trend[retry] = False
            for name in ("dispersion", "residuals", "mu", "hat", "df_residual", "converged", "odd"):
                getattr(fits, name)[retry] = getattr(again, name)
            fits.coef[retry] = _pad(again.coef, width)
            fits.cov_unscaled[retry] = _pad(again.cov_unscaled, width)
    ok = fits.converged & ~fits.odd
    models = _Models(fits.coef, fits.cov_unscaled, fits.dispersion, np.maximum(fits.dispersion, 1.0),
                     fits.df_residual, ok, fits.odd.copy())
    if not (c.reweight and ok.any()):
        return models, uses_trend
    with np.errstate(divide="ignore", invalid="ignore"):
        residual = 1.5 * (y ** (2 / 3) * fits.mu ** (-1 / 6) - np.sqrt(fits.mu))
        anscombe = residual / np.sqrt(models.phi[:, None] * (1.0 - fits.hat))
    omega = np.ones(y.shape)
    for i in np.flatnonzero(ok):
        omega[i] = reweighting_weights(anscombe[i], c.weights_threshold)
    for trend_now in (True, False):
        chosen = ok & (uses_trend == trend_now)
        if not chosen.any():
            continue
        refit = _fit_many(with_trend if trend_now else plain, which[chosen], y[chosen], omega[chosen])
        models.odd[chosen] |= refit.odd
        models.phi[chosen] = np.maximum(refit.dispersion, 1.0)
        models.dispersion[chosen] = _pearson(omega[chosen], refit.residuals, refit.df_residual)
        models.coef[chosen] = _pad(refit.coef, width)
        models.cov_unscaled[chosen] = _pad(refit.cov_unscaled, width)
        models.df_residual[chosen] = refit.df_residual
    return models, uses_trend


def _predict(models: _Models, rows: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Linear predictor and its standard error for each member at its own row (members x cols)."""
    eta = np.einsum("mj,mj->m", rows, models.coef)
    with np.errstate(invalid="ignore"):
        se = np.sqrt(np.einsum("mi,mij,mj->m", rows, models.cov_unscaled, rows) * models.dispersion)
    return eta, se


def _threshold_delta(pred: FloatArray, se_fit: FloatArray, phi: FloatArray, c: FarringtonControl,
                     y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Upper bound and score of ``threshold_delta`` for stacked members."""
    exponent = _EXPONENTS[c.powertrans]
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = phi + se_fit**2 / pred
        if c.powertrans == "none":
            variance = pred * tau
        elif c.powertrans == "1/2":
            variance = tau / 4.0
        else:
            variance = 4.0 / 9.0 * pred ** (1.0 / 3.0) * tau
        se = np.sqrt(variance)
        z = float(stats.norm.ppf(1.0 - c.alpha))
        centre = pred**exponent
        bounds = np.sort(np.power(np.stack([centre - z * se, centre + z * se], axis=1), 1.0 / exponent), axis=1)
        upper = np.where(np.isnan(bounds[:, 1]), bounds[:, 0], bounds[:, 1])
        score = np.where(np.isnan(upper), np.nan, (y - pred) / (upper - pred))
    return upper, score


def _threshold_noufaily(eta: FloatArray, se: FloatArray, phi: FloatArray, c: FarringtonControl,
                        y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Upper bound and score of ``threshold_noufaily`` for stacked members."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        centre = eta if c.threshold_method == "nbPlugin" else stats.norm.ppf(1.0 - c.alpha, eta, se)
        mu = np.exp(centre)
        upper = np.where(phi > 1, stats.nbinom.ppf(1.0 - c.alpha, mu / (phi - 1.0), 1.0 / phi),
                         stats.poisson.ppf(1.0 - c.alpha, mu))
        upper = np.where(np.isinf(mu), np.nan, upper)
        score = np.where(np.isnan(upper), np.nan, (y - eta) / (upper - eta))
    return upper, score


@dataclass(frozen=True)
class _Point:
    """What one evaluated position shares across series: the positions its fit uses and its designs."""

    column: int
    used: IndexArray
    design_trend: FloatArray
    design_plain: FloatArray
    row_trend: FloatArray
    row_plain: FloatArray


def _point(n: int, column: int, k: int, refs: IndexArray, dates: NDArray[np.datetime64] | None,
           c: FarringtonControl) -> _Point | None:
    """The window of ``_window`` for a series without missing counts (None if it is empty)."""
    data = _window(np.zeros(n), k, refs, dates, c)
    if data is None:
        return None
    levels = _blocks(refs, n, c.w, c.no_periods)
    excluded = c.w if c.past_weeks_not_included is None else c.past_weeks_not_included
    levels[max(k - excluded, 0): k + 1] = 0
    return _Point(column, np.flatnonzero(levels).astype(np.intp), data.design(True), data.design(False),
                  data.row_now(True), data.row_now(False))


def farrington_many(counts: ArrayLike, at: ArrayLike | None = None,
                    control: FarringtonControl = FARRINGTON_ORIGINAL, *, dates: ArrayLike | None = None,
                    freq: int = 52) -> BatchResult:
    """:func:`farrington` on every row of ``counts`` (the rows share ``dates``)."""
    y = as_matrix(counts)
    series, n = y.shape
    day_array = None if dates is None else np.asarray(dates, dtype="datetime64[D]")
    if day_array is not None and day_array.shape != (n,):
        raise ValueError("dates and observed differ in length")
    c = control
    if c.b < 1 or c.w < 0 or c.no_periods < 1:
        raise ValueError("need b >= 1, w >= 0 and no_periods >= 1")
    cases, weeks = c.limit54
    if cases < 0 or weeks <= 0:
        raise ValueError("limit54 must be (cases >= 0, weeks > 0)")
    t = positions(at, n, 0 if at is not None else freq * c.b + c.w)
    references = _all_references(t, c.b, freq, day_array)
    if references is None:
        raise ValueError("some reference points precede the series; decrease b or evaluate later points")
    upper = np.full((series, t.size), np.nan)
    score = np.full((series, t.size), np.nan)
    failed = np.zeros((series, t.size), dtype=bool)
    single: list[tuple[int, int]] = []  # (series, column) left to the single-series code
    groups: dict[tuple[int, ...], list[tuple[_Point, IndexArray]]] = {}
    for j, (k, refs) in enumerate(zip(t, references, strict=True)):
        point = _point(n, j, int(k), refs, day_array, c)
        if point is None:
            failed[:, j] = True
            continue
        missing = np.isnan(y[:, point.used]).any(axis=1)
        single.extend((int(s), j) for s in np.flatnonzero(missing))
        groups.setdefault(point.design_trend.shape, []).append((point, np.flatnonzero(~missing)))
    for members in groups.values():
        single += _farrington_group(y, t, members, c, upper, score, failed)
    for s, j in single:
        k = int(t[j])
        result = _evaluate(_window(y[s], k, references[j], day_array, c), float(y[s, k]), c)
        failed[s, j] = result is None
        upper[s, j], score[s, j] = (np.nan, np.nan) if result is None else (result[0].upper, result[0].score)
    observed = y[:, t]
    if t.size:
        recent = np.stack([np.sum(y[:, max(int(k) - weeks + 1, 0): int(k) + 1], axis=1) for k in t], axis=1)
    else:
        recent = np.zeros((series, 0))
    enough = recent >= cases
    with np.errstate(invalid="ignore"):
        alarm = enough & (score > 1) & (observed != 0)
    bound = np.where(enough & ~failed, upper, np.nan)
    return _result(t, observed, bound, alarm, failed)


def _farrington_group(y: FloatArray, t: IndexArray, members: list[tuple[_Point, IndexArray]],
                      c: FarringtonControl, upper: FloatArray, score: FloatArray,
                      failed: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Fit every (point, series) of one design shape together; fill ``upper``, ``score`` and ``failed``.

    Returns the (series, column) pairs that left the common path, for the single-series code.
    """
    if not any(rows.size for _, rows in members):
        return []
    designs = (np.stack([p.design_trend for p, _ in members]), np.stack([p.design_plain for p, _ in members]))
    which = np.concatenate([np.full(rows.size, i, dtype=np.intp) for i, (_, rows) in enumerate(members)])
    cols = np.array([p.column for p, _ in members])[which]
    rows_s = np.concatenate([rows for _, rows in members])
    used = np.stack([p.used for p, _ in members])
    response = y[rows_s[:, None], used[which]]
    width = designs[0].shape[2]
    row_trend = np.stack([p.row_trend for p, _ in members])[which]
    row_plain = _pad(np.stack([p.row_plain for p, _ in members]), width)[which]
    models, uses_trend = _fit_models(designs, which, response, c, c.trend)
    if c.trend:
        check = models.ok & ~models.odd & uses_trend
        eta, _ = _predict(models, row_trend)
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            t_value = models.coef[:, 1] / np.sqrt(models.cov_unscaled[:, 1, 1] * models.dispersion)
            p_value = 2.0 * stats.t.sf(np.abs(t_value), models.df_residual)
            keep = (c.b >= 3) & (p_value < c.p_threshold_trend) & (
                np.maximum(np.exp(eta), _EPS) <= np.max(response, axis=1))
        drop = check & ~keep
        if drop.any():
            plain, _ = _fit_models(designs, which[drop], response[drop], c, False)
            for name in ("coef", "cov_unscaled", "dispersion", "phi", "df_residual", "ok", "odd"):
                getattr(models, name)[drop] = getattr(plain, name)
            uses_trend[drop] = False
    eta, se = _predict(models, np.where(uses_trend[:, None], row_trend, row_plain))
    mean = np.maximum(np.exp(eta), _EPS)
    y_now = y[rows_s, t[cols]]
    if c.threshold_method == "delta":
        up, sc = _threshold_delta(mean, se * mean, models.phi, c, y_now)
    else:
        up, sc = _threshold_noufaily(eta, se, models.phi, c, y_now)
    fine = ~models.odd
    upper[rows_s[fine], cols[fine]] = up[fine]
    score[rows_s[fine], cols[fine]] = sc[fine]
    failed[rows_s[fine], cols[fine]] = ~models.ok[fine]
    return [(int(s), int(j)) for s, j in zip(rows_s[~fine], cols[~fine], strict=True)]
