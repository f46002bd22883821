"""The desired-state graph: addresses as nodes, "depends on" as edges.

Built on the standard library's ``graphlib``, with a deterministic order: among the
nodes ready at any moment, the first by kind (project, dataset, model, export,
deployment) then by name goes first. Pure data: no manifest, HTTP or CLI knowledge,
so the planner can also build one from state.
"""

from __future__ import annotations

import graphlib
import heapq
from collections.abc import Iterable, Mapping

from ulplan.errors import UlplanError

_KIND_ORDER = {
    kind: index for index, kind in enumerate(("project", "dataset", "model", "export", "deployment"))
}


class GraphCycleError(UlplanError):
    """The graph has a cycle, so it has no order; ``cycle`` lists it, first node repeated last."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        super().__init__("dependency cycle: " + " -> ".join(cycle))


def sort_key(address: str) -> tuple[int, str, str]:
    """Tie-break key of an address: kind order, then kind, then name."""
    kind, _, name = address.partition(".")
    return (_KIND_ORDER.get(kind, len(_KIND_ORDER)), kind, name)


class Graph:
    """Addresses and their dependencies; ``edges[a]`` are the addresses ``a`` depends on.

    Edges to addresses that are not nodes are dropped: a reference to a resource ulplan
    does not manage (``{id: ...}``) or to one already gone constrains nothing.
    """

    def __init__(self, nodes: Iterable[str], edges: Mapping[str, Iterable[str]]) -> None:
        self._nodes = frozenset(nodes)
        self._deps: dict[str, frozenset[str]] = {
            node: frozenset(d for d in edges.get(node, ()) if d in self._nodes) for node in self._nodes
        }
        self._dependents: dict[str, set[str]] = {node: set() for node in self._nodes}
        for node, deps in self._deps.items():
            for dep in deps:
                self._dependents[dep].add(node)

    @property
    def nodes(self) -> frozenset[str]:
        """Every address in the graph."""
        return self._nodes

    def __contains__(self, address: object) -> bool:
        return address in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def dependencies(self, address: str) -> frozenset[str]:
        """What ``address`` depends on directly."""
        return self._deps[address]

    def dependents(self, address: str) -> frozenset[str]:
        """What depends on ``address`` directly."""
        return frozenset(self._dependents[address])

    def order(self) -> list[str]:
        """Every node, each after all it depends on; raises GraphCycleError on a cycle."""
        sorter = graphlib.TopologicalSorter(self._deps)
        try:
            sorter.prepare()
        except graphlib.CycleError:
            raise GraphCycleError(self.find_cycle() or []) from None
        ready: list[tuple[tuple[int, str, str], str]] = []
        result: list[str] = []
        while sorter.is_active():
            for node in sorter.get_ready():
                heapq.heappush(ready, (sort_key(node), node))
            _key, node = heapq.heappop(ready)
            result.append(node)
            sorter.done(node)
        return result

    def reverse_order(self) -> list[str]:
        """Dependents before what they depend on: the order of deletes."""
        return list(reversed(self.order()))

    def with_dependencies(self, targets: Iterable[str]) -> set[str]:
        """The targets and everything they depend on, transitively."""
        return self._closure(targets, self._deps)

    def with_dependents(self, targets: Iterable[str]) -> set[str]:
        """The targets and everything that depends on them, transitively."""
        return self._closure(targets, self._dependents)

    @staticmethod
    def _closure(targets: Iterable[str], step: Mapping[str, Iterable[str]]) -> set[str]:
        seen: set[str] = set()
        stack = [t for t in targets if t in step]
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(step[node])
        return seen

    def find_cycle(self) -> list[str] | None:
        """One cycle as ``[a, b, ..., a]`` (a depends on b ...), deterministic; None if acyclic."""
        state: dict[str, int] = {}  # 1: on the current path, 2: finished
        for start in sorted(self._nodes, key=sort_key):
            if state.get(start):
                continue
            found = self._cycle_from(start, state)
            if found:
                return found
        return None

    def _cycle_from(self, start: str, state: dict[str, int]) -> list[str] | None:
        # Iterative depth-first search, so a long chain cannot hit the recursion limit.
        path = [start]
        state[start] = 1
        stack = [iter(sorted(self._deps[start], key=sort_key))]
        while stack:
            dep = next(stack[-1], None)
            if dep is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(dep) == 1:
                return [*path[path.index(dep) :], dep]
            elif not state.get(dep):
                state[dep] = 1
                path.append(dep)
                stack.append(iter(sorted(self._deps[dep], key=sort_key)))
        return None
