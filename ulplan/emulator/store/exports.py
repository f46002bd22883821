"""Emulated exports: queued -> starting -> running -> completed, with a real file.

Emulation: nothing is converted. Each status lasts ``job_seconds``; at completion the
export gets a small text file naming the format and the sha256 of the weights it was
made from, stored through the blobs (so storage counts it and the download is real).
Exports belong to their model: while the model is in the trash they are hidden (and
come back with it); when the model is purged, ``on_model_purged`` removes them and
their files. Deleting a finished export removes its file; deleting an active one cancels it.
"""

from __future__ import annotations

from typing import Any

from ulplan.emulator import ids
from ulplan.emulator.db import dumps, loads
from ulplan.emulator.errors import Conflict, NotFound, PlatformFault
from ulplan.emulator.jobs import artifacts
from ulplan.emulator.jobs.rows import insert_sql, update_sql
from ulplan.emulator.jobs.timeline import StepTimeline
from ulplan.emulator.store.base import Page, PageRequest, Row, SubStore, field_error

STEPS = ("queued", "starting", "running", "completed")
ACTIVE = ("queued", "starting", "running")
STATUSES = (*STEPS, "failed", "cancelled")
# Only exports whose model is live are visible (a trashed model hides its exports).
LIVE = "model_id IN (SELECT id FROM models WHERE trashed_at IS NULL)"

Event = tuple[str, dict[str, Any]]


