"""Shortest paths on undirected edge lists, including the OR-Library duplicate-edge convention."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from healthplan.access.network import edge_graph, shortest_paths
from healthplan.access.siting import OrlibPMedian, p_median, parse_orlib_pmedian


def test_path_graph_distances_are_symmetric_sums() -> None:
    graph = edge_graph(4, [[0, 1], [1, 2], [2, 3]], [1.0, 2.0, 4.0])
    dist = shortest_paths(graph)
    expected = np.array([[0, 1, 3, 7], [1, 0, 2, 6], [3, 2, 0, 4], [7, 6, 4, 0]], dtype=float)
    np.testing.assert_array_equal(dist, expected)


def test_duplicate_edges_last_versus_min() -> None:
    edges = [[0, 1], [1, 0], [0, 1]]
    assert shortest_paths(edge_graph(2, edges, [5.0, 3.0, 9.0], duplicates="last"))[0, 1] == 9.0
    assert shortest_paths(edge_graph(2, edges, [5.0, 3.0, 9.0], duplicates="min"))[0, 1] == 3.0


def test_zero_cost_edges_self_loops_and_disconnected_nodes() -> None:
    graph = edge_graph(4, [[0, 1], [1, 2], [2, 2]], [0.0, 2.0, 7.0])
    dist = shortest_paths(graph)
    assert dist[0, 1] == 0.0
    assert dist[0, 2] == 2.0
    assert dist[2, 2] == 0.0
    assert np.isinf(dist[0, 3]) and np.isinf(dist[3, 0])


def test_many_to_many_subset_and_limit() -> None:
    graph = edge_graph(5, [[0, 1], [1, 2], [2, 3], [3, 4]], [1.0, 1.0, 1.0, 1.0])
    dist = shortest_paths(graph, sources=[0, 4], targets=[2, 3])
    np.testing.assert_array_equal(dist, [[2.0, 3.0], [2.0, 1.0]])
    local = shortest_paths(graph, sources=[0], targets=[1, 2, 3], limit=2.0)
    np.testing.assert_array_equal(local, [[1.0, 2.0, np.inf]])
    assert shortest_paths(graph, sources=[]).shape == (0, 5)


@pytest.mark.parametrize(
    ("n_nodes", "edges", "costs", "message"),
    [
        (3, [[0, 3]], [1.0], "endpoint"),
        (3, [[0, 1]], [-1.0], "non-negative"),
        (3, [[0, 1]], [1.0, 2.0], "costs"),
    ],
)
def test_bad_edge_lists_are_rejected(
    n_nodes: int, edges: list[list[int]], costs: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        edge_graph(n_nodes, edges, costs)


def test_bad_source_index_is_rejected() -> None:
    with pytest.raises(ValueError, match="sources"):
        shortest_paths(edge_graph(2, [[0, 1]], [1.0]), sources=[2])


def test_orlib_parser_reads_header_and_one_based_edges() -> None:
    instance = parse_orlib_pmedian(" 3 2 1\n 1 2 5\n 3 2 4\n")
    assert (instance.n_nodes, instance.p) == (3, 1)
    np.testing.assert_array_equal(instance.edges, [[0, 1], [2, 1]])
    np.testing.assert_array_equal(instance.cost_matrix()[0], [0.0, 5.0, 9.0])
    with pytest.raises(ValueError, match="announces"):
        parse_orlib_pmedian("3 3 1\n1 2 5\n")


def test_pmed1_needs_last_duplicate_cost(load_orlib: Callable[[int], OrlibPMedian]) -> None:
    """The README warns that keeping the minimum duplicate cost gives 5718 instead of the optimum 5819."""
    instance = load_orlib(1)
    keep_min = shortest_paths(edge_graph(instance.n_nodes, instance.edges, instance.costs, duplicates="min"))
    assert p_median(keep_min, instance.p).objective == pytest.approx(5718)
    assert p_median(instance.cost_matrix(), instance.p).objective == pytest.approx(5819)
