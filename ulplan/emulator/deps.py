"""Request dependencies: who is calling, and may they do this?

A request is allowed when the key holds the resource's scope, or ``read`` for a GET,
or ``write`` for any method, or ``admin`` (API.md "Scopes"). Activity, trash, storage and
usage-summary take only read/write; billing changes, GDPR and key management need admin.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request

from ulplan.emulator.errors import Forbidden
from ulplan.emulator.store import Store
from ulplan.emulator.store.accounts import Principal

READ_METHODS = frozenset({"GET", "HEAD"})
ANY_SCOPE = "*"  # any valid key may call (the account summary, which `yolo login` uses to check a key)


def store_of(request: Request) -> Store:
    """The app's store (one per app instance, no module globals)."""
    store: Store = request.app.state.store
    return store


def bearer_key(request: Request) -> str | None:
    """The key from ``Authorization: Bearer ...``, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def allowed(principal: Principal, method: str, scope: str | None, admin_only: bool) -> bool:
    """The scope rule of API.md, in one place."""
    if "admin" in principal.scopes or scope == ANY_SCOPE:
        return True
    if admin_only:
        return False
    if "write" in principal.scopes:
        return True
    if method in READ_METHODS and "read" in principal.scopes:
        return True
    return scope is not None and scope in principal.scopes


def requires(
    scope: str | None, admin_only: bool = False
) -> Callable[[Request], Coroutine[Any, Any, Principal]]:
    """A dependency that authenticates the caller and checks the scope for this route."""

    # async on purpose: a sync dependency costs a hop to the thread pool per request, and
    # this one is a single indexed lookup (the store serialises SQLite behind one lock anyway).
    async def dependency(request: Request) -> Principal:
        principal: Principal | None = getattr(request.state, "principal", None)
        if principal is None:
            principal = store_of(request).accounts.authenticate(bearer_key(request))
        store_of(request).accounts.touch_key(principal.key_id)
        if not allowed(principal, request.method, scope, admin_only):
            needed = "admin" if admin_only else f"{scope or 'read'}/write"
            raise Forbidden(
                f"This API key lacks the scope this endpoint needs ({needed})",
                {"requiredScope": "admin" if admin_only else scope},
            )
        return principal

    return dependency
