"""Site-selection benchmark: OR-Library pmed1–20 to proven optimality, and the spopt San Francisco problems
against PySAL spopt measured in the same run.

Part 1 solves pmed1–pmed20 with ``healthplan.access.siting.p_median`` (time = wall clock including the
all-pairs shortest paths) and checks each objective against ``pmedopt.txt``; the goal is ≤ 10 s per instance.
Part 2 solves the San Francisco MCLP (p = 4, 5000 m) and p-median (p = 4) with healthplan and with spopt
(PuLP + CBC, in a separate environment called through a subprocess, best of N runs each, model building
included), checks that both find the same sites and objective, and prints spopt's time over ours (goal ≥ 5×).
Without the spopt environment part 2 says so and is skipped.

    .venv/bin/python -m benchmarks.locate.bench                   # everything
    .venv/bin/python -m benchmarks.locate.bench --instances 1 2   # a few OR-Library instances
    HEALTHPLAN_SPOPT_PYTHON=/path/to/python .venv/bin/python -m benchmarks.locate.bench --no-orlib
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from healthplan.access.siting import SitingResult, mclp, p_median, parse_orlib_optima, parse_orlib_pmedian

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
PEER = Path(__file__).resolve().parent / "spopt_peer.py"
SPOPT_PYTHON = os.environ.get("HEALTHPLAN_SPOPT_PYTHON", "/tmp/spopt-venv/bin/python")
GOAL_SECONDS = 10.0
GOAL_RATIO = 5.0


def orlib(numbers: list[int]) -> bool:
    optima = parse_orlib_optima((FIXTURES / "pmedian" / "pmedopt.txt").read_text())
    print(f"{'instance':>8} {'n':>4} {'p':>4} {'objective':>9} {'optimum':>8} {'gap':>8} {'seconds':>8}  goal ≤10 s")
    all_ok = True
    for k in numbers:
        name = f"pmed{k}"
        started = time.perf_counter()
        instance = parse_orlib_pmedian((FIXTURES / "pmedian" / f"{name}.txt").read_text())
        result = p_median(instance.cost_matrix(), instance.p)
        seconds = time.perf_counter() - started
        ok = result.optimal and result.objective == optima[name]
        all_ok &= ok and seconds <= GOAL_SECONDS
        print(f"{name:>8} {instance.n_nodes:>4} {instance.p:>4} {result.objective:>9.0f} {optima[name]:>8.0f} "
              f"{result.mip_gap:>8.1e} {seconds:>8.2f}  {'met' if seconds <= GOAL_SECONDS else 'MISSED'}"
              f"{'' if ok else '  NOT OPTIMAL'}", flush=True)
    return all_ok


def sf_problem() -> tuple[NDArray[np.float64], NDArray[np.float64], tuple[str, ...]]:
    """The 205 tracts × 16 stores network distances and the tract populations (spopt's test data)."""
    folder = FIXTURES / "spopt_sf"
    with (folder / "SF_demand_205_centroid_uniform_weight.csv").open(newline="") as handle:
        tracts = [(row["NAME"], float(row["POP2000"])) for row in csv.DictReader(handle)]
    with (folder / "SF_network_distance_candidateStore_16_censusTract_205_new.csv").open(newline="") as handle:
        links = [(r["DestinationName"], r["name"], float(r["distance"])) for r in csv.DictReader(handle)]
    stores = tuple(sorted({s for _, s, _ in links}, key=lambda s: int(s.split("_")[1])))
    row = {name: i for i, (name, _) in enumerate(tracts)}
    col = {name: j for j, name in enumerate(stores)}
    cost = np.zeros((len(tracts), len(stores)))
    for tract, store, distance in links:
        cost[row[tract], col[store]] = distance
    return cost, np.array([w for _, w in tracts]), stores


def best_of(repeats: int, solve: Callable[[], SitingResult]) -> tuple[SitingResult, float]:
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = solve()
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return result, best


def san_francisco(repeats: int) -> bool:
    cost, weights, stores = sf_problem()
    p, radius = 4, 5000.0
    ours = {"mclp": best_of(repeats, lambda: mclp(cost, radius, p, weights=weights)),
            "pmedian": best_of(repeats, lambda: p_median(cost, p, weights=weights))}
    if not Path(SPOPT_PYTHON).exists():
        print(f"\nSan Francisco: spopt environment not found at {SPOPT_PYTHON}; peer comparison skipped "
              "(python3 -m venv /tmp/spopt-venv && /tmp/spopt-venv/bin/pip install spopt, or set "
              "HEALTHPLAN_SPOPT_PYTHON)")
        for model, (result, seconds) in ours.items():
            print(f"{model:>8}: objective {result.objective:,.2f}, sites {[stores[j] for j in result.sites]}, "
                  f"{seconds * 1000:.1f} ms")
        return True
    with tempfile.TemporaryDirectory() as folder:
        np.save(Path(folder) / "cost.npy", cost)
        np.save(Path(folder) / "weights.npy", weights)
        (Path(folder) / "problem.json").write_text(json.dumps({"p": p, "radius": radius}))
        done = subprocess.run([SPOPT_PYTHON, str(PEER), folder, str(repeats)], capture_output=True, text=True,
                              check=True)
    peer = json.loads(done.stdout)
    print(f"\nSan Francisco (205 tracts × 16 stores, p = {p}, MCLP radius {radius:g} m), best of {repeats} runs:")
    print(f"{'model':>8} {'ours objective':>16} {'spopt objective':>16} {'same':>5} {'ours ms':>9} {'spopt ms':>9} "
          f"{'ratio':>7}  goal ≥5×")
    all_ok = True
    for model, (result, seconds) in ours.items():
        theirs = peer[model]
        same = sorted(result.sites) == sorted(theirs["sites"]) and np.isclose(result.objective,
                                                                              theirs["objective"], rtol=1e-9)
        ratio = theirs["seconds"] / seconds
        all_ok &= bool(same) and ratio >= GOAL_RATIO
        print(f"{model:>8} {result.objective:>16,.2f} {theirs['objective']:>16,.2f} {'yes' if same else 'NO':>5} "
              f"{seconds * 1000:>9.1f} {theirs['seconds'] * 1000:>9.1f} {ratio:>7.1f}  "
              f"{'met' if ratio >= GOAL_RATIO else 'MISSED'}")
        print(f"{'':>8} sites {[stores[j] for j in sorted(result.sites)]}")
    return all_ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", nargs="*", type=int, default=list(range(1, 21)))
    parser.add_argument("--no-orlib", action="store_true", help="skip the OR-Library part")
    parser.add_argument("--repeats", type=int, default=5, help="runs per San Francisco model (best is kept)")
    args = parser.parse_args()
    ok = True
    if not args.no_orlib:
        ok &= orlib(args.instances)
    ok &= san_francisco(args.repeats)
    print("\nall goals met" if ok else "\nsome goals missed (see above)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