class ExportStore(SubStore):
    """Emulated exports of models to deployment formats."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS exports (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        model_name TEXT NOT NULL,
        format TEXT NOT NULL,
        args TEXT NOT NULL,
        status TEXT NOT NULL,
        started REAL NOT NULL,
        step_seconds REAL NOT NULL,
        source_sha256 TEXT NOT NULL,
        blob_id TEXT,
        file_name TEXT,
        file_size INTEGER,
        error TEXT,
        created_at TEXT NOT NULL,
        completed_at TEXT
    );
    CREATE INDEX IF NOT EXISTS exports_model ON exports(model_id, format);
    CREATE INDEX IF NOT EXISTS exports_account ON exports(account_id, seq);
    """

    def create(self, account_id: str, model_id: str, export_format: str, args: dict[str, Any] | None) -> str:
        """Queue an export; returns its id. VALIDATION_ERROR for an unknown format or a model
        without weights; 409 while the same model and format is already being exported."""
        if export_format not in artifacts.EXPORT_FORMATS:
            raise field_error("format", f"must be one of {', '.join(artifacts.EXPORT_FORMATS)}")
        events: list[Event] = []
        with self.db.transaction() as conn:
            model = self.store.models.get_row(account_id, model_id)
            if not model["file_sha256"]:
                raise field_error(
                    "modelId", "the model has no weights yet: upload a .pt file or train it first"
                )
            self._advance_where("model_id = ? AND format = ?", (model_id, export_format), events)
            if self._active(model_id, export_format) is not None:
                raise Conflict(
                    f"Model {model_id} is already being exported to {export_format}",
                    {"modelId": model_id, "format": export_format},
                )
            export_id = ids.new_id("export")
            conn.execute(*insert_sql("exports", self._columns(export_id, model, export_format, args or {})))
            self._emit(events)
        return export_id

    def get(self, account_id: str, export_id: str, base_url: str) -> dict[str, Any]:
        """One export as the API shows it (advanced to the present)."""
        return self._render(self._advanced(account_id, export_id), base_url)

    def list_page(
        self,
        account_id: str,
        request: PageRequest,
        base_url: str,
        model_id: str | None = None,
        status: str | None = None,
    ) -> Page:
        """The account's exports, oldest first, optionally of one model and/or status."""
        events: list[Event] = []
        with self.db.transaction():
            self._advance_where("account_id = ?", (account_id,), events)
            self._emit(events)
        where, params = f"account_id = ? AND {LIVE}", [account_id]
        if model_id is not None:
            where, params = where + " AND model_id = ?", [*params, model_id]
        if status is not None:
            where, params = where + " AND status = ?", [*params, status]
        return self.page_of("exports", where, params, "seq", request, lambda row: self._render(row, base_url))

    def delete(self, account_id: str, export_id: str, base_url: str) -> dict[str, Any]:
        """Cancel an active export (it stays, ``cancelled``) or delete a finished one and its file."""
        with self.db.transaction() as conn:
            row = self._advanced(account_id, export_id)  # in this transaction: no tick slips in between
            if row["status"] in ACTIVE:
                conn.execute(*update_sql("exports", export_id, self._ended("cancelled")))
                self._record(row, "cancelled", f"Export to {row['format']} cancelled")
                return self._render(self._row(export_id), base_url)
            conn.execute("DELETE FROM exports WHERE id = ?", (export_id,))
            self.store.blobs.delete_owner("export", export_id)
            self._record(row, "deleted", f"Export to {row['format']} deleted")
        return {"id": export_id, "deleted": True}

    def on_model_purged(self, model_id: str) -> None:
        """Remove a model's exports and their files (the model is being deleted for good)."""
        with self.db.transaction() as conn:
            rows = conn.execute("SELECT id FROM exports WHERE model_id = ?", (model_id,)).fetchall()
            conn.execute("DELETE FROM exports WHERE model_id = ?", (model_id,))
            for row in rows:
                self.store.blobs.delete_owner("export", row["id"])

    def tick(self) -> None:
        """Bring every active export up to the present (background ticker)."""
        marks = ", ".join("?" * len(ACTIVE))
        if self.db.query_one(f"SELECT 1 FROM exports WHERE status IN ({marks}) LIMIT 1", ACTIVE) is None:
            return  # the usual case: no write lock taken ten times a second for nothing
        events: list[Event] = []
        with self.db.transaction():
            self._advance_where("1 = 1", (), events)
            self._emit(events)

    def export_rows(self, account_id: str) -> list[dict[str, Any]]:
        """Every export of the account (GDPR export)."""
        rows = self.db.query("SELECT * FROM exports WHERE account_id = ? ORDER BY seq", (account_id,))
        return [self._render(row, "") for row in rows]

    # Advancing ---------------------------------------------------------------------

    def _advance_where(self, where: str, params: tuple[Any, ...], events: list[Event]) -> None:
        """Advance the active exports matching ``where`` (SQL written here, never user input)."""
        marks = ", ".join("?" * len(ACTIVE))
        rows = self.db.query(
            f"SELECT * FROM exports WHERE {where} AND status IN ({marks})", (*params, *ACTIVE)
        )
        for row in rows:
            self._advance(row, events)

    def _advance(self, row: Row, events: list[Event]) -> None:
        """Persist the export's present status; at completion make its file, once."""
        timeline = StepTimeline(row["started"], row["step_seconds"], STEPS)
        status = timeline.status_at(self.clock.now())
        if status == row["status"]:
            return
        with self.db.transaction() as conn:
            if status != "completed":
                conn.execute(*update_sql("exports", row["id"], {"status": status}))
                return
            conn.execute(*update_sql("exports", row["id"], self._completion(row, timeline.finished_at)))
        done = self._row(row["id"])
        if done["status"] == "completed":
            self._record(done, "exported", f"Model '{done['model_name']}' exported to {done['format']}")
            data = {"exportId": done["id"], "modelId": done["model_id"], "format": done["format"]}
            events.append(("export.completed", data | {"file": {"size": done["file_size"]}}))

    def _completion(self, row: Row, finished_at: float) -> dict[str, Any]:
        """The columns of a finished export: its file, or why there is none."""
        name = artifacts.export_filename(ids.slugify(row["model_name"]), row["format"])
        content = artifacts.export_bytes(
            row["format"], row["source_sha256"], loads(row["args"]), row["model_id"]
        )
        try:
            blob = self.store.blobs.save_stream(row["account_id"], "export", row["id"], name, [content])
        except PlatformFault as exc:  # e.g. 413: the file does not fit in the storage left
            error = {"message": f"The exported file could not be stored: {exc.message}", "code": exc.code}
            return self._ended("failed", finished_at) | {"error": dumps(error)}
        return self._ended("completed", finished_at) | {
            "blob_id": blob.id,
            "file_name": name,
            "file_size": blob.size,
        }

    def _ended(self, status: str, at: float | None = None) -> dict[str, Any]:
        return {"status": status, "completed_at": self.clock.iso(at)}

    def _emit(self, events: list[Event]) -> None:
        """Queue webhook events as the last step of the transaction that persisted them
        (in order, under the database lock; see ``TrainingStore._emit``)."""
        for event, data in events:
            self.store.webhooks.emit(event, data)

    # Rows --------------------------------------------------------------------------

    def _columns(
        self, export_id: str, model: Row, export_format: str, args: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "id": export_id,
            "account_id": model["account_id"],
            "model_id": model["id"],
            "model_name": model["name"],
            "format": export_format,
            "args": dumps(args),
            "status": "queued",
            "started": self.clock.now(),
            "step_seconds": max(self.config.job_seconds, 0.0),
            "source_sha256": model["file_sha256"],
            "created_at": self.clock.iso(),
        }

    def _advanced(self, account_id: str, export_id: str) -> Row:
        """The export's row brought to the present; NotFound for another account's or a hidden one."""
        events: list[Event] = []
        with self.db.transaction():
            row = self.db.query_one(
                f"SELECT * FROM exports WHERE id = ? AND account_id = ? AND {LIVE}", (export_id, account_id)
            )
            if row is None:
                raise NotFound(f"No export {export_id}")
            if row["status"] in ACTIVE:
                self._advance(row, events)
                row = self._row(export_id)
            self._emit(events)
        return row

    def _active(self, model_id: str, export_format: str) -> Row | None:
        marks = ", ".join("?" * len(ACTIVE))
        return self.db.query_one(
            f"SELECT id FROM exports WHERE model_id = ? AND format = ? AND status IN ({marks})",
            (model_id, export_format, *ACTIVE),
        )

    def _row(self, export_id: str) -> Row:
        row = self.db.query_one("SELECT * FROM exports WHERE id = ?", (export_id,))
        if row is None:
            raise NotFound(f"No export {export_id}")
        return row

    def _record(self, row: Row, action: str, message: str) -> None:
        self.store.activity.record(row["account_id"], action, "export", row["id"], row["model_name"], message)

    def _render(self, row: Row, base_url: str) -> dict[str, Any]:
        """An export as the API shows it; ``file`` carries a signed download URL once completed."""
        file = None
        if row["blob_id"] is not None:
            url = self.store.blobs.signed_url(base_url, row["blob_id"])
            file = {"name": row["file_name"], "size": row["file_size"], "url": url}
        return {
            "id": row["id"],
            "modelId": row["model_id"],
            "format": row["format"],
            "args": loads(row["args"]),
            "status": row["status"],
            "file": file,
            "error": loads(row["error"]),
            "createdAt": row["created_at"],
            "completedAt": row["completed_at"],
        }
