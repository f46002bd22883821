"""Validating raw YAML values with the pydantic specs, turning errors into diagnostics.

Pydantic reports an error at a ``loc`` of field names, list indexes and union-member
tags; we walk the same path through the YAML data so each diagnostic points at the
offending key or value, not at the document.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ulplan.manifest.diagnostics import Diagnostics, did_you_mean
from ulplan.manifest.interpolate import has_placeholder
from ulplan.manifest.yamlsource import YamlDocument, YamlPath

M = TypeVar("M", bound=BaseModel)

_SCALAR_ERRORS = {
    "string_type",
    "int_type",
    "float_type",
    "bool_type",
    "int_parsing",
    "float_parsing",
    "bool_parsing",
}


@dataclass(frozen=True)
class Place:
    """Where validated data sits: its document, its path there, and how to name it.

    ``subject`` starts every message (``model.traffic-yolo``); ``within`` is the part of
    ``base`` shown in field paths (``lifecycle`` for a lifecycle block); ``skip`` holds
    paths already reported (a failed interpolation); ``extra_keys`` are keys the caller
    accepts beside the model's fields (``lifecycle``), offered in "did you mean".
    """

    doc: YamlDocument
    base: YamlPath
    subject: str
    within: YamlPath = ()
    skip: Collection[YamlPath] = ()
    extra_keys: tuple[str, ...] = ()


_PLAIN_WORDS = {
    "model_type": "Input should be a map of keys to values",
    "model_attributes_type": "Input should be a map of keys to values",
    "dict_type": "Input should be a map of keys to values",
    "tuple_type": "Input should be a list",
    "list_type": "Input should be a list",
}


def validate(model: type[M], data: Any, place: Place, diags: Diagnostics) -> M | None:
    """``model`` validated from ``data`` (found at ``place``), or None with diagnostics."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        kept = [e for e in errors if (*place.base, *_data_path(data, e["loc"])) not in place.skip]
        report(kept, model, data, place, diags)
        return None


def report(
    errors: Sequence[ErrorDetails], model: type[BaseModel], data: Any, place: Place, diags: Diagnostics
) -> None:
    """One diagnostic per offending place (union members' errors are merged)."""
    grouped: dict[tuple[YamlPath, str], list[ErrorDetails]] = {}
    for error in errors:
        path = _data_path(data, error["loc"])
        group = error["type"] if error["type"] in ("extra_forbidden", "missing") else "value"
        if group == "missing":
            path = (*path, str(error["loc"][-1]))
        grouped.setdefault((path, group), []).append(error)
    doc, base, subject = place.doc, place.base, place.subject
    for (path, group), items in grouped.items():
        shown = (*place.within, *path)
        if group == "extra_forbidden":
            _unknown_key(items[0], model, place, path, diags)
        elif group == "missing":
            where = doc.key_at((*base, *path[:-1]))
            diags.error(f'{subject}: missing required key "{_dotted(shown)}"', where)
        else:
            shown = (*shown, *_unwritten_field(model, items[0]["loc"], path))
            diags.error(f"{subject}: {_prefix(shown)}{_message(items)}", doc.value_at((*base, *path)))


def _unwritten_field(model: type[BaseModel], loc: tuple[int | str, ...], path: YamlPath) -> YamlPath:
    """The field a default value failed in (``maxInstances`` left at 1), to name it."""
    last = loc[-1] if loc else None
    if isinstance(last, str) and (not path or path[-1] != last) and last in _fields_at(model, loc[:-1]):
        return (last,)
    return ()


def _unknown_key(
    error: ErrorDetails, model: type[BaseModel], place: Place, path: YamlPath, diags: Diagnostics
) -> None:
    key = str(error["loc"][-1])
    fields = _fields_at(model, error["loc"][:-1])
    if len(path) == 1:
        fields |= set(place.extra_keys)
    ordered = sorted(fields)
    hint = did_you_mean(key, ordered) or ("Valid keys: " + ", ".join(ordered) if ordered else "")
    inside = _dotted((*place.within, *path[:-1]))
    where = f" in {inside}" if inside else ""
    diags.error(f'{place.subject}: unknown key "{key}"{where}', place.doc.key_at((*place.base, *path)), hint)


def _message(items: list[ErrorDetails]) -> str:
    value = items[0].get("input")
    if isinstance(value, str) and has_placeholder(value):
        return (
            f'"{value}": a reference to another resource cannot be used here; '
            "this value must be known before apply (only text fields take live references)"
        )
    if len(items) > 1 and all(i["type"] in _SCALAR_ERRORS for i in items):
        return "Input should be text, a number or true/false"
    # Pydantic's wording names Python types ("instance of TrainingSpec", "tuple"); say YAML's.
    return _PLAIN_WORDS.get(items[0]["type"], str(items[0]["msg"]))


def _prefix(path: YamlPath) -> str:
    return f"{_dotted(path)}: " if path else ""


def _dotted(path: YamlPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _data_path(data: Any, loc: tuple[int | str, ...]) -> YamlPath:
    """The part of ``loc`` that exists in ``data`` (union tags and missing keys dropped)."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            current = current[part]
            path.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            path.append(part)
    return tuple(path)


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> set[str]:
    """The field names of the (nested) model found at ``loc``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return set()
        field = current.model_fields.get(str(part))
        if field is not None:
            current = _inner_model(field.annotation)
    return set(current.model_fields) if current is not None else set()


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None
