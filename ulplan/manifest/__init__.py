"""The manifest language: loading YAML with positions, specs, variables, references.

Knows nothing of HTTP, the client or the CLI. The entry point is :func:`load_manifests`,
which never raises for bad input: it returns :class:`LoadedManifests` with every
:class:`Diagnostic` found.
"""

from ulplan.manifest.diagnostics import Diagnostic, ManifestError, Severity, SourceLocation
from ulplan.manifest.loaded import LoadedManifests, LoadOptions, OutputSpec, ResourceSpec
from ulplan.manifest.loader import load_manifests
from ulplan.manifest.specs import (
    DatasetSpec,
    DeploymentSpec,
    ExportSpec,
    Lifecycle,
    ModelSpec,
    ProjectSpec,
    Ref,
    Reference,
    TrainingSpec,
)

__all__ = [
    "DatasetSpec",
    "DeploymentSpec",
    "Diagnostic",
    "ExportSpec",
    "Lifecycle",
    "LoadOptions",
    "LoadedManifests",
    "ManifestError",
    "ModelSpec",
    "OutputSpec",
    "ProjectSpec",
    "Ref",
    "Reference",
    "ResourceSpec",
    "Severity",
    "SourceLocation",
    "TrainingSpec",
    "load_manifests",
]
