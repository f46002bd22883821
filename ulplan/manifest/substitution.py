"""Load-time substitution of ``${var.X}`` and ``${env.X}``; live references are collected."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ulplan.manifest.diagnostics import Diagnostics, did_you_mean
from ulplan.manifest.interpolate import InterpolationError, Placeholder, expand, parse
from ulplan.manifest.yamlsource import YamlDocument, YamlPath


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
        if not isinstance(value, str) or "$" not in value:
            return value
        try:
            for segment in parse(value):
                if isinstance(segment, Placeholder) and not segment.is_static:
                    self.live.append(LiveReference(segment, doc, path))
            return expand(value, self._lookup, keep_live=True)
        except _Quiet:
            self.failed.add(path)
            return value
        except InterpolationError as exc:
            self.failed.add(path)
            self.diags.error(str(exc), doc.value_at(path))
            return value

    def _lookup(self, placeholder: Placeholder) -> Any:
        if placeholder.kind == "env":
            if placeholder.name not in self.environ:
                raise InterpolationError(f'environment variable "{placeholder.name}" is not set')
            return self.environ[placeholder.name]
        if placeholder.name in self.variables:
            return self.variables[placeholder.name]
        if placeholder.name in self.declared:
            # Declared without a value: already reported at the declaration.
            raise _Quiet()
        hint = did_you_mean(placeholder.name, self.declared)
        raise InterpolationError(f'unknown variable "{placeholder.name}"' + (f"; {hint}" if hint else ""))


class _Quiet(InterpolationError):
    """A failure already reported elsewhere."""
