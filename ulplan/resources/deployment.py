"""Deployments: a model served in a region. The region forces a replace; the model and the
resources roll over in place (same id, same URL); ``state`` is started or stopped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from ulplan.changes import FieldDiff
from ulplan.events import Progress
from ulplan.resources.base import (
    OperationContext,
    Raw,
    ResourceOperationError,
    ResourceType,
    dump,
    plain,
    reference_template,
    set_if,
    snake_case,
)
from ulplan.resources.export import await_training_first
from ulplan.waits import Poll, poll_until

if TYPE_CHECKING:
    from ulplan.manifest.loaded import ResourceSpec

RESOURCES = ("minInstances", "maxInstances", "cpu", "memoryGi")
RUNNING = frozenset({"creating", "deploying", "ready"})
STOPPED = frozenset({"stopping", "stopped"})


class DeploymentFailedError(ResourceOperationError):
    """The platform reports the deployment failed."""


def live_state(status: Any) -> str:
    """A deployment status as the manifest's ``state``: running, stopped or failed."""
    if status in RUNNING:
        return "running"
    if status in STOPPED:
        return "stopped"
    return str(status)


class DeploymentType(ResourceType):
    """The rules of ``deployment`` resources."""

    kind: ClassVar[str] = "deployment"
    fields: ClassVar[tuple[str, ...]] = ("name", "modelId", "region", *RESOURCES, "state")
    replace_fields: ClassVar[frozenset[str]] = frozenset({"region"})
    known_before_apply: ClassVar[tuple[str, ...]] = ("name",)

    def template(self, resource: ResourceSpec) -> dict[str, Any]:
        """The deployment's wanted attributes."""
        spec: Any = resource.spec
        template: dict[str, Any] = {
            "name": getattr(spec, "name", None) or resource.name,
            "modelId": reference_template(spec.model, "model"),
            "region": plain(spec.region),
        }
        for key in RESOURCES:
            set_if(template, key, getattr(spec, key, None))
        template["state"] = plain(getattr(spec, "state", None)) or "running"
        return template

    def comparable(self, raw: Raw, recorded: Mapping[str, Any] | None, extras: Mapping[str, Any]) -> Raw:
        """Live fields, with ``resources`` flattened as the manifest writes them."""
        resources = raw.get("resources") or {}
        attrs = {key: raw.get(key) for key in ("name", "modelId", "region")}
        attrs.update({key: resources.get(key) for key in RESOURCES})
        attrs["state"] = live_state(raw.get("status"))
        return attrs

    def find_match(self, after: Mapping[str, Any], slug: str, candidates: Iterable[Raw]) -> Raw | None:
        """The deployment whose slug (derived from its name) or name is this one's."""
        for raw in candidates:
            if raw.get("slug") == slug or raw.get("name") == after.get("name"):
                return raw
        return None

    def intent_match(self, after: Mapping[str, Any], slug: str) -> dict[str, Any]:
        """A deployment is found again by its slug or name."""
        return {"slug": slug, "name": after.get("name")}

    def create(self, ctx: OperationContext, after: Mapping[str, Any], retry_safe: bool) -> Raw:
        """POST /api/deployments, once the model's training (if any) completed."""
        await_training_first(ctx)
        fields = {k: after[k] for k in ("modelId", "name", "region", *RESOURCES) if k in after}
        return dump(ctx.client.deployments.create(**snake_case(fields), retry_safe=retry_safe))

    def update(
        self, ctx: OperationContext, resource_id: str, after: Mapping[str, Any], diffs: Iterable[FieldDiff]
    ) -> Raw:
        """PATCH what changed (a new model rolls out, same URL); then start or stop."""
        changed = {d.path.split(".")[0] for d in diffs}
        fields = {k: after[k] for k in ("modelId", "name", *RESOURCES) if k in changed and k in after}
        if "modelId" in fields:
            await_training_first(ctx)
        raw = dump(ctx.client.deployments.update(resource_id, **snake_case(fields))) if fields else {}
        if "state" in changed:
            self._set_state(ctx, resource_id, after.get("state", "running"))
        return raw or self.get_live(ctx.client, resource_id)

    def wait(self, ctx: OperationContext, raw: Raw, after: Mapping[str, Any]) -> Raw:
        """Wait until ready; then stop it when the manifest wants it stopped."""
        wanted = after.get("state", "running")
        live = self._wait_for(ctx, raw["id"], "running" if wanted == "running" else None)
        if wanted == "stopped" and live_state(live.get("status")) != "stopped":
            self._set_state(ctx, raw["id"], "stopped")
            live = self._wait_for(ctx, raw["id"], "stopped")
        return live

    def _set_state(self, ctx: OperationContext, resource_id: str, wanted: str) -> None:
        if wanted == "stopped":
            ctx.client.deployments.stop(resource_id)
        else:
            ctx.client.deployments.start(resource_id)

    def _wait_for(self, ctx: OperationContext, resource_id: str, wanted: str | None) -> Raw:
        """Poll until ``ready`` (wanted running), ``stopped``, or settled (wanted None)."""
        targets = {"running": {"ready"}, "stopped": {"stopped"}, None: {"ready", "stopped"}}[wanted]

        def check() -> Poll:
            live = self.get_live(ctx.client, resource_id)
            status = live.get("status")
            if status == "failed":
                raise DeploymentFailedError(
                    f"deployment failed: {live.get('statusMessage') or 'no reason given'}"
                )
            ctx.report(Progress(status=str(status), message=str(live.get("statusMessage") or status)))
            return Poll(status in targets, live)

        return poll_until(ctx, "deployment", check)
