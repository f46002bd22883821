"""How a single attribute value is shown to people, and how values are made JSON-safe."""

from __future__ import annotations

import enum
import json
from typing import Any

from ulplan.changes import Unknown

KNOWN_AFTER_APPLY = "(known after apply)"


def is_unknown(value: Any) -> bool:
    """True for the UNKNOWN placeholder of a value known only after apply."""
    return isinstance(value, Unknown)


def format_value(value: Any) -> str:
    """A compact, unambiguous rendering: strings quoted, JSON literals, unknowns spelled out."""
    if is_unknown(value):
        return KNOWN_AFTER_APPLY
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, str | bool | int | float) or value is None:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = ", ".join(f"{_key(k)} = {format_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return str(value)


def flatten(attributes: dict[str, Any] | None, prefix: str = "") -> dict[str, Any]:
    """Nested dicts as dotted paths (``resources.cpu``), the same paths field diffs use.

    Empty dicts, lists and scalars are leaves; key order is kept.
    """
    flat: dict[str, Any] = {}
    for key, value in (attributes or {}).items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            flat.update(flatten(value, path))
        else:
            flat[path] = value
    return flat


def json_safe(value: Any) -> Any:
    """``value`` with tuples as lists, enums as their values and unknowns as null."""
    if is_unknown(value):
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    return str(value)


def unknown_tree(value: Any) -> Any:
    """Terraform's ``after_unknown``: True where a value is unknown, mirrored structure, else None.

    Returns None when nothing inside ``value`` is unknown (the caller omits the key).
    """
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        tree = {str(k): sub for k, v in value.items() if (sub := unknown_tree(v)) is not None}
        return tree or None
    if isinstance(value, list | tuple):
        items = [unknown_tree(v) for v in value]
        if all(item is None for item in items):
            return None
        return [False if item is None else item for item in items]
    return None


def usd(micro_usd: int) -> str:
    """Micro-USD as dollars: ``1234567`` -> ``$1.23``."""
    return f"${micro_usd / 1_000_000:,.2f}"


def _key(key: Any) -> str:
    text = str(key)
    return text if text.replace("_", "").replace("-", "").isalnum() else json.dumps(text)
