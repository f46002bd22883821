"""GDPR: export all of an account's data as JSON, or delete the account and everything in it."""

from __future__ import annotations

from typing import Any

from ulplan.emulator.store.base import SubStore


class GdprStore(SubStore):
    """Data export and irreversible account deletion."""

    def export(self, account_id: str) -> dict[str, Any]:
        """Every piece of the account's data, as one JSON document (no key hashes, no secrets).

        Job parts contribute through an optional ``export_rows(account_id)`` method.
        """
        store = self.store
        document: dict[str, Any] = {
            "exportedAt": self.clock.iso(),
            "account": store.accounts.export_account(account_id),
            "balance": store.billing.balance(account_id),
            "projects": store.projects.export_rows(account_id),
            "datasets": store.datasets.export_rows(account_id),
            "models": store.models.export_rows(account_id),
            "files": store.blobs.export_rows(account_id),
            "transactions": store.billing.export_rows(account_id),
            "activity": store.activity.export_rows(account_id),
        }
        for name in ("training", "exports", "deployments"):
            rows = getattr(getattr(store, name), "export_rows", None)
            if rows is not None:
                document[name] = rows(account_id)
        return document

    def delete(self, account_id: str) -> dict[str, Any]:
        """Delete the account, its keys, resources, files and history, irreversibly.

        Tables that reference ``accounts(id) ON DELETE CASCADE`` go with the account row;
        job parts may also define ``delete_account(account_id)`` for anything else.
        """
        for name in ("training", "exports", "deployments", "webhooks"):
            hook = getattr(getattr(self.store, name), "delete_account", None)
            if hook is not None:
                hook(account_id)
        self.store.blobs.delete_account(account_id)
        with self.db.transaction() as conn:
            # Models reference projects; delete children first so no foreign key objects.
            conn.execute("DELETE FROM models WHERE account_id = ?", (account_id,))
            self.store.accounts.delete_account(account_id)
        return {"deleted": True, "accountId": account_id}
