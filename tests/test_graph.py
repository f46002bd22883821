"""The dependency graph: deterministic order, closures, cycles."""

from __future__ import annotations

import pytest

from ulplan.graph import Graph, GraphCycleError


def chain() -> Graph:
    return Graph(
        ["deployment.api", "export.onnx", "model.yolo", "dataset.traffic", "project.p", "project.a"],
        {
            "model.yolo": ["project.p", "dataset.traffic"],
            "export.onnx": ["model.yolo"],
            "deployment.api": ["model.yolo"],
        },
    )


def test_order_puts_dependencies_first_and_breaks_ties_by_kind_then_name() -> None:
    assert chain().order() == [
        "project.a",
        "project.p",
        "dataset.traffic",
        "model.yolo",
        "export.onnx",
        "deployment.api",
    ]


def test_order_prefers_a_ready_earlier_kind_over_a_later_one() -> None:
    graph = Graph(["project.z", "deployment.d", "model.m"], {"model.m": ["deployment.d"]})
    assert graph.order() == ["project.z", "deployment.d", "model.m"]


def test_order_is_independent_of_input_order() -> None:
    nodes = ["model.b", "model.a", "project.x"]
    edges = {"model.b": ["project.x"], "model.a": ["project.x"]}
    assert Graph(nodes, edges).order() == Graph(list(reversed(nodes)), edges).order()


def test_reverse_order_deletes_dependents_first() -> None:
    order = chain().reverse_order()
    assert order.index("deployment.api") < order.index("model.yolo") < order.index("project.p")


def test_dependencies_and_dependents() -> None:
    graph = chain()
    assert graph.dependencies("model.yolo") == {"project.p", "dataset.traffic"}
    assert graph.dependents("model.yolo") == {"export.onnx", "deployment.api"}
    assert graph.dependents("project.a") == frozenset()


def test_with_dependencies_is_transitive() -> None:
    assert chain().with_dependencies(["export.onnx"]) == {
        "export.onnx",
        "model.yolo",
        "project.p",
        "dataset.traffic",
    }


def test_with_dependents_is_transitive() -> None:
    assert chain().with_dependents(["dataset.traffic"]) == {
        "dataset.traffic",
        "model.yolo",
        "export.onnx",
        "deployment.api",
    }


def test_edges_to_addresses_that_are_not_nodes_are_dropped() -> None:
    graph = Graph(["model.m"], {"model.m": ["project.unmanaged"]})
    assert graph.dependencies("model.m") == frozenset()
    assert graph.order() == ["model.m"]


def test_find_cycle_returns_the_whole_cycle() -> None:
    graph = Graph(
        ["project.p", "model.m", "deployment.d", "dataset.free"],
        {"project.p": ["deployment.d"], "deployment.d": ["model.m"], "model.m": ["project.p"]},
    )
    assert graph.find_cycle() == ["project.p", "deployment.d", "model.m", "project.p"]
    with pytest.raises(GraphCycleError) as caught:
        graph.order()
    assert caught.value.cycle == ["project.p", "deployment.d", "model.m", "project.p"]


def test_a_self_reference_is_a_cycle() -> None:
    assert Graph(["model.m"], {"model.m": ["model.m"]}).find_cycle() == ["model.m", "model.m"]


def test_acyclic_graph_has_no_cycle() -> None:
    assert chain().find_cycle() is None


def test_long_chain_does_not_recurse() -> None:
    nodes = [f"model.m{i:05d}" for i in range(5000)]
    edges = {nodes[i]: [nodes[i - 1]] for i in range(1, len(nodes))}
    graph = Graph(nodes, edges)
    assert graph.order() == nodes
    assert graph.find_cycle() is None
