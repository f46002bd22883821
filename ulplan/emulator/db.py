"""SQLite access for the emulator's store.

One connection, shared by FastAPI's worker threads and guarded by a re-entrant lock:
SQLite serialises writers anyway, and a single connection behind a lock means concurrent
clients never see "database is locked", while WAL keeps the file consistent across a
crash. Each store module declares its tables in a ``SCHEMA`` string; ``Database``
applies them all at open (``CREATE TABLE IF NOT EXISTS``), so a restart keeps the data.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Database:
    """A locked SQLite connection with transactions and JSON helpers."""

    def __init__(self, path: Path | str, schemas: Iterable[str]) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA busy_timeout = 10000")
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        # executescript manages its own transaction (it commits first), so no BEGIN here.
        with self._lock:
            self._conn.executescript("".join(schemas))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block atomically: commit on success, roll back on any exception.

        Nested use (a store method calling another) joins the outer transaction.
        """
        with self._lock:
            if self._conn.in_transaction:
                yield self._conn
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Rows of a read-only statement."""
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def query_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """The first row of a read-only statement, or None."""
        with self._lock:
            row: sqlite3.Row | None = self._conn.execute(sql, tuple(params)).fetchone()
            return row

    def close(self) -> None:
        """Close the connection (the file stays for the next start)."""
        with self._lock:
            self._conn.close()


def dumps(value: Any) -> str:
    """JSON for a column (compact, stable key order)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def loads(text: str | None) -> Any:
    """A JSON column back to Python (None stays None)."""
    return None if text is None else json.loads(text)
