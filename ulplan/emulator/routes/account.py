"""Routes: the account summary (what ``yolo login`` reads to check a key)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ulplan.emulator.deps import ANY_SCOPE, requires, store_of
from ulplan.emulator.envelope import ok
from ulplan.emulator.store.accounts import Principal

router = APIRouter(tags=["account"])


@router.get(
    "/account/summary",
    summary="Who this key belongs to: username, plan, balance, counts",
    description="Any valid key may call this. `yolo login KEY` (the `ultralytics` package, through its "
    "`ultralytics_platform` client) checks a key with one GET here and accepts it on any 200.",
)
def account_summary(request: Request, principal: Principal = Depends(requires(ANY_SCOPE))) -> dict[str, Any]:
    """The account's username, plan, balance and resource counts."""
    return ok(store_of(request).accounts.summary(principal.account_id))
