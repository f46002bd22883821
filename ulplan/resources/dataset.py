"""Datasets: a task and labelled images. The task cannot change, so it forces a replace."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from ulplan.resources.base import OperationContext, Raw, ResourceType, dump, plain, set_if, snake_case
from ulplan.resources.project import DESCRIPTIVE, descriptive_template

if TYPE_CHECKING:
    from ulplan.manifest.loaded import ResourceSpec


def dataset_uri(username: str | None, slug: str | None) -> str | None:
    """``ul://<username>/datasets/<slug>``: what ``model.train(data=...)`` accepts."""
    if not username or not slug:
        return None
    return f"ul://{username}/datasets/{slug}"


class DatasetType(ResourceType):
    """The rules of ``dataset`` resources."""

    kind: ClassVar[str] = "dataset"
    fields: ClassVar[tuple[str, ...]] = ("slug", "task", *DESCRIPTIVE, "classNames")
    replace_fields: ClassVar[frozenset[str]] = frozenset({"slug", "task"})
    known_before_apply: ClassVar[tuple[str, ...]] = ("slug", "name", "uri")

    def template(self, resource: ResourceSpec) -> dict[str, Any]:
        """The dataset's wanted attributes."""
        template = descriptive_template(resource)
        set_if(template, "task", plain(getattr(resource.spec, "task", None)))
        set_if(template, "classNames", plain(getattr(resource.spec, "classNames", None)))
        return template

    def exposed(self, raw: Raw, username: str | None, context: Mapping[str, Any]) -> Raw:
        """The API object plus its ``uri``."""
        return {**raw, "uri": dataset_uri(username, self.slug_of(raw))}

    def create(self, ctx: OperationContext, after: Mapping[str, Any], retry_safe: bool) -> Raw:
        """POST /api/datasets."""
        fields = {k: after[k] for k in self.fields if k in after}
        return dump(ctx.client.datasets.create(**snake_case(fields), retry_safe=retry_safe))
