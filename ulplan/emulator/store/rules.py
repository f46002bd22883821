"""Field rules shared by the resource stores: names, slugs, enums, tags, soft delete."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from typing import Any

from ulplan.emulator import ids
from ulplan.emulator.db import dumps
from ulplan.emulator.errors import Conflict
from ulplan.emulator.store.base import field_error

TASKS = ("detect", "segment", "semantic", "classify", "pose", "obb")
VISIBILITIES = ("public", "private")
TRASH_DAYS = 30
DAY_SECONDS = 86_400
MAX_TAGS, MAX_TAG_LENGTH, MAX_DESCRIPTION = 50, 50, 1000


def check_name(name: Any, field: str = "name") -> str:
    """A display name: 1-100 printable characters."""
    if not isinstance(name, str) or not ids.is_name(name):
        raise field_error(field, "must be 1-100 printable characters")
    return name


def slug_for(slug: str | None, name: str) -> str:
    """The given slug (validated) or one derived from the name."""
    if slug is None:
        return ids.slugify(name)
    if not ids.is_slug(slug):
        raise field_error(
            "slug", "must be lowercase letters and digits joined by single dashes, 1-100 characters"
        )
    return slug


def check_choice(value: Any, choices: Iterable[str], field: str) -> str:
    """One of ``choices``."""
    options = tuple(choices)
    if value not in options:
        raise field_error(field, f"must be one of {', '.join(options)}")
    return str(value)


def check_description(value: Any) -> str:
    """A description of at most 1000 characters (``None`` becomes empty)."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION:
        raise field_error("description", f"must be a string of at most {MAX_DESCRIPTION} characters")
    return value


def check_tags(
    tags: Any, field: str = "tags", max_items: int = MAX_TAGS, max_length: int = MAX_TAG_LENGTH
) -> str:
    """A list of short strings, stored as JSON."""
    if tags is None:
        return "[]"
    if not isinstance(tags, list) or len(tags) > max_items:
        raise field_error(field, f"must be a list of at most {max_items} strings")
    if any(not isinstance(tag, str) or not 0 < len(tag) <= max_length for tag in tags):
        raise field_error(field, f"each item must be 1-{max_length} characters")
    return dumps(tags)


def slug_conflict(kind: str, slug: str) -> Conflict:
    """The 409 for a slug another live resource of the same kind already has."""
    return Conflict(f"A {kind} with slug '{slug}' already exists", {"field": "slug", "slug": slug})


def insert_or_conflict(
    conn: sqlite3.Connection, sql: str, params: Iterable[Any], kind: str, slug: str
) -> None:
    """Run an INSERT/UPDATE whose only possible constraint failure is the unique slug index."""
    try:
        conn.execute(sql, tuple(params))
    except sqlite3.IntegrityError as exc:
        if "UNIQUE" not in str(exc):
            raise
        raise slug_conflict(kind, slug) from exc


def insert_row(conn: sqlite3.Connection, table: str, columns: dict[str, Any], kind: str) -> None:
    """INSERT ``columns`` into ``table``; a taken slug (the only unique index) is a 409 Conflict."""
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    insert_or_conflict(
        conn, f"INSERT INTO {table} ({names}) VALUES ({marks})", columns.values(), kind, str(columns["slug"])
    )


def days_remaining(trashed_at: float, now: float) -> int:
    """Whole days (rounded up) before a trashed item is purged; 0 when due."""
    return max(0, math.ceil((trashed_at + TRASH_DAYS * DAY_SECONDS - now) / DAY_SECONDS))


def expiry_cutoff(now: float) -> float:
    """Items trashed before this instant are due for purging."""
    return now - TRASH_DAYS * DAY_SECONDS
