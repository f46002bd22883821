"""Routes: storage use."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok
from ulplan.emulator.store.accounts import Principal

router = APIRouter(tags=["storage"])


@router.get("/storage", summary="Bytes stored, the plan's limit, and the percentage used")
def storage(request: Request, principal: Principal = Depends(requires(None))) -> dict[str, Any]:
    """Model weights and exported files count; uploads past the limit get 413."""
    return ok(store_of(request).storage.summary(principal.account_id))
