"""What every part of the store shares: the database, the clock, the settings, paging."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ulplan.emulator.clock import Clock
from ulplan.emulator.config import EmulatorConfig
from ulplan.emulator.db import Database
from ulplan.emulator.errors import InvalidRequest

if TYPE_CHECKING:
    from ulplan.emulator.store import Store

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

Row = sqlite3.Row
Render = Callable[[sqlite3.Row], dict[str, Any]]


@dataclass(frozen=True)
class Page:
    """One page of a list, with the numbers the envelope's ``meta`` shows."""

    items: list[dict[str, Any]]
    page: int
    limit: int
    total: int

    @property
    def meta(self) -> dict[str, int]:
        """The envelope's pagination ``meta``."""
        return {"page": self.page, "limit": self.limit, "total": self.total}


@dataclass(frozen=True)
class PageRequest:
    """Which page of a list the caller asked for (1-based; ``limit`` 1-100)."""

    page: int = 1
    limit: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        """Rows to skip."""
        return (max(self.page, 1) - 1) * self.limit


@dataclass(frozen=True)
class StoreContext:
    """Shared by every sub-store: one database, one clock, one configuration."""

    db: Database
    clock: Clock
    config: EmulatorConfig
    files_dir: Path


def field_error(field: str, message: str) -> InvalidRequest:
    """A VALIDATION_ERROR naming one bad field, shaped like FastAPI's own (details.fields)."""
    return InvalidRequest(
        f"Invalid value for {field}: {message}",
        {"fields": [{"field": field, "message": message, "type": "value_error"}]},
    )


class SubStore:
    """Base of each part of the store. ``SCHEMA`` holds its CREATE TABLE statements."""

    SCHEMA = ""

    def __init__(self, ctx: StoreContext, store: Store) -> None:
        self.ctx = ctx
        self.store = store  # the other parts, for rules that span them (billing, activity)
        self.db = ctx.db
        self.clock = ctx.clock
        self.config = ctx.config

    def update_resource(
        self,
        conn: sqlite3.Connection,
        account_id: str,
        kind: str,
        row: sqlite3.Row,
        values: dict[str, Any],
    ) -> None:
        """Write the changed columns of a project, dataset or model (table ``<kind>s``),
        bump its ``updated_at`` and log an ``updated`` event; nothing when ``values`` is empty."""
        if not values:
            return
        assignments = ", ".join(f"{column} = ?" for column in values)
        conn.execute(
            f"UPDATE {kind}s SET {assignments}, updated_at = ? WHERE id = ?",
            (*values.values(), self.clock.iso(), row["id"]),
        )
        name = values.get("name", row["name"])
        message = f"{kind.capitalize()} '{name}' updated"
        self.store.activity.record(account_id, "updated", kind, row["id"], name, message)

    def trash_resource(
        self,
        conn: sqlite3.Connection,
        account_id: str,
        kind: str,
        row: sqlite3.Row,
        note: str = "",
        **columns: Any,
    ) -> None:
        """Move a project, dataset or model (table ``<kind>s``) to the trash, setting any
        further ``columns`` too, and log a ``trashed`` event (``note`` ends its message)."""
        assignments = "".join(f", {column} = ?" for column in columns)
        conn.execute(
            f"UPDATE {kind}s SET trashed_at = ?{assignments} WHERE id = ?",
            (self.clock.now(), *columns.values(), row["id"]),
        )
        message = f"{kind.capitalize()} '{row['name']}' moved to the trash{note}"
        self.store.activity.record(account_id, "trashed", kind, row["id"], row["name"], message)

    def page_of(
        self,
        table: str,
        where: str,
        params: Sequence[Any],
        order: str,
        request: PageRequest,
        render: Render,
    ) -> Page:
        """One page of ``SELECT * FROM table WHERE where ORDER BY order``, rendered.

        ``table``, ``where`` and ``order`` are SQL written by the store, never user input.
        """
        limit = max(1, min(request.limit, MAX_PAGE_SIZE))
        page = max(1, request.page)
        count = self.db.query_one(f"SELECT COUNT(*) AS n FROM {table} WHERE {where}", params)
        rows = self.db.query(
            f"SELECT * FROM {table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, (page - 1) * limit],
        )
        total = 0 if count is None else int(count["n"])
        return Page([render(row) for row in rows], page, limit, total)
