"""Routes: billing. Payments are emulated: a checkout URL credits the account when visited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok, paged
from ulplan.emulator.routes.common import Body, base_url, paging
from ulplan.emulator.store.accounts import Principal
from ulplan.emulator.store.base import PageRequest
from ulplan.emulator.store.billing import usage_summary

router = APIRouter(tags=["billing"])
read = requires(None)
admin = requires(None, admin_only=True)
EMULATED = "Emulated payment: visiting the returned URL completes it; no money moves."


class CheckoutRequest(Body):
    """A credit top-up of ``amount`` dollars."""

    amount: Annotated[float, Field(ge=5, le=1000, description="Dollars, 5-1000")]


@router.get("/billing/balance", summary="Balance in micro-USD")
def balance(request: Request, principal: Principal = Depends(read)) -> dict[str, Any]:
    """``{cashBalance, creditBalance, reservedAmount, totalBalance}`` (trainings reserve estimates)."""
    return ok(store_of(request).billing.balance(principal.account_id))


@router.get("/billing/usage-summary", summary="Plan, its limits, and usage")
def usage(request: Request, principal: Principal = Depends(read)) -> dict[str, Any]:
    """Requests per minute/day, storage, and counts."""
    return ok(usage_summary(store_of(request), principal.account_id))


@router.get("/billing/payments", summary="Transactions: payments, charges, credits")
def payments(
    request: Request, page: PageRequest = Depends(paging), principal: Principal = Depends(read)
) -> dict[str, Any]:
    """Newest first; amounts in micro-USD (charges negative)."""
    return paged(store_of(request).billing.payments(principal.account_id, page))


@router.post("/billing/checkout-session", summary="Buy credits (emulated payment)", description=EMULATED)
def checkout(
    request: Request, body: CheckoutRequest, principal: Principal = Depends(admin)
) -> dict[str, Any]:
    """``{sessionId, url}``; the URL is served by the emulator."""
    session_id = store_of(request).billing.open_checkout(principal.account_id, body.amount)
    return ok({"sessionId": session_id, "url": f"{base_url(request)}/api/billing/checkout/{session_id}"})


@router.post(
    "/billing/subscription-checkout", summary="Upgrade to Pro (emulated payment)", description=EMULATED
)
def subscription(request: Request, principal: Principal = Depends(admin)) -> dict[str, Any]:
    """``{sessionId, url}``; visiting the URL moves the account to the pro plan."""
    session_id = store_of(request).billing.open_subscription(principal.account_id)
    return ok({"sessionId": session_id, "url": f"{base_url(request)}/api/billing/checkout/{session_id}"})


@router.post("/billing/portal-session", summary="A billing portal link (emulated)")
def portal(request: Request, principal: Principal = Depends(admin)) -> dict[str, Any]:
    """``{url}`` of a local page showing the account's plan and balance."""
    session_id = store_of(request).billing.open_portal(principal.account_id)
    return ok({"url": f"{base_url(request)}/api/billing/portal/{session_id}"})


@router.get(
    "/billing/checkout/{sessionId}",
    summary="Complete an emulated checkout (what a browser would visit; no key needed)",
    description=EMULATED,
)
def visit_checkout(request: Request, sessionId: str) -> dict[str, Any]:
    """Credits the account (or upgrades it) once; later visits change nothing."""
    return ok(store_of(request).billing.complete_session(sessionId))


@router.get("/billing/portal/{sessionId}", summary="The emulated billing portal (no key needed)")
def visit_portal(request: Request, sessionId: str) -> dict[str, Any]:
    """The account's plan and balance."""
    return ok(store_of(request).billing.complete_session(sessionId))
