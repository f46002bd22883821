"""The activity log: every change an account makes, with seen and archived flags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ulplan.emulator import ids
from ulplan.emulator.store.base import Page, PageRequest, Row, SubStore

ACTIONS = (
    "created",
    "updated",
    "deleted",
    "trashed",
    "restored",
    "started",
    "completed",
    "failed",
    "cancelled",
    "uploaded",
    "exported",
)


@dataclass(frozen=True)
class ActivityFilter:
    """What ``GET /api/activity`` narrows the log by (all optional)."""

    start: str | None = None  # ISO 8601, inclusive
    end: str | None = None  # ISO 8601, inclusive (a bare date covers that whole day)
    search: str | None = None
    archived: bool = False


class ActivityStore(SubStore):
    """The activity log."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS activity (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        resource_name TEXT NOT NULL,
        message TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        seen INTEGER NOT NULL DEFAULT 0,
        archived INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS activity_account ON activity(account_id, seq);
    """

    def record(
        self,
        account_id: str,
        action: str,
        resource_type: str,
        resource_id: str,
        resource_name: str,
        message: str,
    ) -> str:
        """Append one event to an account's log and return its ``event_…`` id.

        ``action`` is one of ACTIONS; ``resource_type`` e.g. ``project``, ``model``,
        ``export``. Safe to call inside another part's transaction (it joins it).
        """
        event_id = ids.new_id("event")
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO activity (id, account_id, action, resource_type, resource_id, resource_name,"
                " message, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event_id,
                    account_id,
                    action,
                    resource_type,
                    resource_id,
                    resource_name,
                    message,
                    self.clock.iso(),
                ),
            )
        return event_id

    def list_page(self, account_id: str, filters: ActivityFilter, request: PageRequest) -> Page:
        """The account's events, newest first."""
        where = ["account_id = ?", "archived = ?"]
        params: list[Any] = [account_id, int(filters.archived)]
        if filters.start:
            where.append("timestamp >= ?")
            params.append(filters.start)
        if filters.end:
            # A bare date ("2026-01-31") means the whole day: compare against its last instant.
            where.append("timestamp <= ?")
            params.append(filters.end + "T23:59:59.999Z" if len(filters.end) == 10 else filters.end)
        if filters.search:
            # The search is literal text: % and _ in it match themselves, not any character.
            pattern = "%" + re.sub(r"([\\%_])", r"\\\1", filters.search) + "%"
            columns = ("resource_name", "message", "resource_type", "action")
            where.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns) + ")")
            params.extend([pattern] * len(columns))
        return self.page_of("activity", " AND ".join(where), params, "seq DESC", request, render_event)

    def mark(self, account_id: str, column: str, event_ids: list[str] | None, every: bool) -> int:
        """Set ``seen`` or ``archived`` on the given events (or all); returns how many changed."""
        if column not in ("seen", "archived"):
            raise ValueError(column)
        with self.db.transaction() as conn:
            if every:
                cursor = conn.execute(
                    f"UPDATE activity SET {column} = 1 WHERE account_id = ? AND {column} = 0", (account_id,)
                )
            else:
                marks = ",".join("?" * len(event_ids or []))
                cursor = conn.execute(
                    f"UPDATE activity SET {column} = 1"
                    f" WHERE account_id = ? AND {column} = 0 AND id IN ({marks})",
                    (account_id, *(event_ids or [])),
                )
            return int(cursor.rowcount)

    def export_rows(self, account_id: str) -> list[dict[str, Any]]:
        """Every event of the account (GDPR export)."""
        rows = self.db.query("SELECT * FROM activity WHERE account_id = ? ORDER BY seq", (account_id,))
        return [render_event(row) for row in rows]


def render_event(row: Row) -> dict[str, Any]:
    """An event as the API shows it."""
    return {
        "id": row["id"],
        "action": row["action"],
        "resourceType": row["resource_type"],
        "resourceId": row["resource_id"],
        "resourceName": row["resource_name"],
        "message": row["message"],
        "timestamp": row["timestamp"],
        "seen": bool(row["seen"]),
        "archived": bool(row["archived"]),
    }
