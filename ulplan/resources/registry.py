"""The resource kinds by name: the one place that knows them all."""

from __future__ import annotations

from ulplan.errors import UlplanError
from ulplan.resources.base import ResourceType
from ulplan.resources.dataset import DatasetType
from ulplan.resources.deployment import DeploymentType
from ulplan.resources.export import ExportType
from ulplan.resources.model import ModelType
from ulplan.resources.project import ProjectType

KIND_ORDER = ("project", "dataset", "model", "export", "deployment")

REGISTRY: dict[str, ResourceType] = {
    t.kind: t for t in (ProjectType(), DatasetType(), ModelType(), ExportType(), DeploymentType())
}


def resource_type(kind: str) -> ResourceType:
    """The rules of ``kind``; an unknown kind is a clear error (e.g. from a newer state file)."""
    try:
        return REGISTRY[kind]
    except KeyError:
        raise UlplanError(f"unknown resource kind {kind!r} (known: {', '.join(KIND_ORDER)})") from None
