"""Routes: API keys (admin keys only). A key is shown once, when it is created."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok, paged
from ulplan.emulator.routes.common import Body, Name, paging
from ulplan.emulator.store.accounts import Principal
from ulplan.emulator.store.base import PageRequest

router = APIRouter(tags=["api-keys"])
scope = requires(None, admin_only=True)
Scope = Literal[
    "datasets", "projects", "models", "training", "exports", "deployments", "read", "write", "admin"
]


class KeyCreate(Body):
    """``POST /api/api-keys``: ``scopes`` empty or absent means every scope."""

    name: Name
    scopes: Annotated[list[Scope], Field(max_length=9)] | None = None


@router.get("/api-keys", summary="List API keys (never the keys themselves)")
def list_keys(
    request: Request, page: PageRequest = Depends(paging), principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """``[{id, name, prefix, scopes, createdAt, lastUsedAt}]``, paged."""
    return paged(store_of(request).accounts.list_keys(principal.account_id, page))


@router.post("/api-keys", status_code=201, summary="Create an API key (the key is in this answer only)")
def create_key(request: Request, body: KeyCreate, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """The new key's fields plus ``key``, shown this once."""
    return ok(store_of(request).accounts.create_key(principal.account_id, body.name, list(body.scopes or [])))


@router.delete("/api-keys/{keyId}", summary="Revoke an API key")
def delete_key(request: Request, keyId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """Requests with the key answer 401 from now on."""
    store_of(request).accounts.delete_key(principal.account_id, keyId)
    return ok({"id": keyId, "deleted": True})
