"""Parsers for Beasley's OR-Library p-median instances (pmed1-pmed40) and their optimum table.

Why: the OR-Library optima are the acceptance test of the p-median solver.  The parsers take text, not paths,
so the package does no file I/O; callers read the files.  Per the OR-Library convention the LAST cost listed
for a repeated edge wins, the cost matrix is the all-pairs shortest-path completion, and every vertex is both
a unit-weight demand point and a candidate site.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from healthplan.access.network import edge_graph, shortest_paths


@dataclass(frozen=True, eq=False)
class OrlibPMedian:
    """One instance: ``edges`` zero-based ``(k, 2)``, ``costs`` as listed (duplicates not yet resolved)."""

    n_nodes: int
    p: int
    edges: NDArray[np.int64]
    costs: NDArray[np.float64]

    def cost_matrix(self) -> NDArray[np.float64]:
        """All-pairs shortest-path distances, last duplicate edge cost winning."""
        return shortest_paths(edge_graph(self.n_nodes, self.edges, self.costs, duplicates="last"))


def parse_orlib_pmedian(text: str) -> OrlibPMedian:
    """Parse ``n edges p`` then one ``i j cost`` line per edge (vertices numbered from 1)."""
    numbers = text.split()
    if len(numbers) < 3:
        raise ValueError("OR-Library p-median file needs a header 'n edges p'")
    n_nodes, n_edges, p = (int(x) for x in numbers[:3])
    body = np.array(numbers[3:], dtype=np.float64)
    if body.size != 3 * n_edges:
        raise ValueError(f"header announces {n_edges} edges but the file holds {body.size / 3:g}")
    table = body.reshape(n_edges, 3)
    return OrlibPMedian(
        n_nodes=n_nodes,
        p=p,
        edges=table[:, :2].astype(np.int64) - 1,
        costs=table[:, 2].copy(),
    )


def parse_orlib_optima(text: str) -> dict[str, float]:
    """Parse ``pmedopt.txt``: a header line, then ``name value`` per instance."""
    optima: dict[str, float] = {}
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) == 2:
            optima[parts[0]] = float(parts[1])
    return optima
