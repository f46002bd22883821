"""Models: weights uploaded as torch checkpoints, or untrained until the emulated training runs.

An uploaded ``.pt`` must be laid out like a torch checkpoint (a zip archive holding
``<folder>/data.pkl``). The archive's listing is read; its pickles are never loaded.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ulplan.emulator import ids
from ulplan.emulator.db import dumps, loads
from ulplan.emulator.errors import NotFound, NotImplementedHere
from ulplan.emulator.store import rules
from ulplan.emulator.store.base import Page, PageRequest, Row, SubStore, field_error
from ulplan.emulator.store.blobs import BlobInfo

EDITABLE = ("name", "description", "license")
STATUSES = ("pending", "untrained", "starting", "running", "completed", "failed", "cancelled")
# What set_training_fields may change: API field -> column (metrics is stored as JSON).
TRAINING_FIELDS = {
    "status": "status",
    "datasetId": "dataset_id",
    "epochs": "epochs",
    "metrics": "metrics",
    "fileSize": "file_size",
    "fileSha256": "file_sha256",
}


def check_checkpoint(path: Path) -> None:
    """VALIDATION_ERROR unless the file is a zip holding ``*/data.pkl`` (never unpickled)."""
    message = "must be a PyTorch checkpoint (.pt): a zip archive holding <folder>/data.pkl"
    if not zipfile.is_zipfile(path):
        raise field_error("file", message)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise field_error("file", message) from exc
    if not any(re.fullmatch(r"[^/]+/data\.pkl", name) for name in names):
        raise field_error("file", message)


class ModelStore(SubStore):
    """Models."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS models (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        slug TEXT NOT NULL,
        task TEXT NOT NULL,
        status TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        license TEXT,
        file_size INTEGER,
        file_sha256 TEXT,
        dataset_id TEXT,
        epochs INTEGER,
        metrics TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        trashed_at REAL,
        trashed_with TEXT
    );
    CREATE UNIQUE INDEX IF NOT EXISTS models_slug ON models(project_id, slug) WHERE trashed_at IS NULL;
    CREATE INDEX IF NOT EXISTS models_account ON models(account_id, created_at);
    CREATE INDEX IF NOT EXISTS models_project ON models(project_id);
    """

    def list_page(
        self, account_id: str, request: PageRequest, project_id: str | None = None, task: str | None = None
    ) -> Page:
        """The account's live models, oldest first, optionally of one project and/or task."""
        where, params = "account_id = ? AND trashed_at IS NULL", [account_id]
        if project_id is not None:
            where, params = where + " AND project_id = ?", [*params, project_id]
        if task is not None:
            where, params = where + " AND task = ?", [*params, task]
        return self.page_of("models", where, params, "created_at, id", request, render)

    def get(self, account_id: str, model_id: str) -> dict[str, Any]:
        """One live model as the API shows it."""
        return render(self.get_row(account_id, model_id))

    def get_row(self, account_id: str, model_id: str) -> Row:
        """The model's row; NotFound for another account's or a trashed one."""
        row = self.db.query_one(
            "SELECT * FROM models WHERE id = ? AND account_id = ? AND trashed_at IS NULL",
            (model_id, account_id),
        )
        if row is None:
            raise NotFound(f"No model {model_id}")
        return row

    def create(
        self,
        account_id: str,
        fields: dict[str, Any],
        chunks: Iterable[bytes] | None = None,
        filename: str = "",
    ) -> dict[str, Any]:
        """A new model in a project: with ``chunks`` (a .pt file's bytes) it is ``completed``
        and its weights are stored; without, it is ``untrained``."""
        name = rules.check_name(fields.get("name"))
        slug = rules.slug_for(fields.get("slug"), name)
        task = rules.check_choice(fields.get("task") or "detect", rules.TASKS, "task")
        description = rules.check_description(fields.get("description"))
        project_id = str(fields.get("projectId") or "")
        self.store.projects.get_row(account_id, project_id)
        self._check_slug_free(project_id, slug)
        model_id = ids.new_id("model")
        blob = None
        if chunks is not None:
            blob = self.store.blobs.save_stream(
                account_id, "model", model_id, _file_name(filename), chunks, validate=check_checkpoint
            )
        columns = {"id": model_id, "account_id": account_id, "project_id": project_id, "name": name}
        try:
            self._insert(columns | {"slug": slug, "task": task, "description": description}, blob)
        except BaseException:
            self.store.blobs.delete_owner("model", model_id)
            raise
        return self.get(account_id, model_id)

    def update(self, account_id: str, model_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Change name, description or license."""
        values: dict[str, Any] = {}
        if "name" in fields:
            values["name"] = rules.check_name(fields["name"])
        if "description" in fields:
            values["description"] = rules.check_description(fields["description"])
        if "license" in fields:
            values["license"] = fields["license"]
        with self.db.transaction() as conn:
            row = self.get_row(account_id, model_id)
            self.update_resource(conn, account_id, "model", row, values)
        return self.get(account_id, model_id)

    def set_training_fields(self, model_id: str, **fields: Any) -> None:
        """Update what training changes: ``status``, ``datasetId``, ``epochs``, ``metrics``,
        ``fileSize``, ``fileSha256`` (API names). Bumps ``updatedAt``. For the job simulators."""
        unknown = set(fields) - set(TRAINING_FIELDS)
        if unknown:
            raise ValueError(f"set_training_fields: unknown fields {sorted(unknown)}")
        if "status" in fields and fields["status"] not in STATUSES:
            raise ValueError(f"set_training_fields: unknown status {fields['status']!r}")
        values = {TRAINING_FIELDS[key]: dumps(v) if key == "metrics" else v for key, v in fields.items()}
        with self.db.transaction() as conn:
            assignments = "".join(f"{column} = ?, " for column in values)
            conn.execute(
                f"UPDATE models SET {assignments}updated_at = ? WHERE id = ?",
                (*values.values(), self.clock.iso(), model_id),
            )

    def trash(self, account_id: str, model_id: str) -> dict[str, Any]:
        """Move the model to the trash."""
        with self.db.transaction() as conn:
            row = self.get_row(account_id, model_id)
            self.trash_resource(conn, account_id, "model", row, trashed_with=None)
        return {"id": model_id, "trashed": True}

    def files(self, account_id: str, model_id: str, base_url: str) -> dict[str, Any]:
        """``{files: [{name, size, sha256, url}]}`` with signed download URLs."""
        self.get_row(account_id, model_id)
        return {"files": self.store.blobs.files_of("model", model_id, base_url)}

    def predict(self, account_id: str, model_id: str) -> dict[str, Any]:
        """Inference is not available in the emulator: a clear 501, never made-up detections."""
        self.get_row(account_id, model_id)
        raise NotImplementedHere(
            "Inference is not available in the ulplan emulator: it stores models but does not run them",
            {"modelId": model_id, "emulated": True},
        )

    def export_rows(self, account_id: str) -> list[dict[str, Any]]:
        """Every model of the account, trashed ones included (GDPR export)."""
        rows = self.db.query("SELECT * FROM models WHERE account_id = ? ORDER BY created_at", (account_id,))
        return [render(row) | {"trashed": row["trashed_at"] is not None} for row in rows]

    def _check_slug_free(self, project_id: str, slug: str) -> None:
        taken = self.db.query_one(
            "SELECT 1 FROM models WHERE project_id = ? AND slug = ? AND trashed_at IS NULL",
            (project_id, slug),
        )
        if taken is not None:
            raise rules.slug_conflict("model", slug)

    def _insert(self, columns: dict[str, Any], blob: BlobInfo | None) -> None:
        now = self.clock.iso()
        account_id, model_id, name = columns["account_id"], columns["id"], columns["name"]
        columns |= {
            "status": "untrained" if blob is None else "completed",
            "created_at": now,
            "updated_at": now,
        }
        if blob is not None:
            columns |= {"file_size": blob.size, "file_sha256": blob.sha256}
        with self.db.transaction() as conn:
            self.store.projects.get_row(account_id, columns["project_id"])  # still live, now under the lock
            rules.insert_row(conn, "models", columns, "model")
            self.store.activity.record(
                account_id, "created", "model", model_id, name, f"Model '{name}' created"
            )
            if blob is not None:
                self.store.activity.record(
                    account_id, "uploaded", "model", model_id, name, f"Weights uploaded ({blob.size} bytes)"
                )


def _file_name(filename: str) -> str:
    """The stored name of uploaded weights: the upload's base name when it is a .pt, else weights.pt."""
    base = Path(filename.replace("\\", "/")).name
    return base if base.endswith(".pt") and ids.is_name(base) else "weights.pt"


def render(row: Row) -> dict[str, Any]:
    """A model as the API shows it."""
    return {
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "projectId": row["project_id"],
        "task": row["task"],
        "status": row["status"],
        "description": row["description"],
        "license": row["license"],
        "fileSize": row["file_size"],
        "fileSha256": row["file_sha256"],
        "datasetId": row["dataset_id"],
        "epochs": row["epochs"],
        "metrics": loads(row["metrics"]),
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
    }
