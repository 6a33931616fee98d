"""Evaluate methods on simulated series (Noufaily et al. 2013): false-positive rate and probability of detection.

Each simulated series has a baseline (``synthetic.Scenario``) with four outbreaks in its history and one in
the evaluated last year (49 weeks, or 365 days); the outbreak size is ``k`` baseline standard deviations.
False-positive rate: alarms on evaluated points without outbreak cases, over such points with a threshold.
Probability of detection: share of the current outbreaks with at least one alarm while they last.
Deterministic by seed, so two CDC analysts get the same table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from healthplan.surveillance.detectors import cusum
from healthplan.surveillance.detectors.batch import (
    BatchResult,
    cidars_fixed_many,
    cidars_percentile_many,
    ears_many,
    farrington_many,
)
from healthplan.surveillance.methods import Params, check_method, farrington_control, parse_params
from healthplan.surveillance.synthetic import Scenario, baseline, outbreak

START = dt.date(2000, 1, 3)


@dataclass(frozen=True)
class Candidate:
    """A method with one parameter set, as typed: ``cidars:percentile=90,years=2``."""

    method: str
    params: Params
    label: str

    @classmethod
    def parse(cls, text: str) -> Candidate:
        method, _, rest = text.partition(":")
        check_method(method.strip())
        given = dict(item.split("=", 1) for item in rest.split(";") if item.strip()) if rest else {}
        return cls(method.strip(), parse_params(method.strip(), {k.strip(): v.strip() for k, v in given.items()}),
                   text.strip())


@dataclass(frozen=True)
class Score:
    label: str
    k: float
    false_positive_rate: float
    detection: float

    def to_json(self) -> dict[str, object]:
        return {"method": self.label, "k": self.k, "false_positive_rate": round(self.false_positive_rate, 4),
                "probability_of_detection": round(self.detection, 4)}


def _run(candidate: Candidate, y: np.ndarray, at: np.ndarray, scenario: Scenario) -> BatchResult:
    p = candidate.params
    m = candidate.method
    if m.startswith("ears_"):
        return ears_many(y, at, method=m[-2:].upper(), **p)  # type: ignore[arg-type]
    if m == "farrington":
        dates = np.datetime64(START, "D") + (7 if scenario.freq == 52 else 1) * np.arange(y.shape[1])
        return farrington_many(y, at, farrington_control(p), dates=dates, freq=scenario.freq)
    if m == "fixed":
        return cidars_fixed_many(y, at, **p)
    if m == "cidars":
        if scenario.freq != 365:
            raise ValueError("cidars needs daily series (--frequency daily)")
        return cidars_percentile_many(y, START, at, **p)
    rows = [cusum(row, at, **p) for row in y]
    return BatchResult(at, np.vstack([r.observed for r in rows]), np.vstack([r.upperbound for r in rows]),
                       np.ma.vstack([r.alarm for r in rows]))


def evaluate(candidates: list[Candidate], scenario: Scenario, ks: list[float], series: int = 100,
             seed: int = 1, years: int = 7) -> list[Score]:
    """Score every candidate for every outbreak size ``k`` on the same simulated series."""
    freq = scenario.freq
    length = years * freq
    current = 49 if freq == 52 else 365
    at = np.arange(length - current, length)
    scores: list[Score] = []
    for k in ks:
        rng = np.random.default_rng([seed, int(k * 1000)])
        y = baseline(rng, scenario, length, series)
        extra = np.zeros_like(y)
        now = np.zeros_like(y)
        for i in range(series):
            for start in rng.integers(0, length - current - freq // 4, 4):
                extra[i] += outbreak(rng, scenario, int(start), k, length)
            begin = int(rng.integers(length - current, length - freq // 8))
            now[i] = outbreak(rng, scenario, begin, k, length)
        counts = y + extra + now
        for candidate in candidates:
            result = _run(candidate, counts, at, scenario)
            alarm = np.ma.filled(result.alarm, False)
            defined = ~np.ma.getmaskarray(result.alarm)
            quiet = (now[:, at] == 0) & defined
            fpr = float(alarm[quiet].sum() / max(quiet.sum(), 1))
            during = now[:, at] > 0
            detected = np.any(alarm & during, axis=1)
            has = during.any(axis=1)
            pod = float(detected[has].mean()) if has.any() else float("nan")
            scores.append(Score(candidate.label, k, fpr, pod))
    return scores


DEFAULT_WEEKLY = ["farrington:b=3;w=3;alpha=0.01;weights_threshold=1;past_weeks_not_included=3",
                  "farrington:b=5;w=3;alpha=0.01;no_periods=10;past_weeks_not_included=26;p_threshold_trend=1;"
                  "threshold_method=nbPlugin", "ears_c1", "ears_c2", "ears_c3", "cusum"]
DEFAULT_DAILY = ["cidars:percentile=50;years=3", "cidars:percentile=80;years=3", "cidars:percentile=90;years=3",
                 "cidars:percentile=80;years=2", "cidars:percentile=80;years=3;neighbours=2", "ears_c1", "ears_c2",
                 "ears_c3"]
