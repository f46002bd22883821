"""Safe, bounded YAML reading that remembers where every key and value came from.

PyYAML's composer builds a node graph in which an alias is a shared reference, so
composing a "billion laughs" file is cheap; the expansion happens when the graph is
turned into Python values. We do that conversion ourselves, counting every value made,
so a bomb stops at a fixed budget instead of eating the machine. Nesting depth is capped
while composing, before Python's recursion limit could be reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, cast

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ulplan.manifest.diagnostics import Diagnostics, SourceLocation

MAX_FILE_BYTES: Final = 10 * 1024 * 1024
MAX_DEPTH: Final = 64
MAX_ALIASES: Final = 100
MAX_VALUES: Final = 100_000

_PLAIN_TAGS: Final = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"

YamlPath = tuple[str | int, ...]


class _LimitExceeded(Exception):
    """A safety bound was hit; the file is rejected with this message at this mark."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _BoundedComposer(Composer, SafeConstructor, Resolver):
    """PyYAML's composer, capping nesting depth and alias count, over any event source."""

    _depth = 0
    _aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = cast(Any, self).peek_event()  # the event source is mixed in by subclasses
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _LimitExceeded(f"more than {MAX_ALIASES} aliases in one document", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _LimitExceeded(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# libyaml's parser (C) is ten times faster than PyYAML's; composing stays in Python, where
# the bounds are. PyYAML's own reader, scanner and parser serve when libyaml is missing.
_EventSource: Any
try:
    from yaml.cyaml import CParser as _EventSource  # type: ignore[attr-defined]
except ImportError:  # PyYAML built without libyaml
    _EventSource = None


class _BoundedLoader(_BoundedComposer, _EventSource or yaml.SafeLoader):  # type: ignore[misc]
    """Safe loading from text: events from libyaml when present, bounded composing."""

    def __init__(self, stream: str) -> None:
        if _EventSource is None:
            yaml.SafeLoader.__init__(self, stream)
            return
        _EventSource.__init__(self, stream)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        Composer.__init__(self)


@dataclass
class YamlDocument:
    """One file's content as plain values, with the position of every key and value."""

    file: Path
    data: Any
    values: dict[YamlPath, SourceLocation] = field(default_factory=dict)
    keys: dict[YamlPath, SourceLocation] = field(default_factory=dict)
    # For text written on one line as it reads (plain, or quoted without escapes): how
    # many characters precede the text itself (1 for a quote), so a position inside
    # the text can be pointed at exactly.
    inline: dict[YamlPath, int] = field(default_factory=dict)

    def text_at(self, path: YamlPath, offset: int) -> SourceLocation:
        """Where character ``offset`` of the text at ``path`` is, or the value's place."""
        start = self.value_at(path)
        shift = self.inline.get(path)
        if shift is None:
            return start
        return SourceLocation(start.file, start.line, start.column + shift + offset)

    def value_at(self, path: YamlPath) -> SourceLocation:
        """Where the value at ``path`` is, or its nearest known ancestor."""
        return self._nearest(self.values, path)

    def key_at(self, path: YamlPath) -> SourceLocation:
        """Where the key naming ``path`` is, falling back to the value's place."""
        if path in self.keys:
            return self.keys[path]
        return self._nearest(self.values, path)

    def _nearest(self, table: dict[YamlPath, SourceLocation], path: YamlPath) -> SourceLocation:
        for end in range(len(path), -1, -1):
            location = table.get(path[:end])
            if location is not None:
                return location
        return SourceLocation(self.file, 1, 1)


def location_of(file: Path, mark: Any) -> SourceLocation:
    """A 1-based SourceLocation from a 0-based PyYAML mark."""
    if mark is None:
        return SourceLocation(file, 1, 1)
    return SourceLocation(file, mark.line + 1, mark.column + 1)


def load_yaml(file: Path, diags: Diagnostics, display: Path | None = None) -> YamlDocument | None:
    """Read one YAML file; None (with diagnostics) when it cannot be read safely.

    ``display`` is the path shown in diagnostics (defaults to ``file``). An empty file
    gives a document whose ``data`` is None.
    """
    shown = display or file
    text = _read_text(file, shown, diags)
    if text is None:
        return None
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        doc = YamlDocument(shown, None)
        if node is not None:
            doc.data = _Converter(doc, loader, diags).convert(node, ())
        return doc
    except _LimitExceeded as exc:
        diags.error(f"YAML too large or too deeply nested: {exc.message}", location_of(shown, exc.mark))
    except yaml.MarkedYAMLError as exc:
        diags.error(
            _yaml_summary(exc), location_of(shown, exc.problem_mark or exc.context_mark), _context(exc, text)
        )
    except yaml.YAMLError as exc:
        diags.error(f"invalid YAML: {exc}", SourceLocation(shown, 1, 1))
    finally:
        loader.dispose()
    return None


def _read_text(file: Path, shown: Path, diags: Diagnostics) -> str | None:
    try:
        with file.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        diags.error(f"cannot read file: {exc.strerror or exc}", SourceLocation(shown, 1, 1))
        return None
    if len(raw) > MAX_FILE_BYTES:
        diags.error(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", SourceLocation(shown, 1, 1))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        diags.error("file is not valid UTF-8 text", SourceLocation(shown, line, 1))
        return None


_INDENTATION = "Check the indentation of this line: it does not line up with the lines above."
# Plain-words hints for YAML problems people commonly meet, by a piece of the problem
# (PyYAML's wording, then libyaml's).
_HINTS: Final = {
    "found another document": "A manifest file holds one document: split it in two at the '---' line.",
    "expected <block end>": _INDENTATION,
    "did not find expected key": _INDENTATION,
    "mapping values are not allowed": "A value holding ': ' must be quoted.",
}


def _yaml_summary(exc: yaml.MarkedYAMLError) -> str:
    if exc.problem and "found another document" in exc.problem:
        return "invalid YAML: a second document (---) in one file"
    return f"invalid YAML: {exc.problem or 'malformed document'}"


def _context(exc: yaml.MarkedYAMLError, text: str) -> str:
    """Where the construct that went wrong began (an unclosed quote...), and a likely fix."""
    lines = []
    mark = exc.context_mark
    if exc.context and "single document" not in exc.context:
        context = exc.context[:1].upper() + exc.context[1:]
        if mark is None or (exc.problem_mark is not None and mark.line == exc.problem_mark.line):
            lines.append(context + ".")
        else:
            lines.append(f"{context} that began at line {mark.line + 1}, column {mark.column + 1}.")
    line, column = _line_of(text, exc.problem_mark)
    if "${" in line and "flow" in (exc.context or ""):
        lines.append('Inside [...] or {...}, quote a value holding ${...}: ["${var.env}"].')
    if line[column : column + 1] == "\t":
        lines.append("YAML indents with spaces, not tabs.")
    lines.extend(hint for piece, hint in _HINTS.items() if piece in (exc.problem or ""))
    return "\n".join(lines)


def _line_of(text: str, mark: Any) -> tuple[str, int]:
    """The text of the line a mark points into, and the mark's column (0-based)."""
    if mark is None:
        return "", 0
    lines = text.splitlines()
    return (lines[mark.line] if mark.line < len(lines) else ""), mark.column


class _Converter:
    """Turns a composed node graph into plain values, recording positions, within budget.

    Problems that leave the rest of the file readable (a duplicate key, an unsupported
    tag) are recorded and the conversion goes on, so one run reports them all.
    """

    def __init__(self, doc: YamlDocument, loader: _BoundedLoader, diags: Diagnostics) -> None:
        self.doc = doc
        self.loader = loader
        self.diags = diags
        self.made = 0
        self.active: set[int] = set()

    def _error(self, summary: str, node: yaml.Node) -> None:
        self.diags.error(summary, location_of(self.doc.file, node.start_mark))

    def convert(self, node: yaml.Node, path: YamlPath) -> Any:
        self.made += 1
        if self.made > MAX_VALUES:
            raise _LimitExceeded(f"more than {MAX_VALUES} values (alias expansion?)", node.start_mark)
        if len(path) > MAX_DEPTH or id(node) in self.active:
            raise _LimitExceeded("an alias refers to itself or nests too deeply", node.start_mark)
        self.doc.values.setdefault(path, location_of(self.doc.file, node.start_mark))
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return self._sequence(node, path)
            self._note_inline(node, path)
            return self._scalar(node)
        finally:
            self.active.discard(id(node))

    def _note_inline(self, node: yaml.Node, path: YamlPath) -> None:
        start, end = node.start_mark, node.end_mark
        if start.line != end.line or not isinstance(node.value, str):
            return
        quote = {None: 0, "": 0, "'": 1, '"': 1}.get(getattr(node, "style", None))
        if quote is not None and end.column - start.column == len(node.value) + 2 * quote:
            self.doc.inline.setdefault(path, quote)

    def _tag_ok(self, node: yaml.Node, allowed: set[str] | str) -> bool:
        if node.tag == allowed or node.tag in allowed:
            return True
        self._error(f"unsupported YAML tag {node.tag!r}: only plain values are allowed", node)
        return False

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _TIMESTAMP:
            return node.value  # a date stays the text written, not a datetime
        if not self._tag_ok(node, _PLAIN_TAGS):
            return None
        return self.loader.construct_object(node)

    def _sequence(self, node: yaml.SequenceNode, path: YamlPath) -> list[Any] | None:
        if not self._tag_ok(node, _SEQ):
            return None
        return [self.convert(item, (*path, index)) for index, item in enumerate(node.value)]

    def _mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[str, Any] | None:
        if not self._tag_ok(node, _MAP):
            return None
        result: dict[str, Any] = {}
        explicit: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self._merge(result, explicit, value_node, path)
                continue
            key = self._key(key_node)
            if key is None:
                continue
            if key in explicit:
                first = self.doc.keys[(*path, key)]
                self._error(f'duplicate key "{key}" (the first, at line {first.line}, is kept)', key_node)
                continue
            explicit.add(key)
            self.doc.keys[(*path, key)] = location_of(self.doc.file, key_node.start_mark)
            self.doc.values.pop((*path, key), None)  # a merged value's place gives way
            result[key] = self.convert(value_node, (*path, key))
        return result

    def _merge(self, result: dict[str, Any], explicit: set[str], source: yaml.Node, path: YamlPath) -> None:
        """A ``<<: *base`` merge key: keys of the merged maps, unless given explicitly."""
        sources = source.value if isinstance(source, yaml.SequenceNode) else [source]
        for item in sources:
            if not isinstance(item, yaml.MappingNode):
                self._error("a merge key (<<) takes a map or a list of maps", item)
                continue
            for key, value in (self._mapping(item, path) or {}).items():
                if key not in explicit and key not in result:
                    result[key] = value

    def _key(self, node: yaml.Node) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self._error("a mapping key must be plain text, not a list or a map", node)
            return None
        self.made += 1
        return str(node.value)
