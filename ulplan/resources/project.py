"""Projects: folders of models. Everything but the slug changes in place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from ulplan.resources.base import OperationContext, Raw, ResourceType, dump, plain, set_if, snake_case

if TYPE_CHECKING:
    from ulplan.manifest.loaded import ResourceSpec

# Fields that both projects and datasets describe themselves with; all update in place.
DESCRIPTIVE = ("name", "description", "visibility", "tags", "license")


def descriptive_template(resource: ResourceSpec) -> dict[str, Any]:
    """name (default: the manifest key), slug, and the descriptive fields the manifest sets."""
    spec = resource.spec
    template: dict[str, Any] = {"slug": resource.slug, "name": getattr(spec, "name", None) or resource.name}
    for key in DESCRIPTIVE[1:]:
        set_if(template, key, plain(getattr(spec, key, None)))
    return template


class ProjectType(ResourceType):
    """The rules of ``project`` resources."""

    kind: ClassVar[str] = "project"
    fields: ClassVar[tuple[str, ...]] = ("slug", *DESCRIPTIVE)
    replace_fields: ClassVar[frozenset[str]] = frozenset({"slug"})

    def template(self, resource: ResourceSpec) -> dict[str, Any]:
        """The project's wanted attributes."""
        return descriptive_template(resource)

    def create(self, ctx: OperationContext, after: Mapping[str, Any], retry_safe: bool) -> Raw:
        """POST /api/projects."""
        fields = {k: after[k] for k in self.fields if k in after}
        return dump(ctx.client.projects.create(**snake_case(fields), retry_safe=retry_safe))
