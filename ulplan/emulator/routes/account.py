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
    description="Any valid key may call this. `yolo login KEY` (the `ultralytics` package) checks a key with "
    "one GET here and accepts it on a 200 whose body names a `username`; its own test doubles answer the "
    "bare object, so the summary's fields are also mirrored beside the envelope's `data`.",
)
def account_summary(request: Request, principal: Principal = Depends(requires(ANY_SCOPE))) -> dict[str, Any]:
    """The summary in the envelope, and the same fields at the top level (see the description)."""
    summary = store_of(request).accounts.summary(principal.account_id)
    return summary | ok(summary)
