"""Routes: the trash."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok, paged
from ulplan.emulator.routes.common import Body, paging
from ulplan.emulator.store.accounts import Principal
from ulplan.emulator.store.base import PageRequest

router = APIRouter(tags=["trash"])
scope = requires(None)  # read for GET, write for the rest
ItemType = Literal["project", "dataset", "model"]


class RestoreRequest(Body):
    """``POST /api/trash``: restore one item."""

    itemId: Annotated[str, Field(min_length=1, max_length=100)]
    type: ItemType


@router.get("/trash", summary="Trashed items and the days before they are purged")
def list_trash(
    request: Request,
    type: Annotated[ItemType | Literal["all"] | None, Query()] = None,
    page: PageRequest = Depends(paging),
    principal: Principal = Depends(scope),
) -> dict[str, Any]:
    """Items stay 30 days; expired ones are purged when the trash is used."""
    return paged(store_of(request).trash.list_page(principal.account_id, page, type))


@router.post("/trash", summary="Restore an item (409 when its slug was taken meanwhile)")
def restore(request: Request, body: RestoreRequest, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """A project comes back with the models trashed with it."""
    return ok(store_of(request).trash.restore(principal.account_id, body.itemId, body.type))


@router.post("/trash/empty", summary="Delete everything in the trash for good")
def empty(request: Request, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """``{deleted: n}``."""
    return ok(store_of(request).trash.empty(principal.account_id))
