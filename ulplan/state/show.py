"""Pure helpers behind ``ulplan state show`` and ``state mv``: display lines and renaming."""

from __future__ import annotations

import json
from typing import Any

from ulplan.state.errors import StateError
from ulplan.state.model import ResourceState, State


def resource_lines(resource: ResourceState) -> list[str]:
    """A resource as YAML-ish ``key = value`` lines, attributes flattened to dotted paths."""
    header = {
        "kind": resource.kind,
        "name": resource.name,
        "id": resource.id,
        "slug": resource.slug,
        "file_sha256": resource.file_sha256,
        "updated_at": resource.updated_at,
        "dependencies": resource.dependencies,
    }
    lines = [f"# {resource.address}"] + _aligned(header)
    attributes = _flatten(resource.attributes)
    if attributes:
        lines += ["", "attributes:"] + ["  " + line for line in _aligned(attributes)]
    return lines


def move_resource(state: State, source: str, destination: str) -> ResourceState:
    """Rename ``source`` to ``destination`` in ``state`` and in every dependency list pointing at it."""
    resource = state.get(source)
    if resource is None:
        raise StateError(f"no resource {source} in the state (see `ulplan state list`)")
    kind, _, name = destination.partition(".")
    if not name:
        raise StateError(f"{destination!r} is not an address: use <kind>.<name> (e.g. {resource.kind}.x)")
    if kind != resource.kind:
        raise StateError(f"cannot move a {resource.kind} to {destination}: a resource keeps its kind")
    if state.get(destination) is not None:
        raise StateError(f"{destination} is already in the state; `ulplan state rm` it first if it is stale")
    state.remove(source)
    resource.address, resource.name = destination, name
    state.set(resource)
    for other in state.resources.values():
        other.dependencies = [destination if dep == source else dep for dep in other.dependencies]
    return resource


def _aligned(values: dict[str, Any]) -> list[str]:
    width = max((len(key) for key in values), default=0)
    return [f"{key.ljust(width)} = {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]


def _flatten(attributes: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in attributes.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, path))
        else:
            flat[path] = value
    return flat
