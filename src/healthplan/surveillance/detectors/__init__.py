"""Outbreak-detection algorithms over count series: pure functions on numpy arrays, no I/O.

EARS C1/C2/C3, Farrington (1996 and Noufaily 2013) and CUSUM reproduce R's ``surveillance`` package
(version 1.20.3); CIDARS implements China's moving-percentile and fixed-threshold early-warning methods.
Positions are 0-based; thresholds are NaN and alarms masked where R reports NA.
"""

from .cidars import cidars_fixed, cidars_percentile
from .cusum import CusumResult, cusum
from .ears import EarsMethod, ears
from .farrington import (
    FARRINGTON_NOUFAILY,
    FARRINGTON_ORIGINAL,
    FarringtonControl,
    FarringtonResult,
    Threshold,
    farrington,
    farrington_noufaily,
    threshold_delta,
    threshold_noufaily,
)
from .glm import QuasiPoissonFit, fit_quasipoisson
from .result import DetectorResult

__all__ = [
    "FARRINGTON_NOUFAILY",
    "FARRINGTON_ORIGINAL",
    "CusumResult",
    "DetectorResult",
    "EarsMethod",
    "FarringtonControl",
    "FarringtonResult",
    "QuasiPoissonFit",
    "Threshold",
    "cidars_fixed",
    "cidars_percentile",
    "cusum",
    "ears",
    "farrington",
    "farrington_noufaily",
    "fit_quasipoisson",
    "threshold_delta",
    "threshold_noufaily",
]
