"""The account side: activity, trash, billing, storage, GDPR, API keys, summary."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from typing import Any

from ulplan.client.groups.base import Group, body, paginate, parse, parse_page, segment
from ulplan.client.models import (
    AccountSummary,
    ActivityEvent,
    ApiKey,
    Balance,
    CheckoutSession,
    CreatedApiKey,
    Deleted,
    GdprExport,
    Page,
    Payment,
    Storage,
    TrashItem,
    UsageSummary,
)


class ActivityGroup(Group):
    """The account's activity log (filters ``start_date``, ``end_date``, ``search``)."""

    def page(self, page: int = 1, limit: int = 20, **filters: Any) -> Page[ActivityEvent]:
        """One page of events, newest first."""
        response = self._get("/api/activity", {"page": page, "limit": limit, **body(filters)})
        return parse_page(ActivityEvent, response, page, limit)

    def list(self, **filters: Any) -> Iterator[ActivityEvent]:
        """Every event matching the filters."""
        return paginate(lambda page, limit: self.page(page, limit, **filters))

    def mark_seen(self, event_ids: Sequence[str] | None = None, *, all: bool = False) -> None:
        """Mark the given events (or ``all=True``: every event) as seen."""
        self._post("/api/activity/mark-seen", _selection(event_ids, all), retry_safe=True)

    def archive(self, event_ids: Sequence[str] | None = None, *, all: bool = False) -> None:
        """Archive the given events (or ``all=True``: every event)."""
        self._post("/api/activity/archive", _selection(event_ids, all), retry_safe=True)


def _selection(event_ids: Sequence[str] | None, all: bool) -> dict[str, Any]:
    if all:
        return {"all": True}
    return {"eventIds": list(event_ids or [])}


class TrashGroup(Group):
    """Deleted projects, datasets and models, kept 30 days (filter ``type=``)."""

    def page(self, page: int = 1, limit: int = 20, **filters: Any) -> Page[TrashItem]:
        """One page of the trash."""
        response = self._get("/api/trash", {"page": page, "limit": limit, **body(filters)})
        return parse_page(TrashItem, response, page, limit)

    def list(self, **filters: Any) -> Iterator[TrashItem]:
        """Everything in the trash."""
        return paginate(lambda page, limit: self.page(page, limit, **filters))

    def restore(self, item_id: str, type: str, *, retry_safe: bool = False) -> dict[str, Any]:
        """Restore an item (``ConflictError`` when its slug was taken meanwhile)."""
        data = self._post("/api/trash", {"itemId": item_id, "type": type}, retry_safe=retry_safe).data
        return data if isinstance(data, dict) else {}

    def empty(self) -> dict[str, Any]:
        """Delete everything in the trash for good (safe to repeat)."""
        data = self._post("/api/trash/empty", retry_safe=True).data
        return data if isinstance(data, dict) else {}


class BillingGroup(Group):
    """Balance, usage, payments and checkout pages (money in micro-USD)."""

    def balance(self) -> Balance:
        """Cash, credit, reserved and total balance."""
        return parse(Balance, self._get("/api/billing/balance").data)

    def usage_summary(self) -> UsageSummary:
        """The plan, its limits and usage so far."""
        return parse(UsageSummary, self._get("/api/billing/usage-summary").data)

    def checkout_session(self, amount: int | float) -> CheckoutSession:
        """A payment page adding ``amount`` dollars (5-1000) of credit."""
        return parse(CheckoutSession, self._post("/api/billing/checkout-session", {"amount": amount}).data)

    def subscription_checkout(self) -> CheckoutSession:
        """A payment page subscribing to Pro."""
        return parse(CheckoutSession, self._post("/api/billing/subscription-checkout").data)

    def portal_session(self) -> CheckoutSession:
        """A billing portal page."""
        return parse(CheckoutSession, self._post("/api/billing/portal-session").data)

    def payments(self) -> builtins.list[Payment]:
        """Every transaction of the account (payments, charges, credits), newest first."""
        return builtins.list(paginate(self.payments_page))

    def payments_page(self, page: int = 1, limit: int = 20) -> Page[Payment]:
        """One page of transactions."""
        response = self._get("/api/billing/payments", {"page": page, "limit": limit})
        return parse_page(Payment, response, page, limit)


class StorageGroup(Group):
    """Storage use of the account."""

    def get(self) -> Storage:
        """Bytes used, the limit, and the percentage."""
        return parse(Storage, self._get("/api/storage").data)


class GdprGroup(Group):
    """Data-protection requests: export everything, or delete the account."""

    def export(self) -> GdprExport:
        """A download of all the account's data."""
        return parse(GdprExport, self._post("/api/gdpr", {"action": "export"}, retry_safe=True).data or {})

    def delete(self) -> dict[str, Any]:
        """Delete the account and everything in it. Irreversible."""
        data = self._post("/api/gdpr", {"action": "delete"}).data
        return data if isinstance(data, dict) else {}


class ApiKeysGroup(Group):
    """API keys of the account (listing never shows a key)."""

    def list(self) -> Iterator[ApiKey]:
        """Every key of the account."""
        return paginate(self.page)

    def page(self, page: int = 1, limit: int = 20) -> Page[ApiKey]:
        """One page of keys."""
        return parse_page(ApiKey, self._get("/api/api-keys", {"page": page, "limit": limit}), page, limit)

    def create(
        self, name: str, scopes: Sequence[str] | None = None, *, retry_safe: bool = False
    ) -> CreatedApiKey:
        """A new key; the answer is the only time its full value is shown."""
        fields = body({"name": name, "scopes": list(scopes) if scopes is not None else None})
        return parse(CreatedApiKey, self._post("/api/api-keys", fields, retry_safe=retry_safe).data)

    def delete(self, id: str) -> Deleted:
        """Revoke a key."""
        response = self._transport.request("DELETE", f"/api/api-keys/{segment(id)}")
        return Deleted.model_validate(response.data if isinstance(response.data, dict) else {"id": id})


class AccountGroup(Group):
    """Who the key belongs to."""

    def summary(self) -> AccountSummary:
        """Username, plan, balance and resource counts."""
        return parse(AccountSummary, self._get("/api/account/summary").data)
