"""Benchmark the exact p-median solver on all 40 OR-Library instances (Beasley 1985).

For every instance prints our objective, the proven optimum from ``pmedopt.txt``, our time, and the time of a
peer measured in the same run: the textbook "strong" formulation (an assignment variable x_ij per pair,
x_ij <= y_j, sum_j x_ij = 1, sum_j y_j = p) handed to HiGHS with no warm start.  ``ratio`` is peer time over
our time (a ``>`` prefix means the peer hit its time limit, so the true ratio is larger).

Run from the repository root::

    .venv/bin/python -m benchmarks.siting.pmedian_orlib                  # all 40, peer limit 300 s
    .venv/bin/python -m benchmarks.siting.pmedian_orlib 1 2 3 --no-peer  # a few, ours only
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from healthplan.access.siting import SolverOptions, p_median, parse_orlib_optima, parse_orlib_pmedian
from healthplan.access.siting._highs import Mip, MipOutcome, solve

DATA = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "pmedian"


def strong_formulation(cost: NDArray[np.float64], p: int) -> Mip:
    """The naive peer: y_j binary, x_ij continuous, every demand weight 1."""
    n, m = cost.shape
    x = m + np.arange(n * m, dtype=np.int64)  # column of x_ij, row-major over (i, j)
    i_of, j_of = np.divmod(np.arange(n * m, dtype=np.int64), m)
    assign_rows = i_of  # rows 0..n-1: sum_j x_ij = 1
    link_rows = n + np.arange(n * m, dtype=np.int64)  # rows n..n+nm-1: x_ij - y_j <= 0
    p_row = n + n * m
    return Mip(
        cost=np.concatenate([np.zeros(m), cost.reshape(-1)]),
        lower=np.zeros(m + n * m),
        upper=np.ones(m + n * m),
        integer=np.concatenate([np.ones(m, dtype=np.bool_), np.zeros(n * m, dtype=np.bool_)]),
        row_lower=np.concatenate([np.ones(n), np.full(n * m, -np.inf), [float(p)]]),
        row_upper=np.concatenate([np.ones(n), np.zeros(n * m), [float(p)]]),
        rows=np.concatenate([assign_rows, link_rows, link_rows, np.full(m, p_row)]),
        cols=np.concatenate([x, x, j_of, np.arange(m, dtype=np.int64)]),
        values=np.concatenate([np.ones(n * m), np.ones(n * m), -np.ones(n * m), np.ones(m)]),
    )


def run_peer(cost: NDArray[np.float64], p: int, time_limit: float) -> tuple[MipOutcome, float]:
    """Solve the strong formulation; return HiGHS's outcome and the wall time including model building."""
    started = time.perf_counter()
    outcome = solve(strong_formulation(cost, p), None, SolverOptions(time_limit=time_limit))
    return outcome, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("instances", nargs="*", type=int, help="instance numbers (default: 1..40)")
    parser.add_argument("--time-limit", type=float, default=3600.0, help="our time limit per instance (s)")
    parser.add_argument(
        "--peer-time-limit", type=float, default=300.0, help="peer time limit per instance (s)"
    )
    parser.add_argument("--no-peer", action="store_true", help="skip the peer")
    args = parser.parse_args()
    optima = parse_orlib_optima((DATA / "pmedopt.txt").read_text())
    numbers = args.instances or list(range(1, 41))
    print(
        f"{'inst':>6} {'n':>4} {'p':>4} {'ours':>7} {'optimum':>7} {'ok':>3} {'gap':>8} {'ours_s':>8} "
        f"{'peer':>7} {'peer_s':>8} {'ratio':>8}",
        flush=True,
    )
    total_ours = 0.0
    solved = 0
    for k in numbers:
        name = f"pmed{k}"
        instance = parse_orlib_pmedian((DATA / f"{name}.txt").read_text())
        started = time.perf_counter()
        cost = instance.cost_matrix()
        result = p_median(cost, instance.p, options=SolverOptions(time_limit=args.time_limit))
        ours_s = time.perf_counter() - started
        total_ours += ours_s
        ok = result.optimal and abs(result.objective - optima[name]) < 0.5
        solved += ok
        line = (
            f"{name:>6} {instance.n_nodes:>4} {instance.p:>4} {result.objective:>7.0f} {optima[name]:>7.0f} "
            f"{'yes' if ok else 'NO':>3} {result.mip_gap:>8.2e} {ours_s:>8.2f}"
        )
        if not args.no_peer:
            peer, peer_s = run_peer(cost, instance.p, args.peer_time_limit)
            prefix = "" if peer.optimal else ">"
            line += f" {peer.objective:>7.0f} {peer_s:>8.2f} {prefix + format(peer_s / ours_s, '.2f'):>8}"
        print(line, flush=True)
    print(f"proven optimum reached on {solved}/{len(numbers)} instances; our total time {total_ours:.1f} s")


if __name__ == "__main__":
    main()
