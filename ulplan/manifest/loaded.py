"""What loading produces: options in, resources, outputs, graph and diagnostics out."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ulplan.graph import Graph
from ulplan.manifest.diagnostics import Diagnostic, ManifestError, Severity, SourceLocation
from ulplan.manifest.enums import KINDS
from ulplan.manifest.specs import AnySpec, Lifecycle


@dataclass(frozen=True)
class LoadOptions:
    """Inputs besides the manifest files: variable values and file-access policy.

    Variable precedence, highest first: ``variables`` (``--var``), ``var_files`` (later
    files win), ``ULPLAN_VAR_<name>`` in ``environ``, the declared default.
    """

    variables: dict[str, str] = field(default_factory=dict)
    var_files: list[Path] = field(default_factory=list)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    allow_outside_files: bool = False


@dataclass(frozen=True)
class ResourceSpec:
    """One desired resource, validated.

    ``name`` is the manifest key, ``slug`` the platform slug (``slug:`` or the key),
    ``spec`` the validated model of its kind, ``depends_on`` the addresses it needs
    (references and live interpolations), ``file_path``/``file_sha256`` a model's
    weights (absolute path, hex digest), when it has ``file:``.
    """

    address: str
    kind: str
    name: str
    slug: str
    spec: AnySpec
    lifecycle: Lifecycle
    location: SourceLocation
    depends_on: frozenset[str] = frozenset()
    file_sha256: str | None = None
    file_path: Path | None = None

    @property
    def display_name(self) -> str:
        """The platform display name: ``name:`` when written, else the manifest key."""
        written = getattr(self.spec, "name", None)
        return written if isinstance(written, str) else self.name


@dataclass(frozen=True)
class OutputSpec:
    """An output: its raw value (may hold live ``${...}`` references) and where it is."""

    name: str
    value: Any
    location: SourceLocation


@dataclass
class LoadedManifests:
    """The result of loading: always returned, errors or not (see ``has_errors``)."""

    root: Path
    files: list[Path] = field(default_factory=list)
    resources: dict[str, ResourceSpec] = field(default_factory=dict)
    outputs: dict[str, OutputSpec] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    graph: Graph = field(default_factory=lambda: Graph((), {}))

    @property
    def has_errors(self) -> bool:
        """True when any diagnostic is an error."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> list[Diagnostic]:
        """The warning diagnostics only."""
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def raise_for_errors(self) -> None:
        """Raise ManifestError carrying every diagnostic when there is any error."""
        if self.has_errors:
            raise ManifestError(self.diagnostics)

    def summary(self) -> str:
        """``3 files, 5 resources (1 project, 1 dataset, ...)``."""
        counts = Counter(spec.kind for spec in self.resources.values())
        parts = [_plural(counts[kind], kind) for kind in KINDS if counts[kind]]
        text = f"{_plural(len(self.files), 'file')}, {_plural(len(self.resources), 'resource')}"
        if parts:
            text += f" ({', '.join(parts)})"
        if self.outputs:
            text += f", {_plural(len(self.outputs), 'output')}"
        return text


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
