"""Exact facility siting for health planning: LSCP, MCLP and p-median solved as MIPs with HiGHS.

Why: planners keep existing hospitals open (``fixed``) and ask where to add new ones; every model takes a
demand-by-candidate cost matrix and demand weights and returns a :class:`SitingResult` that carries the
solver's status and MIP gap, so a non-proven answer is never mistaken for an optimum.
"""

from healthplan.access.siting._highs import SolverOptions
from healthplan.access.siting.lscp import lscp
from healthplan.access.siting.mclp import mclp
from healthplan.access.siting.orlib import OrlibPMedian, parse_orlib_optima, parse_orlib_pmedian
from healthplan.access.siting.pmedian import p_median
from healthplan.access.siting.result import SitingResult

__all__ = [
    "OrlibPMedian",
    "SitingResult",
    "SolverOptions",
    "lscp",
    "mclp",
    "p_median",
    "parse_orlib_optima",
    "parse_orlib_pmedian",
]
