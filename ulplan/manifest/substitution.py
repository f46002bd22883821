"""Load-time substitution of ``${var.X}`` and ``${env.X}``; live references are collected."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ulplan.manifest.diagnostics import Diagnostics, did_you_mean
from ulplan.manifest.interpolate import InterpolationError, Placeholder, Segment, expand, parse
from ulplan.manifest.yamlsource import YamlDocument, YamlPath

API_KEY = re.compile(r"\bul_[0-9a-fA-F]{40}\b")


@dataclass(frozen=True)
class LiveReference:
    """A ``${<kind>.<name>.<attr>}`` found at ``path`` of ``doc``."""

    placeholder: Placeholder
    doc: YamlDocument
    path: YamlPath


@dataclass
class Substitution:
    """Substitutes static placeholders in raw YAML values and remembers what it saw."""

    variables: Mapping[str, Any]
    declared: frozenset[str]
    environ: Mapping[str, str]
    diags: Diagnostics
    live: list[LiveReference] = field(default_factory=list)
    failed: set[YamlPath] = field(default_factory=set)

    def apply(self, value: Any, doc: YamlDocument, path: YamlPath) -> Any:
        """``value`` with var/env placeholders replaced, recursively; errors are recorded."""
        if isinstance(value, dict):
            return {key: self.apply(item, doc, (*path, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [self.apply(item, doc, (*path, index)) for index, item in enumerate(value)]
        if not isinstance(value, str):
            return value
        result = self._text(value, doc, path) if "$" in value else value
        if isinstance(result, str) and API_KEY.search(result):
            # Never echo the value: it is a credential.
            self.failed.add(path)
            self.diags.error(
                "this value holds what looks like an Ultralytics API key",
                doc.value_at(path),
                "Keys must never be written into manifests: they would be sent to the platform "
                "and kept in state. ulplan reads its key from --api-key or ULTRALYTICS_API_KEY.",
            )
            return value
        return result

    def _text(self, value: str, doc: YamlDocument, path: YamlPath) -> Any:
        problems: list[tuple[str, int]] = []
        try:
            segments = parse(value)
        except InterpolationError as exc:
            problems.append((str(exc), exc.offset))
            segments = []
        for segment in segments:
            if isinstance(segment, Placeholder):
                if not segment.is_static:
                    self.live.append(LiveReference(segment, doc, path))
                elif (problem := self._problem(segment)) is not None:
                    problems.append((problem, segment.offset))
        if problems or self._quiet(segments):
            self.failed.add(path)
            for problem, offset in problems:
                self.diags.error(problem, doc.text_at(path, offset))
            return value
        return expand(value, self._lookup, keep_live=True)

    def _quiet(self, segments: list[Segment]) -> bool:
        """True when a variable used here has no value (reported at its declaration)."""
        return any(
            isinstance(s, Placeholder) and s.kind == "var" and s.name not in self.variables for s in segments
        )

    def _problem(self, placeholder: Placeholder) -> str | None:
        if placeholder.kind == "env":
            if placeholder.name not in self.environ:
                return f'environment variable "{placeholder.name}" is not set'
            return None
        if placeholder.name in self.variables or placeholder.name in self.declared:
            return None
        hint = did_you_mean(placeholder.name, self.declared)
        return f'unknown variable "{placeholder.name}"' + (f"; {hint}" if hint else "")

    def _lookup(self, placeholder: Placeholder) -> Any:
        if placeholder.kind == "env":
            return self.environ[placeholder.name]
        return self.variables[placeholder.name]
