"""Routes: GDPR export and delete (admin keys only)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok
from ulplan.emulator.routes.common import Body, base_url
from ulplan.emulator.store.accounts import Principal

router = APIRouter(tags=["gdpr"])


class GdprRequest(Body):
    """``{action: "export"}`` or ``{action: "delete"}``."""

    action: Literal["export", "delete"]


@router.post(
    "/gdpr",
    summary="Export all the account's data, or delete the account irreversibly",
    description="`export` answers with every piece of the account's data as JSON, and a signed `url` "
    "to download the same document as a file. `delete` removes the "
    "account, its keys, resources, files and history; its keys answer 401 afterwards.",
)
def gdpr(
    request: Request, body: GdprRequest, principal: Principal = Depends(requires(None, admin_only=True))
) -> dict[str, Any]:
    """Export or delete."""
    store = store_of(request)
    if body.action == "delete":
        return ok(store.gdpr.delete(principal.account_id))
    url, expires = store.blobs.sign_with_expiry(base_url(request), gdpr_export_path(principal.account_id))
    link = {"url": url, "expiresAt": store.ctx.clock.iso(expires)}
    return ok(link | store.gdpr.export(principal.account_id))


def gdpr_export_path(account_id: str) -> str:
    """The signed path the export is downloaded from (served by the files routes)."""
    return f"/api/files/gdpr/{account_id}.json"
