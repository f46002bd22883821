"""Routes: the account summary (what ``yolo login`` reads to check a key)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ulplan.emulator.deps import ANY_SCOPE, requires, store_of
from ulplan.emulator.envelope import ok
from ulplan.emulator.store.accounts import Principal

router = APIRouter(tags=["account"])


@router.get("/account/summary", summary="Who this key belongs to: username, plan, balance, counts")
def account_summary(request: Request, principal: Principal = Depends(requires(ANY_SCOPE))) -> dict[str, Any]:
    """Any valid key may call this; it is how clients check a key works."""
    return ok(store_of(request).accounts.summary(principal.account_id))
