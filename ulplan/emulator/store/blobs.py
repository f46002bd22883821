"""Files kept by the emulator (model weights, exported artefacts) and their signed URLs.

Files are streamed to ``<files_dir>/blobs/<blob id>`` while being hashed, never held
whole in memory. Downloads go through ``/api/files/...`` URLs signed with an HMAC and an
expiry, like a cloud storage signed URL: no Authorization header is needed, and a
tampered or expired URL is refused. The signing secret lives in the database, so URLs
stay valid across a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ulplan.emulator import ids
from ulplan.emulator.errors import NotFound, PayloadTooLarge
from ulplan.emulator.store.base import Row, StoreContext, SubStore

if TYPE_CHECKING:
    from ulplan.emulator.store import Store

URL_LIFETIME_SECONDS = 3600
Validator = Callable[[Path], None]


@dataclass(frozen=True)
class BlobInfo:
    """A stored file: its id, size in bytes, sha256 (hex) and where it lives on disk."""

    id: str
    size: int
    sha256: str
    path: Path


class BlobStore(SubStore):
    """Stored files, their owners, and signed download URLs."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS blobs (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        owner_kind TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS blobs_owner ON blobs(owner_kind, owner_id);
    CREATE TABLE IF NOT EXISTS emulator_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """

    def __init__(self, ctx: StoreContext, store: Store) -> None:
        super().__init__(ctx, store)
        self._url_secret: bytes | None = None

    @property
    def folder(self) -> Path:
        """Where blob files live."""
        return self.ctx.files_dir / "blobs"

    def save_stream(
        self,
        account_id: str,
        owner_kind: str,
        owner_id: str,
        name: str,
        chunks: Iterable[bytes],
        validate: Validator | None = None,
    ) -> BlobInfo:
        """Stream ``chunks`` to a new file owned by ``(owner_kind, owner_id)`` and record it.

        Hashes while writing. Raises PayloadTooLarge (413) as soon as the account's storage
        limit would be passed. ``validate(path)`` may inspect the finished file and raise
        (e.g. InvalidRequest); the file is then discarded. A file of the same owner and
        name is replaced.
        """
        budget = self.store.storage.remaining(account_id)
        self.folder.mkdir(parents=True, exist_ok=True)
        blob_id = ids.new_id("blob")
        partial = self.folder / f"{blob_id}.partial"
        try:
            size, digest = _write(partial, chunks, budget)
            if validate is not None:
                validate(partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, self.folder / blob_id)
        replaced = self._record(account_id, owner_kind, owner_id, name, blob_id, size, digest)
        for old in replaced:
            (self.folder / old).unlink(missing_ok=True)
        return BlobInfo(id=blob_id, size=size, sha256=digest, path=self.folder / blob_id)

    def files_of(self, owner_kind: str, owner_id: str, base_url: str = "") -> list[dict[str, Any]]:
        """``[{name, size, sha256, url}]`` of an owner's files, with signed download URLs."""
        rows = self.db.query(
            "SELECT * FROM blobs WHERE owner_kind = ? AND owner_id = ? ORDER BY created_at, name",
            (owner_kind, owner_id),
        )
        return [
            {
                "name": r["name"],
                "size": r["size"],
                "sha256": r["sha256"],
                "url": self.signed_url(base_url, r["id"]),
            }
            for r in rows
        ]

    def signed_url(self, base_url: str, blob_id: str) -> str:
        """A download URL for one blob, valid for an hour, needing no API key."""
        return self.sign(base_url, f"/api/files/{blob_id}")

    def sign(self, base_url: str, path: str) -> str:
        """``base_url + path`` with ``expires`` and an HMAC ``signature`` over both."""
        return self.sign_with_expiry(base_url, path)[0]

    def sign_with_expiry(self, base_url: str, path: str) -> tuple[str, int]:
        """A signed URL for ``path`` and the epoch second it expires at."""
        expires = int(self.clock.now()) + URL_LIFETIME_SECONDS
        query = urlencode({"expires": expires, "signature": self._signature(path, expires)})
        return f"{base_url.rstrip('/')}{path}?{query}", expires

    def check_signature(self, path: str, expires: int, signature: str) -> None:
        """NotFound unless ``signature`` was made by ``sign`` for this path and has not expired.

        A bad URL answers 404 rather than 403, as storage services do, so it reveals nothing.
        """
        expected = self._signature(path, expires)
        if not hmac.compare_digest(expected.encode(), signature.encode()) or expires < self.clock.now():
            raise NotFound("This download link is invalid or has expired")

    def open_blob(self, blob_id: str) -> tuple[Row, Path]:
        """A blob's row and file for download."""
        row = self.db.query_one("SELECT * FROM blobs WHERE id = ?", (blob_id,))
        path = self.folder / blob_id
        if row is None or not path.exists():
            raise NotFound(f"No file {blob_id}")
        return row, path

    def used_bytes(self, account_id: str) -> int:
        """Bytes of every file the account holds."""
        row = self.db.query_one(
            "SELECT COALESCE(SUM(size), 0) AS n FROM blobs WHERE account_id = ?", (account_id,)
        )
        return 0 if row is None else int(row["n"])

    def delete_owner(self, owner_kind: str, owner_id: str) -> None:
        """Delete every file of one owner (a purged model, a deleted export)."""
        with self.db.transaction() as conn:
            rows = conn.execute(
                "SELECT id FROM blobs WHERE owner_kind = ? AND owner_id = ?", (owner_kind, owner_id)
            ).fetchall()
            conn.execute("DELETE FROM blobs WHERE owner_kind = ? AND owner_id = ?", (owner_kind, owner_id))
        for row in rows:
            (self.folder / row["id"]).unlink(missing_ok=True)

    def delete_account(self, account_id: str) -> None:
        """Delete every file of an account (GDPR delete)."""
        with self.db.transaction() as conn:
            rows = conn.execute("SELECT id FROM blobs WHERE account_id = ?", (account_id,)).fetchall()
            conn.execute("DELETE FROM blobs WHERE account_id = ?", (account_id,))
        for row in rows:
            (self.folder / row["id"]).unlink(missing_ok=True)

    def export_rows(self, account_id: str) -> list[dict[str, Any]]:
        """The account's files, described (GDPR export)."""
        rows = self.db.query("SELECT * FROM blobs WHERE account_id = ? ORDER BY created_at", (account_id,))
        keys = ("id", "owner_kind", "owner_id", "name", "size", "sha256", "created_at")
        return [{key: row[key] for key in keys} for row in rows]

    def _record(
        self, account_id: str, owner_kind: str, owner_id: str, name: str, blob_id: str, size: int, digest: str
    ) -> list[str]:
        with self.db.transaction() as conn:
            old = conn.execute(
                "SELECT id FROM blobs WHERE owner_kind = ? AND owner_id = ? AND name = ?",
                (owner_kind, owner_id, name),
            ).fetchall()
            conn.execute(
                "DELETE FROM blobs WHERE owner_kind = ? AND owner_id = ? AND name = ?",
                (owner_kind, owner_id, name),
            )
            conn.execute(
                "INSERT INTO blobs (id, account_id, owner_kind, owner_id, name, size, sha256, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (blob_id, account_id, owner_kind, owner_id, name, size, digest, self.clock.iso()),
            )
        return [str(row["id"]) for row in old]

    def _signature(self, path: str, expires: int) -> str:
        message = f"{path}\n{expires}".encode()
        return hmac.new(self._secret(), message, hashlib.sha256).hexdigest()

    def _secret(self) -> bytes:
        # Read (or made) once per process; it never changes afterwards.
        if self._url_secret is None:
            self._url_secret = self._load_secret()
        return self._url_secret

    def _load_secret(self) -> bytes:
        with self.db.transaction() as conn:
            row = conn.execute("SELECT value FROM emulator_meta WHERE key = 'url_secret'").fetchone()
            if row is None:
                secret = secrets.token_hex(32)
                conn.execute("INSERT INTO emulator_meta (key, value) VALUES ('url_secret', ?)", (secret,))
                return secret.encode()
            return str(row["value"]).encode()


def _write(path: Path, chunks: Iterable[bytes], budget: int) -> tuple[int, str]:
    """Write chunks to ``path`` while hashing; PayloadTooLarge once ``budget`` bytes are passed."""
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > budget:
                raise PayloadTooLarge(
                    "This upload would exceed the plan's storage limit", {"remainingBytes": max(budget, 0)}
                )
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def copy_stream(source: Path, chunk_size: int = 1 << 20) -> Iterable[bytes]:
    """A file's bytes in chunks (for serving downloads without reading them whole)."""
    with source.open("rb") as handle:
        yield from iter(lambda: handle.read(chunk_size), b"")
