"""Storage accounting: bytes of model and export files per account, against the plan's limit."""

from __future__ import annotations

from typing import Any

from ulplan.emulator.store.base import SubStore

GB = 1_000_000_000
PLAN_STORAGE_BYTES = {"free": 100 * GB, "pro": 500 * GB, "enterprise": 5_000 * GB}


class StorageStore(SubStore):
    """How much each account stores and may store."""

    def limit_of(self, account_id: str) -> int:
        """The account's limit in bytes: ``config.storage_limit`` when set, else the plan's."""
        if self.config.storage_limit is not None:
            return self.config.storage_limit
        return PLAN_STORAGE_BYTES.get(self.store.accounts.plan_of(account_id), PLAN_STORAGE_BYTES["free"])

    def remaining(self, account_id: str) -> int:
        """Bytes the account can still store (after purging what expired in the trash)."""
        self.store.trash.purge_expired(account_id)
        return self.limit_of(account_id) - self.store.blobs.used_bytes(account_id)

    def summary(self, account_id: str) -> dict[str, Any]:
        """``{used, limit, percentage}`` in bytes (percentage 0-100, two decimals)."""
        self.store.trash.purge_expired(account_id)  # expired trash no longer counts
        used, limit = self.store.blobs.used_bytes(account_id), self.limit_of(account_id)
        return {"used": used, "limit": limit, "percentage": round(100 * used / limit, 2) if limit else 100.0}
