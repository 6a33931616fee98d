"""Shortest-path distances on an undirected weighted edge list.

Why: location models need a demand-by-candidate cost matrix, and on a road network (or an OR-Library p-median
instance) the relevant cost is the shortest-path distance along the edges, not a straight line.  Dijkstra from
``scipy.sparse.csgraph`` handles the many-to-many case by running once per source row.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

DuplicatePolicy = Literal["min", "last"]


def edge_graph(
    n_nodes: int,
    edges: ArrayLike,
    costs: ArrayLike,
    *,
    duplicates: DuplicatePolicy = "min",
) -> Any:
    """Build a sparse undirected graph (scipy CSR, upper triangle) from ``edges`` numbered ``0..n_nodes-1``.

    ``duplicates`` says which cost an edge listed more than once keeps: ``"min"`` suits road data with parallel
    links; ``"last"`` is the OR-Library convention (the last listed cost replaces earlier ones).  Edge direction
    is ignored, self-loops are dropped and zero-cost edges are kept as edges.
    """
    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    weight = np.asarray(costs, dtype=np.float64).reshape(-1)
    if n_nodes < 0:
        raise ValueError("n_nodes must be non-negative")
    if weight.shape[0] != pairs.shape[0]:
        raise ValueError(f"{pairs.shape[0]} edges but {weight.shape[0]} costs")
    if pairs.size and (pairs.min() < 0 or pairs.max() >= n_nodes):
        raise ValueError("edge endpoint outside 0..n_nodes-1")
    if np.isnan(weight).any() or (weight < 0).any():
        raise ValueError("edge costs must be non-negative numbers")
    keep = pairs[:, 0] != pairs[:, 1]
    lo = np.minimum(pairs[keep, 0], pairs[keep, 1])
    hi = np.maximum(pairs[keep, 0], pairs[keep, 1])
    weight = weight[keep]
    key = lo * max(n_nodes, 1) + hi
    if duplicates == "last":
        # np.unique reports the first occurrence; on the reversed list that is the last one listed.
        _, first_in_reversed = np.unique(key[::-1], return_index=True)
        chosen = key.shape[0] - 1 - first_in_reversed
    elif duplicates == "min":
        order = np.lexsort((weight, key))
        _, first_sorted = np.unique(key[order], return_index=True)
        chosen = order[first_sorted]
    else:
        raise ValueError(f"unknown duplicates policy {duplicates!r}")
    return csr_matrix((weight[chosen], (lo[chosen], hi[chosen])), shape=(n_nodes, n_nodes))


def shortest_paths(
    graph: Any,
    sources: ArrayLike | None = None,
    targets: ArrayLike | None = None,
    *,
    limit: float = np.inf,
) -> NDArray[np.float64]:
    """Shortest-path distances from ``sources`` (rows) to ``targets`` (columns) on an undirected ``graph``.

    ``None`` means every node.  Pairs that are not connected, or farther apart than ``limit``, get ``inf``;
    a finite ``limit`` keeps Dijkstra local, which is what coverage models on large road networks need.
    """
    n_nodes = int(graph.shape[0])
    rows = np.arange(n_nodes) if sources is None else np.asarray(sources, dtype=np.int64).reshape(-1)
    for name, index in (("sources", rows), ("targets", targets)):
        if index is not None:
            values = np.asarray(index, dtype=np.int64)
            if values.size and (values.min() < 0 or values.max() >= n_nodes):
                raise ValueError(f"{name} index outside 0..{n_nodes - 1}")
    if rows.size == 0:
        width = n_nodes if targets is None else np.asarray(targets).size
        return np.zeros((0, width), dtype=np.float64)
    dist = np.asarray(dijkstra(graph, directed=False, indices=rows, limit=limit), dtype=np.float64)
    dist = dist.reshape(rows.size, n_nodes)
    if targets is None:
        return dist
    return dist[:, np.asarray(targets, dtype=np.int64).reshape(-1)]
