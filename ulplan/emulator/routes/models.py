"""Routes: models (multipart upload of .pt weights, signed file URLs, predict)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok, paged
from ulplan.emulator.routes.common import Body, Description, License, Name, Task, base_url, paging
from ulplan.emulator.store.accounts import Principal
from ulplan.emulator.store.base import PageRequest

router = APIRouter(tags=["models"])
scope = requires("models")
CHUNK_BYTES = 1 << 20


class ModelUpdate(Body):
    """``PATCH /api/models/{modelId}``: only the fields given change."""

    name: Name | None = None
    description: Description | None = None
    license: License | None = None


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    """The upload in 1 MiB pieces: it is never held whole in memory."""
    yield from iter(lambda: handle.read(CHUNK_BYTES), b"")


@router.get("/models", summary="List models")
def list_models(
    request: Request,
    projectId: str | None = None,
    task: Task | None = None,
    page: PageRequest = Depends(paging),
    principal: Principal = Depends(scope),
) -> dict[str, Any]:
    """The caller's models (not those in the trash), optionally of one project and/or task."""
    return paged(store_of(request).models.list_page(principal.account_id, page, projectId, task))


@router.post(
    "/models",
    status_code=201,
    summary="Create a model: upload a .pt, or make an untrained one",
    description="Multipart form. With `file` (a PyTorch checkpoint: a zip holding `*/data.pkl`, never "
    "unpickled) the model is `completed` with those weights; without it the model is `untrained`.",
)
def create_model(
    request: Request,
    projectId: Annotated[str, Form(min_length=1)],
    name: Annotated[str, Form(min_length=1, max_length=100)],
    slug: Annotated[str | None, Form()] = None,
    description: Annotated[str | None, Form(max_length=1000)] = None,
    task: Annotated[Task | None, Form()] = None,
    file: Annotated[UploadFile | None, File(description="A .pt checkpoint")] = None,
    principal: Principal = Depends(scope),
) -> dict[str, Any]:
    """A new model in the project; 409 when its slug is taken in that project."""
    fields = {"projectId": projectId, "name": name, "slug": slug, "description": description, "task": task}
    models = store_of(request).models
    if file is None:
        return ok(models.create(principal.account_id, fields))
    return ok(models.create(principal.account_id, fields, _chunks(file.file), file.filename or ""))


@router.get("/models/{modelId}", summary="Get a model")
def get_model(request: Request, modelId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """One model."""
    return ok(store_of(request).models.get(principal.account_id, modelId))


@router.patch("/models/{modelId}", summary="Update a model")
def update_model(
    request: Request, modelId: str, body: ModelUpdate, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """Change name, description or license."""
    fields = body.model_dump(exclude_unset=True)
    return ok(store_of(request).models.update(principal.account_id, modelId, fields))


@router.delete("/models/{modelId}", summary="Move a model to the trash")
def delete_model(request: Request, modelId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """Soft delete: the model stays in the trash for 30 days."""
    return ok(store_of(request).models.trash(principal.account_id, modelId))


@router.get("/models/{modelId}/files", summary="The model's files, with signed download URLs")
def model_files(request: Request, modelId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """``{files: [{name, size, sha256, url}]}``; each URL works without a key for an hour."""
    return ok(store_of(request).models.files(principal.account_id, modelId, base_url(request)))


@router.post(
    "/models/{modelId}/predict",
    summary="Run inference (not available in the emulator: 501)",
    description="The emulator stores models but does not run them: this answers 501 NOT_IMPLEMENTED "
    "for an existing model, never made-up detections.",
)
def predict(
    request: Request,
    modelId: str,
    file: Annotated[UploadFile | None, File(description="An image")] = None,
    conf: Annotated[float | None, Form(ge=0, le=1)] = None,
    iou: Annotated[float | None, Form(ge=0, le=1)] = None,
    principal: Principal = Depends(scope),
) -> dict[str, Any]:
    """Inference is not emulated."""
    return ok(store_of(request).models.predict(principal.account_id, modelId))
