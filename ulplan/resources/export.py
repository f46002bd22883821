"""Exports: a model converted to a format. Nothing changes in place: any change replaces.

Exports have no name or slug on the platform. One is matched by the id in state, else by
(model, format, args) of an export that has not failed.
"""

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
)
from ulplan.resources.training import wait_for_training
from ulplan.waits import Poll, poll_until

if TYPE_CHECKING:
    from ulplan.manifest.loaded import ResourceSpec

FAILED = frozenset({"failed", "cancelled"})


class ExportFailedError(ResourceOperationError):
    """The platform reports the export failed or was cancelled."""


def await_training_first(ctx: OperationContext) -> None:
    """Wait for the training of the model this resource uses, when it has one."""
    model_id = ctx.extra.get("awaitTraining")
    if model_id:
        wait_for_training(ctx, str(model_id), label="waiting for the model's training:")


class ExportType(ResourceType):
    """The rules of ``export`` resources."""

    kind: ClassVar[str] = "export"
    fields: ClassVar[tuple[str, ...]] = ("modelId", "format", "args")
    replace_fields: ClassVar[frozenset[str]] = frozenset(fields)
    known_before_apply: ClassVar[tuple[str, ...]] = ("format",)
    has_slug: ClassVar[bool] = False

    def template(self, resource: ResourceSpec) -> dict[str, Any]:
        """The export's wanted attributes (no args is the same as empty args)."""
        spec: Any = resource.spec
        return {
            "modelId": reference_template(spec.model, "model"),
            "format": plain(spec.format),
            "args": plain(getattr(spec, "args", None)) or {},
        }

    def comparable(self, raw: Raw, recorded: Mapping[str, Any] | None, extras: Mapping[str, Any]) -> Raw:
        """The export's model, format and args."""
        return {"modelId": raw.get("modelId"), "format": raw.get("format"), "args": raw.get("args") or {}}

    def slug_of(self, raw: Raw) -> str | None:
        """Exports have no slug."""
        return None

    def find_match(self, after: Mapping[str, Any], slug: str, candidates: Iterable[Raw]) -> Raw | None:
        """An export of the same model, format and args that has not failed."""
        wanted = (after.get("modelId"), after.get("format"), after.get("args") or {})
        for raw in candidates:
            if raw.get("status") in FAILED:
                continue
            if (raw.get("modelId"), raw.get("format"), raw.get("args") or {}) == wanted:
                return raw
        return None

    def intent_match(self, after: Mapping[str, Any], slug: str) -> dict[str, Any]:
        """An export is found again by its model, format and args."""
        return {"modelId": after.get("modelId"), "format": after.get("format"), "args": after.get("args")}

    def fingerprint(self, raw: Raw) -> str | None:
        """Exports never change once made; their creation time identifies them."""
        value = raw.get("createdAt")
        return str(value) if value is not None else None

    def extra_diffs(self, before: Raw, after: Raw, live: Raw, extras: Mapping[str, Any]) -> list[FieldDiff]:
        """A failed or cancelled export is made again."""
        status = live.get("status")
        if status in FAILED:
            return [FieldDiff("status", status, "completed", forces_replacement=True)]
        return []

    def create(self, ctx: OperationContext, after: Mapping[str, Any], retry_safe: bool) -> Raw:
        """POST /api/exports, once the model's training (if any) completed."""
        await_training_first(ctx)
        created = ctx.client.exports.create(
            model_id=after["modelId"],
            format=after["format"],
            args=after.get("args") or None,
            retry_safe=retry_safe,
        )
        return dump(created)

    def wait(self, ctx: OperationContext, raw: Raw, after: Mapping[str, Any]) -> Raw:
        """Wait until the export completed."""
        export_id = raw["id"]

        def check() -> Poll:
            live = self.get_live(ctx.client, export_id)
            status = live.get("status")
            if status in FAILED:
                raise ExportFailedError(f"export {status}: {live.get('error') or 'no reason given'}")
            ctx.report(Progress(status=str(status), message=str(status)))
            return Poll(status == "completed", live)

        return poll_until(ctx, "export", check)
