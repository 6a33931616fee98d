"""A thin bridge from numpy arrays to the HiGHS MIP solver.

Why: every siting model is a small 0-1 programme; building them as sparse arrays (not one Python object per
variable) keeps model construction fast enough for OR-Library sized instances, and funnelling every solve
through one function makes the reported status, gap and timing mean the same thing for every model.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csc_matrix


@dataclass(frozen=True)
class SolverOptions:
    """How hard to try.  ``mip_rel_gap=0`` asks HiGHS for a proven optimum (its default is 1e-4).

    ``highs`` passes further HiGHS options through by name (e.g. ``{"mip_heuristic_effort": 0.0}``).
    """

    time_limit: float | None = None
    mip_rel_gap: float = 0.0
    threads: int | None = None
    verbose: bool = False
    highs: Mapping[str, bool | int | float | str] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Mip:
    """A mixed 0-1 programme: bounds per column, ranged rows, constraint matrix as COO triplets."""

    cost: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    integer: NDArray[np.bool_]
    row_lower: NDArray[np.float64]
    row_upper: NDArray[np.float64]
    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    values: NDArray[np.float64]
    offset: float = 0.0
    maximize: bool = False


@dataclass(frozen=True, eq=False)
class MipOutcome:
    """What HiGHS reported: ``values`` is ``None`` when it found no feasible point."""

    status: str
    optimal: bool
    values: NDArray[np.float64] | None
    objective: float
    dual_bound: float
    mip_gap: float
    seconds: float


def solve(mip: Mip, start: NDArray[np.float64] | None, options: SolverOptions) -> MipOutcome:
    """Solve ``mip`` with HiGHS, passing ``start`` (a full feasible column vector) as the incumbent."""
    n_col = int(mip.cost.shape[0])
    n_row = int(mip.row_lower.shape[0])
    matrix = csc_matrix((mip.values, (mip.rows, mip.cols)), shape=(n_row, n_col))
    matrix.sum_duplicates()

    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = n_row
    lp.col_cost_ = mip.cost
    lp.col_lower_ = mip.lower
    lp.col_upper_ = mip.upper
    lp.row_lower_ = mip.row_lower
    lp.row_upper_ = mip.row_upper
    lp.offset_ = float(mip.offset)
    lp.sense_ = highspy.ObjSense.kMaximize if mip.maximize else highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_col
    lp.a_matrix_.num_row_ = n_row
    lp.a_matrix_.start_ = np.asarray(matrix.indptr, dtype=np.int64)
    lp.a_matrix_.index_ = np.asarray(matrix.indices, dtype=np.int64)
    lp.a_matrix_.value_ = np.asarray(matrix.data, dtype=np.float64)
    integer, continuous = highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous
    lp.integrality_ = [integer if flag else continuous for flag in mip.integer.tolist()]

    highs = _new_highs()
    highs.setOptionValue("output_flag", options.verbose)
    highs.setOptionValue("mip_rel_gap", float(options.mip_rel_gap))
    if options.time_limit is not None:
        highs.setOptionValue("time_limit", float(options.time_limit))
    if options.threads is not None:
        highs.setOptionValue("threads", int(options.threads))
    for name, value in options.highs.items():
        _check(highs.setOptionValue(name, value), f"option {name}")
    _check(highs.passModel(lp), "passModel")
    if start is not None:
        incumbent = highspy.HighsSolution()
        incumbent.col_value = np.asarray(start, dtype=np.float64)
        incumbent.value_valid = True
        _check(highs.setSolution(incumbent), "setSolution")
    _check(highs.run(), "run")

    model_status = highs.getModelStatus()
    info = highs.getInfo()
    feasible = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible.value
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64) if feasible else None
    return MipOutcome(
        status=highs.modelStatusToString(model_status),
        optimal=model_status == highspy.HighsModelStatus.kOptimal,
        values=values,
        objective=float(info.objective_function_value) if feasible else float("nan"),
        dual_bound=float(info.mip_dual_bound),
        mip_gap=float(info.mip_gap),
        seconds=float(highs.getRunTime()),
    )


@cache
def _banner_shown() -> bool:
    """HiGHS prints its banner on standard output when the process makes its first solver; standard output
    belongs to a command's JSON answer and the banner says nothing a planner needs, so that first solver is made
    with standard output sent to the null device."""
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        highspy.Highs()  # type: ignore[no-untyped-call]  # highspy leaves Highs.__init__ unannotated
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return True


def _new_highs() -> highspy.Highs:
    _banner_shown()
    return highspy.Highs()  # type: ignore[no-untyped-call]


def _check(status: highspy.HighsStatus, step: str) -> None:
    """HiGHS signals misuse through return codes; turn an error code into an exception."""
    if status == highspy.HighsStatus.kError:
        raise RuntimeError(f"HiGHS {step} failed")
