"""Projects and datasets: the plain collections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ulplan.client.groups.base import CrudGroup
from ulplan.client.models import Dataset, DatasetExport, Project
from ulplan.client.transport import Transport


class ProjectsGroup(CrudGroup[Project]):
    """``/api/projects``: folders of models."""

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport, "/api/projects", Project)

    def create(
        self,
        name: str,
        *,
        slug: str | None = None,
        description: str | None = None,
        visibility: str | None = None,
        tags: Sequence[str] | None = None,
        license: str | None = None,
        retry_safe: bool = False,
    ) -> Project:
        """Create a project (its slug is derived from the name unless given)."""
        fields: dict[str, Any] = {"name": name, "slug": slug, "description": description}
        fields |= {"visibility": visibility, "tags": _listed(tags), "license": license}
        return self._create(fields, retry_safe)


class DatasetsGroup(CrudGroup[Dataset]):
    """``/api/datasets``: labelled images for one task (filter ``task=``)."""

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport, "/api/datasets", Dataset)

    def create(
        self,
        name: str,
        *,
        task: str,
        slug: str | None = None,
        description: str | None = None,
        visibility: str | None = None,
        class_names: Sequence[str] | None = None,
        tags: Sequence[str] | None = None,
        license: str | None = None,
        retry_safe: bool = False,
    ) -> Dataset:
        """Create a dataset; its task cannot change afterwards."""
        fields: dict[str, Any] = {"name": name, "task": task, "slug": slug, "description": description}
        fields |= {
            "visibility": visibility,
            "class_names": _listed(class_names),
            "tags": _listed(tags),
            "license": license,
        }
        return self._create(fields, retry_safe)

    def export(self, id: str) -> DatasetExport:
        """A download URL of the dataset as NDJSON (changes nothing, so safe to retry)."""
        return DatasetExport.model_validate(self._post(self._item(id, "export"), retry_safe=True).data)


def _listed(values: Sequence[str] | None) -> list[str] | None:
    return list(values) if values is not None else None
