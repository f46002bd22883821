"""Models: weights in a project, optionally trained on a dataset.

The file (by sha256) and a completed or running training cannot change in place: a new
file or a new training spec means a new model. A training that failed, was cancelled or
never started is simply started (again) in place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ulplan.changes import FieldDiff
from ulplan.events import Progress
from ulplan.manifest.enums import DEFAULT_GPU_TYPE, DEFAULT_IMAGE_SIZE
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
from ulplan.resources.training import start_training, wait_for_training

if TYPE_CHECKING:
    from ulplan.manifest.loaded import ResourceSpec

RESTARTABLE = frozenset({None, "failed", "cancelled"})


def model_uri(username: str | None, project_slug: str | None, slug: str | None) -> str | None:
    """``ul://<username>/<project-slug>/<model-slug>``, as ``YOLO(...)`` accepts it."""
    if not username or not project_slug or not slug:
        return None
    return f"ul://{username}/{project_slug}/{slug}"


def training_template(training: Any) -> dict[str, Any]:
    """A manifest ``training:`` block as compared attributes (with the API's defaults)."""
    template: dict[str, Any] = {
        "datasetId": reference_template(training.dataset, "dataset"),
        "epochs": training.epochs,
        "imageSize": getattr(training, "imageSize", None) or DEFAULT_IMAGE_SIZE,
        "gpuType": plain(getattr(training, "gpuType", None)) or DEFAULT_GPU_TYPE,
    }
    set_if(template, "trainArgs", plain(getattr(training, "trainArgs", None)) or None)
    return template


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ModelType(ResourceType):
    """The rules of ``model`` resources."""

    kind: ClassVar[str] = "model"
    fields: ClassVar[tuple[str, ...]] = (
        "slug", "projectId", "name", "description", "license", "task", "fileSha256", "training",
    )  # fmt: skip
    replace_fields: ClassVar[frozenset[str]] = frozenset(
        {"slug", "projectId", "task", "fileSha256", "training"}
    )
    known_before_apply: ClassVar[tuple[str, ...]] = ("slug", "name", "uri")

    def template(self, resource: ResourceSpec) -> dict[str, Any]:
        """The model's wanted attributes."""
        spec: Any = resource.spec
        template: dict[str, Any] = {
            "slug": resource.slug,
            "projectId": reference_template(spec.project, "project"),
            "name": getattr(spec, "name", None) or resource.name,
        }
        for key in ("description", "license", "task"):
            set_if(template, key, plain(getattr(spec, key, None)))
        set_if(template, "fileSha256", resource.file_sha256)
        training = getattr(spec, "training", None)
        if training is not None:
            template["training"] = training_template(training)
        return template

    def training_needed(self, resource: ResourceSpec) -> bool:
        """Only models with ``training:`` need their training status read."""
        return getattr(resource.spec, "training", None) is not None

    def comparable(self, raw: Raw, recorded: Mapping[str, Any] | None, extras: Mapping[str, Any]) -> Raw:
        """Live fields; the uploaded file's hash and the train args from state (the API changes
        ``fileSha256`` when training writes new weights, and does not echo train args)."""
        attrs = {name: raw.get(name) for name in self.fields if name != "training"}
        if recorded is not None and "fileSha256" in recorded:
            attrs["fileSha256"] = recorded["fileSha256"]
        status = extras.get("training")
        attrs["training"] = live_training(status, recorded)
        return attrs

    def imported(self, resource: ResourceSpec, live_attributes: Raw) -> Raw:
        """Once a model trained, the platform holds the trained weights and no longer the
        uploaded file, and it never echoes train args: what cannot be checked is taken from
        the manifest (the import asserts this object is that resource)."""
        attrs = dict(live_attributes)
        if live_attributes.get("training") is None:
            return attrs
        if resource.file_sha256:
            attrs["fileSha256"] = resource.file_sha256
        wanted = self.template(resource).get("training") or {}
        if wanted.get("trainArgs") and not attrs["training"].get("trainArgs"):
            attrs["training"] = {**attrs["training"], "trainArgs": wanted["trainArgs"]}
        return attrs

    def find_match(self, after: Mapping[str, Any], slug: str, candidates: Iterable[Raw]) -> Raw | None:
        """Models are unique per project: match the slug within the wanted project."""
        for raw in candidates:
            if raw.get("slug") == slug and raw.get("projectId") == after.get("projectId"):
                return raw
        return None

    def intent_match(self, after: Mapping[str, Any], slug: str) -> dict[str, Any]:
        """A model is found again by its slug within its project."""
        return {"slug": slug, "projectId": after.get("projectId")}

    def exposed(self, raw: Raw, username: str | None, context: Mapping[str, Any]) -> Raw:
        """The API object plus its ``uri`` (when the project's slug is known)."""
        project_slug = context.get("projectSlugs", {}).get(raw.get("projectId"))
        uri = model_uri(username, project_slug, raw.get("slug"))
        return {**raw, "uri": uri} if uri else dict(raw)

    def extra_diffs(self, before: Raw, after: Raw, live: Raw, extras: Mapping[str, Any]) -> list[FieldDiff]:
        """A failed or cancelled training of an unchanged spec is started again."""
        status = (extras.get("training") or {}).get("status")
        if (
            "training" in after
            and status in ("failed", "cancelled")
            and before.get("training") == after.get("training")
        ):
            return [FieldDiff("training.status", status, "completed")]
        return []

    def classify(self, diffs: list[FieldDiff], extras: Mapping[str, Any]) -> list[FieldDiff]:
        """Training changes replace a model only when its training ran or runs."""
        status = (extras.get("training") or {}).get("status")
        if status not in RESTARTABLE:
            return diffs
        return [FieldDiff(d.path, d.old, d.new, False) if d.path.startswith("training") else d for d in diffs]

    def create(self, ctx: OperationContext, after: Mapping[str, Any], retry_safe: bool) -> Raw:
        """Upload the file (or make an untrained model)."""
        path = ctx.extra.get("filePath")
        file = Path(path) if path else None
        if file is not None and after.get("fileSha256") and file_sha256(file) != after["fileSha256"]:
            raise ResourceOperationError(f"{file} changed since the plan was made; plan again")
        fields = {k: after[k] for k in ("projectId", "name", "slug", "description", "task") if k in after}
        progress = upload_progress(ctx) if file is not None else None
        created = ctx.client.models.create(
            **snake_case(fields), file=file, progress=progress, retry_safe=retry_safe
        )
        return dump(created)

    def after_create(self, ctx: OperationContext, raw: Raw, after: Mapping[str, Any]) -> Raw:
        """Start the training the manifest asks for."""
        if "training" in after:
            start_training(ctx, raw["id"], after["training"])
        return raw

    def update(
        self, ctx: OperationContext, resource_id: str, after: Mapping[str, Any], diffs: Iterable[FieldDiff]
    ) -> Raw:
        """PATCH name/description/license; start the training when it must (re)start."""
        diffs = list(diffs)
        changed = {d.path.split(".")[0] for d in diffs}
        fields: dict[str, Any] = {
            k: after[k] for k in ("name", "description", "license") if k in changed and k in after
        }
        raw = dump(ctx.client.models.update(resource_id, **snake_case(fields))) if fields else {}
        if "training" in changed and "training" in after:
            start_training(ctx, resource_id, after["training"])
        return raw or self.get_live(ctx.client, resource_id)

    def wait(self, ctx: OperationContext, raw: Raw, after: Mapping[str, Any]) -> Raw:
        """Wait for the training when the manifest says ``wait: true``."""
        if "training" not in after or not ctx.extra.get("wait"):
            return raw
        wait_for_training(ctx, raw["id"])
        return self.get_live(ctx.client, raw["id"])


def upload_progress(ctx: OperationContext) -> Callable[[int, int], None]:
    """Report an upload's bytes as progress (the client calls it as the file streams)."""

    def report(sent: int, total: int) -> None:
        fraction = sent / total if total else None
        ctx.report(Progress("uploading", fraction, f"uploading {sent / 1e6:.1f}/{total / 1e6:.1f} MB"))

    return report


def live_training(status: Mapping[str, Any] | None, recorded: Mapping[str, Any] | None) -> Any:
    """The training a live model had, in the shape of the manifest's training template."""
    if not status:
        return None
    wanted = (recorded or {}).get("training") or {}
    training: dict[str, Any] = {
        key: status.get(key) for key in ("datasetId", "epochs", "imageSize", "gpuType")
    }
    train_args = status.get("trainArgs") or wanted.get("trainArgs")
    set_if(training, "trainArgs", train_args or None)
    return training
