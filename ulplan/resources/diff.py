"""Field diffs between a live object's attributes and the wanted ones (deepdiff underneath).

Values are compared as the API means them: an empty value (None, "", [], {}) is the same
as any other empty value, numbers compare by value (640 == 640.0), ``tags`` compare as
sets, and an unknown wanted value is always a difference. Maps (a model's ``training``,
an export's ``args``) are diffed key by key so the plan names the exact field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ulplan.changes import UNKNOWN, FieldDiff
from ulplan.resources.base import ResourceType


def is_empty(value: Any) -> bool:
    """None, "", [] and {} all mean "nothing" to the API."""
    return value is None or (isinstance(value, str | list | tuple | dict) and len(value) == 0)


def same(old: Any, new: Any, unordered: bool = False) -> bool:
    """Whether two attribute values mean the same thing."""
    if new is UNKNOWN or old is UNKNOWN:
        return False
    if is_empty(old) and is_empty(new):
        return True
    from deepdiff import DeepDiff  # imported on first diff: keeps CLI start-up light

    return not DeepDiff(old, new, ignore_order=unordered, ignore_numeric_type_changes=True)


def ignored(path: str, ignore_changes: Iterable[str]) -> bool:
    """``ignore_changes`` names a field or a parent of it (``training`` covers ``training.epochs``)."""
    return any(path == item or path.startswith(item + ".") for item in ignore_changes)


def field_diffs(
    kind: ResourceType,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    ignore_changes: Iterable[str] = (),
) -> list[FieldDiff]:
    """The compared fields of ``after`` whose live value in ``before`` differs."""
    ignore = tuple(ignore_changes)
    diffs: list[FieldDiff] = []
    for name in kind.fields:
        if name not in after or ignored(name, ignore):
            continue
        old, new = before.get(name), after[name]
        if same(old, new, unordered=name in kind.unordered_fields):
            continue
        forces = name in kind.replace_fields
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            diffs.extend(_map_diffs(name, old, new, forces, ignore))
        else:
            diffs.append(FieldDiff(name, old, new, forces))
    return diffs


def _map_diffs(
    prefix: str, old: Mapping[str, Any], new: Mapping[str, Any], forces: bool, ignore: tuple[str, ...]
) -> list[FieldDiff]:
    diffs = []
    for key in sorted(set(old) | set(new)):
        path = f"{prefix}.{key}"
        if ignored(path, ignore) or same(old.get(key), new.get(key)):
            continue
        diffs.append(FieldDiff(path, old.get(key), new.get(key), forces))
    return diffs
