"""Datasets: task, classes, unique slugs per account, soft delete, NDJSON export.

The emulator holds no images (the API has no image upload in ulplan's contract), so
``imageCount`` is 0 and an export holds only the dataset's header line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ulplan.emulator import ids
from ulplan.emulator.db import loads
from ulplan.emulator.errors import NotFound
from ulplan.emulator.store import rules
from ulplan.emulator.store.base import Page, PageRequest, Row, SubStore, field_error

EDITABLE = ("name", "description", "visibility", "classNames", "tags", "license")
MAX_CLASSES = 25_000


class DatasetStore(SubStore):
    """Datasets."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS datasets (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        slug TEXT NOT NULL,
        task TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        visibility TEXT NOT NULL DEFAULT 'private',
        class_names TEXT NOT NULL DEFAULT '[]',
        image_count INTEGER NOT NULL DEFAULT 0,
        tags TEXT NOT NULL DEFAULT '[]',
        license TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        trashed_at REAL
    );
    CREATE UNIQUE INDEX IF NOT EXISTS datasets_slug ON datasets(account_id, slug) WHERE trashed_at IS NULL;
    """

    def list_page(self, account_id: str, request: PageRequest, task: str | None = None) -> Page:
        """The account's live datasets, oldest first, optionally of one task."""
        where, params = "account_id = ? AND trashed_at IS NULL", [account_id]
        if task is not None:
            where, params = where + " AND task = ?", [*params, task]
        return self.page_of("datasets", where, params, "created_at, id", request, render)

    def get(self, account_id: str, dataset_id: str) -> dict[str, Any]:
        """One live dataset as the API shows it; NotFound for another account's or a trashed one."""
        return render(self.get_row(account_id, dataset_id))

    def get_row(self, account_id: str, dataset_id: str) -> Row:
        """The dataset's row; NotFound for another account's or a trashed one."""
        row = self.db.query_one(
            "SELECT * FROM datasets WHERE id = ? AND account_id = ? AND trashed_at IS NULL",
            (dataset_id, account_id),
        )
        if row is None:
            raise NotFound(f"No dataset {dataset_id}")
        return row

    def create(self, account_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """A new dataset: ``{name, task, slug?, description?, visibility?, classNames?, tags?, license?}``."""
        name = rules.check_name(fields.get("name"))
        task = rules.check_choice(fields.get("task"), rules.TASKS, "task")
        slug = rules.slug_for(fields.get("slug"), name)
        values = _checked({"visibility": "private", **fields})
        dataset_id, now = ids.new_id("dataset"), self.clock.iso()
        columns = {
            "id": dataset_id,
            "account_id": account_id,
            "name": name,
            "slug": slug,
            "task": task,
            "created_at": now,
        }
        with self.db.transaction() as conn:
            rules.insert_row(conn, "datasets", columns | values | {"updated_at": now}, "dataset")
            self.store.activity.record(
                account_id, "created", "dataset", dataset_id, name, f"Dataset '{name}' created"
            )
        return self.get(account_id, dataset_id)

    def update(self, account_id: str, dataset_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Change the given fields; the task cannot change (VALIDATION_ERROR)."""
        if "task" in fields:
            raise field_error("task", "a dataset's task cannot change; create a new dataset instead")
        values = _checked({key: value for key, value in fields.items() if key in EDITABLE})
        with self.db.transaction() as conn:
            row = self.get_row(account_id, dataset_id)
            self.update_resource(conn, account_id, "dataset", row, values)
        return self.get(account_id, dataset_id)

    def trash(self, account_id: str, dataset_id: str) -> dict[str, Any]:
        """Move the dataset to the trash."""
        with self.db.transaction() as conn:
            self.trash_resource(conn, account_id, "dataset", self.get_row(account_id, dataset_id))
        return {"id": dataset_id, "trashed": True}

    def export_lines(self, dataset_id: str) -> Iterator[str]:
        """The dataset as NDJSON: a header line, then one line per image (none in the emulator)."""
        row = self.db.query_one("SELECT * FROM datasets WHERE id = ? AND trashed_at IS NULL", (dataset_id,))
        if row is None:
            raise NotFound(f"No dataset {dataset_id}")
        header = {
            "type": "dataset",
            "task": row["task"],
            "name": row["name"],
            "class_names": loads(row["class_names"]),
        }
        yield json.dumps(header) + "\n"

    def record_export(self, account_id: str, dataset_id: str) -> None:
        """Log that an export link was made."""
        row = self.get_row(account_id, dataset_id)
        self.store.activity.record(
            account_id,
            "exported",
            "dataset",
            dataset_id,
            row["name"],
            f"Dataset '{row['name']}' exported as NDJSON",
        )

    def export_rows(self, account_id: str) -> list[dict[str, Any]]:
        """Every dataset of the account, trashed ones included (GDPR export)."""
        rows = self.db.query("SELECT * FROM datasets WHERE account_id = ? ORDER BY created_at", (account_id,))
        return [render(row) | {"trashed": row["trashed_at"] is not None} for row in rows]


def render(row: Row) -> dict[str, Any]:
    """A dataset as the API shows it."""
    class_names = loads(row["class_names"])
    return {
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "task": row["task"],
        "description": row["description"],
        "visibility": row["visibility"],
        "imageCount": row["image_count"],
        "classCount": len(class_names),
        "classNames": class_names,
        "tags": loads(row["tags"]),
        "license": row["license"],
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
    }


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    """Validated column values for the editable fields present in ``fields``."""
    values: dict[str, Any] = {}
    if "name" in fields:
        values["name"] = rules.check_name(fields["name"])
    if "description" in fields:
        values["description"] = rules.check_description(fields["description"])
    if "visibility" in fields:
        values["visibility"] = rules.check_choice(fields["visibility"], rules.VISIBILITIES, "visibility")
    if "classNames" in fields:
        values["class_names"] = rules.check_tags(fields["classNames"], "classNames", MAX_CLASSES, 100)
    if "tags" in fields:
        values["tags"] = rules.check_tags(fields["tags"])
    if "license" in fields:
        values["license"] = fields["license"]
    return values
