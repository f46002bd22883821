"""Routes: datasets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import Field

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok, paged
from ulplan.emulator.routes.common import (
    Body,
    Description,
    License,
    Name,
    Slug,
    Tags,
    Task,
    Visibility,
    base_url,
    paging,
)
from ulplan.emulator.store.accounts import Principal
from ulplan.emulator.store.base import PageRequest

router = APIRouter(tags=["datasets"])
scope = requires("datasets")
ClassNames = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=25_000)]


class DatasetCreate(Body):
    """``POST /api/datasets``."""

    name: Name
    task: Task
    slug: Slug | None = None
    description: Description | None = None
    visibility: Visibility | None = None
    classNames: ClassNames | None = None
    tags: Tags | None = None
    license: License | None = None


class DatasetUpdate(Body):
    """``PATCH /api/datasets/{datasetId}``: only the fields given change; ``task`` cannot."""

    name: Name | None = None
    description: Description | None = None
    visibility: Visibility | None = None
    classNames: ClassNames | None = None
    tags: Tags | None = None
    license: License | None = None
    task: Task | None = None


@router.get("/datasets", summary="List datasets")
def list_datasets(
    request: Request,
    task: Task | None = None,
    page: PageRequest = Depends(paging),
    principal: Principal = Depends(scope),
) -> dict[str, Any]:
    """The caller's datasets (not those in the trash), optionally of one task."""
    return paged(store_of(request).datasets.list_page(principal.account_id, page, task))


@router.post("/datasets", status_code=201, summary="Create a dataset")
def create_dataset(
    request: Request, body: DatasetCreate, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """A new dataset; 409 when the slug is taken."""
    return ok(store_of(request).datasets.create(principal.account_id, body.model_dump(exclude_none=True)))


@router.get("/datasets/{datasetId}", summary="Get a dataset")
def get_dataset(request: Request, datasetId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """One dataset."""
    return ok(store_of(request).datasets.get(principal.account_id, datasetId))


@router.patch("/datasets/{datasetId}", summary="Update a dataset")
def update_dataset(
    request: Request, datasetId: str, body: DatasetUpdate, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """Change the given fields; the task cannot change (VALIDATION_ERROR)."""
    fields = body.model_dump(exclude_unset=True)
    return ok(store_of(request).datasets.update(principal.account_id, datasetId, fields))


@router.delete("/datasets/{datasetId}", summary="Move a dataset to the trash")
def delete_dataset(request: Request, datasetId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """Soft delete: the dataset stays in the trash for 30 days."""
    return ok(store_of(request).datasets.trash(principal.account_id, datasetId))


@router.post("/datasets/{datasetId}/export", summary="A signed NDJSON download URL of the dataset")
def export_dataset(request: Request, datasetId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """``{url, expiresAt}``; the file's first line is the dataset header, then one line per image."""
    store = store_of(request)
    store.datasets.record_export(principal.account_id, datasetId)
    url, expires = store.blobs.sign_with_expiry(base_url(request), dataset_export_path(datasetId))
    return ok({"url": url, "expiresAt": store.ctx.clock.iso(expires)})


def dataset_export_path(dataset_id: str) -> str:
    """The signed path a dataset export is downloaded from (served by the files routes)."""
    return f"/api/files/datasets/{dataset_id}.ndjson"


def export_response(request: Request, dataset_id: str) -> StreamingResponse:
    """The NDJSON body of a dataset export."""
    lines = store_of(request).datasets.export_lines(dataset_id)
    first = next(lines)  # raises NotFound before any byte is sent
    return StreamingResponse(
        iter([first, *lines]),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{dataset_id}.ndjson"'},
    )
