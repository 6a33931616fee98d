"""Quasi-Poisson log-linear GLM fitted by IRLS, following R's ``glm.fit`` step by step.

Farrington's thresholds must equal R's to 1e-6, and R stops iterating as soon as the deviance changes by
less than ``epsilon`` (relative), so the last working weights can differ from the final fitted means by more
than 1e-6.  We therefore copy R exactly: the same start (``mu = y + 0.1``), the same update, the same stopping
rule, and the covariance, leverages and dispersion taken from the *last iteration's* weighted QR, as
``summary.glm``, ``predict.glm`` and ``hatvalues`` do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]

_EPS = float(np.finfo(np.float64).eps)
_ALIAS_TOL = 1e-7  # R's glm.fit passes min(1e-7, epsilon / 1000) to its QR as the collinearity tolerance


@dataclass(frozen=True, eq=False)
class QuasiPoissonFit:
    """A fitted quasi-Poisson GLM with log link.

    ``coef`` holds 0 for columns dropped as collinear (R reports NA and ignores them in predictions).
    ``dispersion`` is the Pearson estimate of ``summary.glm`` (NaN without residual degrees of freedom);
    ``residuals`` are the working residuals ``(y - mu) / mu``.
    """

    coef: FloatArray
    mu: FloatArray
    residuals: FloatArray
    converged: bool
    dispersion: float
    cov_unscaled: FloatArray
    hat: FloatArray
    df_residual: int

    def predict_link(self, x0: FloatArray) -> tuple[float, float]:
        """Linear predictor at the row ``x0`` and its standard error (scaled by the raw dispersion)."""
        eta = float(x0 @ self.coef)
        se = float(np.sqrt(x0 @ self.cov_unscaled @ x0 * self.dispersion))
        return eta, se

    def p_value(self, j: int) -> float:
        """Two-sided t-test p-value of coefficient ``j``, as in ``summary.glm`` for quasi families."""
        t = self.coef[j] / np.sqrt(self.cov_unscaled[j, j] * self.dispersion)
        return float(2.0 * stats.t.sf(abs(t), self.df_residual))


def pearson_dispersion(weights: FloatArray, residuals: FloatArray, df_residual: int) -> float:
    """``summary.glm``'s dispersion: the weighted sum of squared working residuals over the residual df."""
    if df_residual <= 0:
        return np.nan
    positive = weights > 0
    return float(np.sum((weights * residuals**2)[positive]) / df_residual)


def _deviance(y: FloatArray, mu: FloatArray, weights: FloatArray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        ylogy = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2.0 * np.sum(weights * (ylogy - (y - mu))))


def _weighted_qr(xw: FloatArray) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """QR of the weighted design keeping only columns not (nearly) collinear with earlier ones."""
    q, r = np.linalg.qr(xw)
    norms = np.linalg.norm(xw, axis=0)
    keep = np.abs(np.diag(r)) > _ALIAS_TOL * np.where(norms > 0, norms, 1.0)
    if not keep.all():
        q, r = np.linalg.qr(xw[:, keep])
    return q, r, keep


def fit_quasipoisson(
    x: FloatArray,
    y: FloatArray,
    prior_weights: FloatArray | None = None,
    *,
    epsilon: float = 1e-8,
    maxit: int = 25,
) -> QuasiPoissonFit:
    """Fit ``log E[y] = x @ coef`` with quasi-Poisson variance by IRLS.

    ``x`` is the full design matrix (include the intercept column), ``y`` non-negative counts.
    ``epsilon`` and ``maxit`` are R's ``glm.control`` defaults.  A fit that does not meet the stopping
    rule within ``maxit`` iterations, or whose coefficients become non-finite, has ``converged=False``.
    """
    if maxit < 1:
        raise ValueError("maxit must be at least 1")
    if np.any(y < 0):
        raise ValueError("counts must be non-negative")
    n, p = x.shape
    weights = np.ones(n) if prior_weights is None else np.asarray(prior_weights, dtype=np.float64)
    coef_old: FloatArray | None = None
    mu = y + 0.1
    eta = np.log(mu)
    dev_old = _deviance(y, mu, weights)
    converged = False

    def update(coef: FloatArray) -> tuple[FloatArray, FloatArray, float]:
        eta = x @ coef
        mu = np.maximum(np.exp(eta), _EPS)
        return eta, mu, _deviance(y, mu, weights)

    for _ in range(maxit):
        mu_eta = np.maximum(np.exp(eta), _EPS)
        z = eta + (y - mu) / mu_eta
        w = np.sqrt(weights * mu_eta**2 / mu)
        q, r, keep = _weighted_qr(x * w[:, None])
        coef = np.zeros(p)
        coef[keep] = np.linalg.solve(r, q.T @ (z * w))
        if not np.all(np.isfinite(coef)):
            break
        eta, mu, dev = update(coef)
        halvings = 0
        while not np.isfinite(dev) and coef_old is not None and halvings < maxit:
            coef = (coef + coef_old) / 2.0  # R's step halving towards the last valid coefficients
            eta, mu, dev = update(coef)
            halvings += 1
        if not np.isfinite(dev):
            break
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            converged = True
            break
        dev_old = dev
        coef_old = coef

    rank = int(keep.sum())
    df_residual = int(np.count_nonzero(weights > 0)) - rank
    residuals = (y - mu) / np.maximum(np.exp(eta), _EPS)
    dispersion = pearson_dispersion(w**2, residuals, df_residual)  # the last iteration's weights, as R
    r_inv = np.linalg.inv(r)
    cov_unscaled = np.zeros((p, p))
    cov_unscaled[np.ix_(keep, keep)] = r_inv @ r_inv.T
    hat = np.sum(q**2, axis=1)
    hat[hat > 1.0 - 10.0 * _EPS] = 1.0
    return QuasiPoissonFit(coef, mu, residuals, converged, dispersion, cov_unscaled, hat, df_residual)
