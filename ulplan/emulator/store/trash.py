"""The trash: trashed projects (with their models), datasets and models, kept 30 days.

Expired items are purged whenever the trash is used (listed, restored, emptied), so no
background job is needed and the emulator's clock alone decides what has expired.
A project's models that went to the trash with it (``trashed_with``) are listed under
the project (``cascadedModels``) and come back with it.
"""

from __future__ import annotations

from typing import Any

from ulplan.emulator.errors import Conflict, NotFound
from ulplan.emulator.store import rules
from ulplan.emulator.store.base import Page, PageRequest, Row, SubStore, field_error

TYPES = ("project", "dataset", "model")
TRASHED = """(
    SELECT id, account_id, 'project' AS type, name, slug, trashed_at,
        (SELECT COUNT(*) FROM models m WHERE m.trashed_with = p.id) AS cascaded
    FROM projects p WHERE trashed_at IS NOT NULL
    UNION ALL
    SELECT id, account_id, 'dataset', name, slug, trashed_at, 0 FROM datasets WHERE trashed_at IS NOT NULL
    UNION ALL
    SELECT id, account_id, 'model', name, slug, trashed_at, 0 FROM models
    WHERE trashed_at IS NOT NULL AND trashed_with IS NULL
) AS trash"""
TABLES = {"project": "projects", "dataset": "datasets", "model": "models"}


class TrashStore(SubStore):
    """Soft-deleted items: list, restore, empty, purge after 30 days."""

    def list_page(self, account_id: str, request: PageRequest, kind: str | None = None) -> Page:
        """Trashed items, most recently trashed first, optionally of one type."""
        self.purge_expired(account_id)
        where, params = "account_id = ?", [account_id]
        if kind is not None and kind != "all":
            where, params = where + " AND type = ?", [*params, rules.check_choice(kind, TYPES, "type")]
        return self.page_of(TRASHED, where, params, "trashed_at DESC, id", request, self.render)

    def render(self, row: Row) -> dict[str, Any]:
        """A trashed item as the API shows it."""
        item = {
            "id": row["id"],
            "type": row["type"],
            "name": row["name"],
            "slug": row["slug"],
            "trashedAt": self.clock.iso(row["trashed_at"]),
            "daysRemaining": rules.days_remaining(row["trashed_at"], self.clock.now()),
        }
        return item | ({"cascadedModels": row["cascaded"]} if row["type"] == "project" else {})

    def restore(self, account_id: str, item_id: str, kind: str) -> dict[str, Any]:
        """Bring an item back; 409 when its slug was taken meanwhile (or a model's project is gone)."""
        table = TABLES.get(kind)
        if table is None:
            raise field_error("type", f"must be one of {', '.join(TYPES)}")
        self.purge_expired(account_id)
        with self.db.transaction() as conn:
            row = conn.execute(
                f"SELECT * FROM {table} WHERE id = ? AND account_id = ? AND trashed_at IS NOT NULL",
                (item_id, account_id),
            ).fetchone()
            if row is None or (kind == "model" and row["trashed_with"] is not None):
                raise NotFound(f"No {kind} {item_id} in the trash")
            self._check_restorable(conn, kind, row)
            conn.execute(f"UPDATE {table} SET trashed_at = NULL WHERE id = ?", (item_id,))
            if kind == "project":
                conn.execute(
                    "UPDATE models SET trashed_at = NULL, trashed_with = NULL WHERE trashed_with = ?",
                    (item_id,),
                )
            self.store.activity.record(
                account_id,
                "restored",
                kind,
                item_id,
                row["name"],
                f"{kind.capitalize()} '{row['name']}' restored",
            )
        return {"id": item_id, "type": kind, "restored": True}

    def empty(self, account_id: str) -> dict[str, Any]:
        """Delete everything in the account's trash for good."""
        rows = self.db.query(f"SELECT id, type FROM {TRASHED} WHERE account_id = ?", (account_id,))
        for row in rows:
            self._purge(row["type"], row["id"])
        if rows:
            self.store.activity.record(
                account_id, "deleted", "trash", account_id, "trash", f"Trash emptied ({len(rows)} item(s))"
            )
        return {"deleted": len(rows)}

    def purge_expired(self, account_id: str | None = None) -> int:
        """Delete for good what has been in the trash for 30 days; returns how many items."""
        cutoff = rules.expiry_cutoff(self.clock.now())
        params: list[Any]
        where, params = "trashed_at < ?", [cutoff]
        if account_id is not None:
            where, params = where + " AND account_id = ?", [*params, account_id]
        rows = self.db.query(f"SELECT id, type FROM {TRASHED} WHERE {where}", params)
        for row in rows:
            self._purge(row["type"], row["id"])
        return len(rows)

    def _check_restorable(self, conn: Any, kind: str, row: Row) -> None:
        if kind == "model":
            project = conn.execute(
                "SELECT 1 FROM projects WHERE id = ? AND trashed_at IS NULL", (row["project_id"],)
            ).fetchone()
            if project is None:
                raise Conflict("The model's project is in the trash: restore the project first")
            scope, value = "project_id = ?", row["project_id"]
        else:
            scope, value = "account_id = ?", row["account_id"]
        taken = conn.execute(
            f"SELECT 1 FROM {TABLES[kind]} WHERE {scope} AND slug = ? AND trashed_at IS NULL",
            (value, row["slug"]),
        ).fetchone()
        if taken is not None:
            raise Conflict(
                f"Cannot restore: another {kind} now has the slug '{row['slug']}'", {"slug": row["slug"]}
            )

    def _purge(self, kind: str, item_id: str) -> None:
        """Hard-delete one item (a project takes its models with it) and its files."""
        if kind == "project":
            for model in self.db.query("SELECT id FROM models WHERE project_id = ?", (item_id,)):
                self._purge_model(model["id"])
        elif kind == "model":
            self._purge_model(item_id)
            return
        with self.db.transaction() as conn:
            conn.execute(f"DELETE FROM {TABLES[kind]} WHERE id = ?", (item_id,))

    def _purge_model(self, model_id: str) -> None:
        # Job parts (exports, training, deployments) may keep rows and files per model:
        # each that defines on_model_purged(model_id) drops them first.
        for part in (self.store.training, self.store.exports, self.store.deployments):
            hook = getattr(part, "on_model_purged", None)
            if hook is not None:
                hook(model_id)
        self.store.blobs.delete_owner("model", model_id)
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM models WHERE id = ?", (model_id,))
