"""SQL text shared by the job stores (statements only: the stores run them)."""

from __future__ import annotations

from typing import Any


def insert_sql(table: str, columns: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """An INSERT statement and its parameters for ``columns`` (names written by a store)."""
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(columns.values())


def update_sql(table: str, row_id: str, columns: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """An UPDATE of ``columns`` on the row ``row_id`` of ``table``."""
    assignments = ", ".join(f"{column} = ?" for column in columns)
    return f"UPDATE {table} SET {assignments} WHERE id = ?", (*columns.values(), row_id)
