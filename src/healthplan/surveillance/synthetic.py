"""Synthetic count series as Noufaily et al. (2013) simulated them, for evaluation and the demo.

Baseline: negative binomial counts with mean ``mu(t) = exp(theta + beta t + sum_j gamma1_j cos(2 pi j t / f)
+ gamma2_j sin(2 pi j t / f))`` and variance ``phi mu(t)`` (Poisson when ``phi = 1``), ``f`` the periods per
year.  Outbreaks: starting at time ``s``, a Poisson number of cases with mean ``k`` standard deviations of
the baseline at ``s`` (``k sqrt(phi mu(s))``) spread after ``s`` by a lognormal delay (log-mean 0,
log-sd 0.5, in weeks as in the paper: days for daily series are weeks times 7).  Everything is drawn from
one ``numpy.random.Generator``, so a seed gives the same series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Scenario:
    """Baseline parameters (Noufaily's Table 1 notation); ``freq`` is 52 for weeks, 365 for days."""

    theta: float = 1.5
    beta: float = 0.0
    gamma1: float = 0.6
    gamma2: float = 0.6
    harmonics: int = 1
    phi: float = 1.5
    freq: int = 52

    def mean(self, t: NDArray[np.float64]) -> FloatArray:
        season = sum(self.gamma1 * np.cos(2 * np.pi * j * t / self.freq)
                     + self.gamma2 * np.sin(2 * np.pi * j * t / self.freq) for j in range(1, self.harmonics + 1))
        return np.asarray(np.exp(self.theta + self.beta * t + season), dtype=np.float64)


def baseline(rng: np.random.Generator, scenario: Scenario, length: int, series: int = 1) -> FloatArray:
    """``series`` x ``length`` baseline counts."""
    mu = np.broadcast_to(scenario.mean(np.arange(1, length + 1, dtype=np.float64)), (series, length))
    if scenario.phi <= 1.0:
        return rng.poisson(mu).astype(np.float64)
    size = mu / (scenario.phi - 1.0)
    return rng.negative_binomial(size, 1.0 / scenario.phi).astype(np.float64)


def outbreak(rng: np.random.Generator, scenario: Scenario, start: int, k: float, length: int) -> FloatArray:
    """Cases of one outbreak of ``k`` baseline standard deviations starting at ``start`` (0-based)."""
    sd = float(np.sqrt(scenario.phi * scenario.mean(np.array([start + 1.0]))[0]))
    cases = int(rng.poisson(k * sd))
    scale = 7.0 if scenario.freq > 52 else 1.0  # the paper's delays are in weeks
    at = start + np.floor(rng.lognormal(0.0, 0.5, cases) * scale).astype(np.int64)
    added = np.zeros(length)
    np.add.at(added, at[at < length], 1.0)
    return added
