"""Reading the top level of each manifest file into entries: variables, resources, outputs."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ulplan.manifest.diagnostics import Diagnostics, SourceLocation, did_you_mean
from ulplan.manifest.enums import SECTIONS
from ulplan.manifest.yamlsource import YamlDocument, YamlPath

TOP_LEVEL_KEYS = ("version", "variables", *SECTIONS, "outputs")
SUPPORTED_VERSION = 1
IDENTIFIER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Entry:
    """One named block of a file: a variable, a resource or an output."""

    section: str
    name: str
    body: Any
    doc: YamlDocument
    source: Path  # the file's absolute path (doc.file is the path shown to the user)

    @property
    def path(self) -> YamlPath:
        """Where the block's value is inside its document."""
        return (self.section, self.name)

    @property
    def location(self) -> SourceLocation:
        """Where the block's key is."""
        return self.doc.key_at(self.path)


@dataclass
class Entries:
    """Every block of every file, by section, in file order."""

    variables: list[Entry] = field(default_factory=list)
    resources: list[Entry] = field(default_factory=list)
    outputs: list[Entry] = field(default_factory=list)


def read_document(doc: YamlDocument, source: Path, entries: Entries, diags: Diagnostics) -> None:
    """Check one file's top level and add its blocks to ``entries``."""
    if doc.data is None:
        return  # an empty file is allowed, and holds nothing
    if not isinstance(doc.data, dict):
        diags.error("a manifest file must be a map (version, variables, projects, ...)", doc.value_at(()))
        return
    _check_version(doc, diags)
    for key, value in doc.data.items():
        if key == "version":
            continue
        if key not in TOP_LEVEL_KEYS:
            hint = did_you_mean(key, TOP_LEVEL_KEYS) or "Valid keys: " + ", ".join(TOP_LEVEL_KEYS)
            diags.error(f'unknown top-level key "{key}"', doc.key_at((key,)), hint)
            continue
        target = {"variables": entries.variables, "outputs": entries.outputs}.get(key, entries.resources)
        target.extend(_blocks(doc, source, key, value, diags))


def _check_version(doc: YamlDocument, diags: Diagnostics) -> None:
    if "version" not in doc.data:
        return
    version = doc.data["version"]
    if type(version) is not int or version != SUPPORTED_VERSION:
        diags.error(
            f"unsupported manifest version {version!r}",
            doc.value_at(("version",)),
            f"This ulplan reads version {SUPPORTED_VERSION}.",
        )


def _blocks(doc: YamlDocument, source: Path, section: str, value: Any, diags: Diagnostics) -> list[Entry]:
    if value is None:
        return []
    if not isinstance(value, dict):
        diags.error(f'"{section}" must be a map of names to definitions', doc.value_at((section,)))
        return []
    blocks = []
    for name, body in value.items():
        if not IDENTIFIER.match(name):
            diags.error(
                f'invalid name "{name}" in {section}',
                doc.key_at((section, name)),
                "Names start with a letter, digit or underscore and hold only letters, digits, '_' and '-'.",
            )
            continue
        blocks.append(Entry(section, name, body, doc, source))
    return blocks


def duplicates(
    entries: list[Entry], label: Callable[[Entry], str], key: Callable[[Entry], Hashable], diags: Diagnostics
) -> list[Entry]:
    """The entries with the first of each ``key(entry)`` kept; the others are errors."""
    first: dict[Any, Entry] = {}
    for entry in entries:
        seen = first.setdefault(key(entry), entry)
        if seen is not entry:
            diags.error(
                f'duplicate {label(entry)} "{entry.name}"',
                entry.location,
                f"It is also defined at {seen.location}.",
            )
    return list(first.values())
