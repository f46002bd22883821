"""Routes: emulated exports of models to deployment formats."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok, paged
from ulplan.emulator.jobs.artifacts import EXPORT_FORMATS
from ulplan.emulator.routes.common import Body, base_url, paging
from ulplan.emulator.store.accounts import Principal
from ulplan.emulator.store.base import PageRequest

router = APIRouter(tags=["exports"])
scope = requires("exports")
EMULATED = (
    "Emulated: nothing is converted; the export moves queued, starting, running, completed"
    " and then offers a small file naming the format and the source weights' sha256."
)
ExportStatus = Literal["queued", "starting", "running", "completed", "failed", "cancelled"]


class ExportCreate(Body):
    """``POST /api/exports``."""

    modelId: Annotated[str, Field(min_length=1, max_length=128)]
    format: Annotated[str, Field(description=f"One of {', '.join(EXPORT_FORMATS)}")]
    args: dict[str, Any] | None = None


@router.get("/exports", summary="List exports", description=EMULATED)
def list_exports(
    request: Request,
    modelId: str | None = None,
    status: ExportStatus | None = None,
    page: PageRequest = Depends(paging),
    principal: Principal = Depends(scope),
) -> dict[str, Any]:
    """The caller's exports, optionally of one model and/or in one status."""
    exports = store_of(request).exports
    return paged(exports.list_page(principal.account_id, page, base_url(request), modelId, status))


@router.get("/exports/{exportId}", summary="One export", description=EMULATED)
def get_export(request: Request, exportId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """Its status, and once completed its file with a signed download URL."""
    return ok(store_of(request).exports.get(principal.account_id, exportId, base_url(request)))


@router.post("/exports", status_code=201, summary="Export a model", description=EMULATED)
def create_export(
    request: Request, body: ExportCreate, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """A new export, ``queued``; 409 while the same model and format is being exported."""
    exports = store_of(request).exports
    export_id = exports.create(principal.account_id, body.modelId, body.format, body.args)
    return ok(exports.get(principal.account_id, export_id, base_url(request)))


@router.delete("/exports/{exportId}", summary="Cancel or delete an export", description=EMULATED)
def delete_export(request: Request, exportId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """Cancels an active export, or deletes a finished one and its file."""
    return ok(store_of(request).exports.delete(principal.account_id, exportId, base_url(request)))
