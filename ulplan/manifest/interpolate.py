"""``${...}`` interpolation in manifest strings.

Three forms: ``${var.NAME}`` and ``${env.NAME}``, substituted when the manifests are
loaded, and ``${<kind>.<name>.<attr>}`` (``${deployment.traffic-api.url}``), a live
attribute of another resource that stays in the string until plan/apply time, when the
engine calls :func:`resolve`. ``$${`` writes a literal ``${``.

A string that is exactly one placeholder takes the value's own type (a number stays a
number); placeholders inside longer text are formatted as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import BaseModel

from ulplan.changes import UNKNOWN

_NAME = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
_EXPRESSION: Final = re.compile(
    rf"^(?P<kind>{_NAME})\.(?P<name>{_NAME})(?:\.(?P<attr>{_NAME}(?:\.{_NAME})*))?$"
)
STATIC_KINDS: Final = ("var", "env")


class InterpolationError(ValueError):
    """A malformed placeholder or one that cannot be substituted; the message says which.

    ``offset`` is where in the text the faulty ``${`` starts.
    """

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Placeholder:
    """One ``${...}``: ``kind`` is var, env or a resource kind; ``attr`` only for resources."""

    kind: str
    name: str
    attr: str | None
    text: str
    offset: int = field(default=0, compare=False)  # where in the string it starts

    @property
    def is_static(self) -> bool:
        """True for var and env placeholders, which are substituted at load time."""
        return self.kind in STATIC_KINDS

    @property
    def address(self) -> str:
        """The resource address of a live placeholder (``deployment.traffic-api``)."""
        return f"{self.kind}.{self.name}"


Segment = str | Placeholder


def has_placeholder(text: str) -> bool:
    """True when ``text`` holds a ``${`` that is not the ``$${`` escape."""
    return "${" in text.replace("$${", "")


def parse(text: str) -> list[Segment]:
    """Split ``text`` into literal text and placeholders; literal ``$${`` is kept escaped.

    Raises InterpolationError for an unclosed or malformed placeholder.
    """
    segments: list[Segment] = []
    literal: list[str] = []
    index = 0
    while index < len(text):
        if text.startswith("$${", index):
            literal.append("$${")
            index += 3
        elif text.startswith("${", index):
            end = text.find("}", index + 2)
            if end < 0:
                raise InterpolationError(f'unclosed "${{" in "{text}"', index)
            segments.extend(["".join(literal)] if literal else [])
            literal = []
            segments.append(_placeholder(text[index + 2 : end].strip(), index))
            index = end + 1
        else:
            literal.append(text[index])
            index += 1
    if literal:
        segments.append("".join(literal))
    return segments


def _placeholder(body: str, offset: int) -> Placeholder:
    match = _EXPRESSION.match(body)
    if match is None:
        raise InterpolationError(
            f'"${{{body}}}" is not a valid reference: write ${{var.NAME}}, ${{env.NAME}} '
            "or ${<kind>.<name>.<attribute>}",
            offset,
        )
    kind, name, attr = match.group("kind", "name", "attr")
    if kind in STATIC_KINDS and attr is not None:
        raise InterpolationError(
            f'"${{{body}}}": {kind} references take one name, as ${{{kind}.NAME}}', offset
        )
    if kind not in STATIC_KINDS and attr is None:
        raise InterpolationError(
            f'"${{{body}}}" names no attribute: write ${{{kind}.{name}.id}} for example', offset
        )
    return Placeholder(kind, name, attr, "${" + body + "}", offset)


def unescape(text: str) -> str:
    """The final text of a string with no placeholder left: ``$${`` becomes ``${``."""
    return text.replace("$${", "${")


def format_value(value: Any) -> str:
    """How a value reads inside a longer string (booleans as YAML writes them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def expand(text: str, lookup: Callable[[Placeholder], Any], keep_live: bool = False) -> Any:
    """Replace the placeholders of ``text`` with ``lookup``'s values.

    With ``keep_live``, resource placeholders are left as written (load time). A text
    that is exactly one placeholder gives the value itself; UNKNOWN anywhere in a longer
    text makes the whole text UNKNOWN.
    """
    segments = parse(text)
    if keep_live and any(isinstance(s, Placeholder) and not s.is_static for s in segments):
        return "".join(s if isinstance(s, str) else _static_or_text(s, lookup) for s in segments)
    if len(segments) == 1 and isinstance(segments[0], Placeholder):
        return lookup(segments[0])
    parts: list[str] = []
    for segment in segments:
        if isinstance(segment, str):
            parts.append(unescape(segment))
            continue
        value = lookup(segment)
        if value is UNKNOWN:
            return UNKNOWN
        parts.append(format_value(value))
    return "".join(parts)


def _static_or_text(placeholder: Placeholder, lookup: Callable[[Placeholder], Any]) -> str:
    if not placeholder.is_static:
        return placeholder.text
    # Escape what a variable brings in, so resolve() later reads it as literal text.
    return format_value(lookup(placeholder)).replace("${", "$${")


def placeholders(value: Any) -> list[Placeholder]:
    """Every well-formed placeholder in a value (strings, lists, maps, models), in order."""
    found: list[Placeholder] = []
    for text in _strings(value):
        try:
            found.extend(s for s in parse(text) if isinstance(s, Placeholder))
        except InterpolationError:
            continue
    return found


def references(value: Any) -> set[tuple[str, str]]:
    """The live references in a value, as ``(address, attribute)`` pairs."""
    return {(p.address, p.attr or "") for p in placeholders(value) if not p.is_static}


def resolve(value: Any, lookup: Callable[[str, str], Any]) -> Any:
    """Resolve the live references of a value with ``lookup(address, attribute)``.

    Strings are resolved (UNKNOWN when any part is UNKNOWN); lists and maps are resolved
    element by element; other values are returned as they are.
    """
    if isinstance(value, str):
        if not has_placeholder(value):
            return unescape(value)
        return expand(value, lambda p: lookup(p.address, p.attr or ""))
    if isinstance(value, Mapping):
        return {key: resolve(item, lookup) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(resolve(item, lookup) for item in value)
    return value


def _strings(value: Any) -> list[str]:
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple | set | frozenset):
        return [text for item in value for text in _strings(item)]
    return []
