"""Routes: GDPR export and delete (admin keys only)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok
from ulplan.emulator.routes.common import Body
from ulplan.emulator.store.accounts import Principal

router = APIRouter(tags=["gdpr"])


class GdprRequest(Body):
    """``{action: "export"}`` or ``{action: "delete"}``."""

    action: Literal["export", "delete"]


@router.post(
    "/gdpr",
    summary="Export all the account's data, or delete the account irreversibly",
    description="`export` answers with every piece of the account's data as JSON. `delete` removes the "
    "account, its keys, resources, files and history; its keys answer 401 afterwards.",
)
def gdpr(
    request: Request, body: GdprRequest, principal: Principal = Depends(requires(None, admin_only=True))
) -> dict[str, Any]:
    """Export or delete."""
    store = store_of(request)
    if body.action == "export":
        return ok(store.gdpr.export(principal.account_id))
    return ok(store.gdpr.delete(principal.account_id))
