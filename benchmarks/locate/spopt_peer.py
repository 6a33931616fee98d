"""The peer of benchmarks/locate/bench.py: PySAL spopt's MCLP and p-median on the same matrices.

Run by the benchmark with the Python of a throwaway environment that has spopt (never the product's)::

    python3 -m venv /tmp/spopt-venv && /tmp/spopt-venv/bin/pip install spopt
    /tmp/spopt-venv/bin/python benchmarks/locate/spopt_peer.py FOLDER REPEATS

FOLDER holds ``cost.npy``, ``weights.npy`` and ``problem.json`` (p, radius); prints one JSON object.
"""

import json
import sys
import time
from pathlib import Path

import numpy as np
import pulp
from spopt.locate import MCLP, PMedian


def timed(build, repeats):
    best, model = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        model = build()
        best = min(best, time.perf_counter() - started)
    return model, best


def main() -> None:
    folder, repeats = Path(sys.argv[1]), int(sys.argv[2])
    cost = np.load(folder / "cost.npy")
    weights = np.load(folder / "weights.npy")
    problem = json.loads((folder / "problem.json").read_text())
    solver = pulp.PULP_CBC_CMD(msg=False)
    mclp, mclp_seconds = timed(lambda: MCLP.from_cost_matrix(
        cost, weights, service_radius=problem["radius"], p_facilities=problem["p"]).solve(solver), repeats)
    median, median_seconds = timed(lambda: PMedian.from_cost_matrix(
        cost, weights, p_facilities=problem["p"]).solve(solver), repeats)

    def sites(model):
        return [j for j, var in enumerate(model.fac_vars) if var.value() > 0.5]

    print(json.dumps({
        "mclp": {"sites": sites(mclp), "objective": float(weights @ (np.min(cost[:, sites(mclp)], axis=1)
                                                                      <= problem["radius"])),
                 "seconds": mclp_seconds},
        "pmedian": {"sites": sites(median), "objective": float(median.problem.objective.value()),
                    "seconds": median_seconds},
    }))


if __name__ == "__main__":
    main()
