"""The intent journal: written before each create, so a crash never leads to a duplicate.

Apply records an intent (what it is about to create and how to recognise it) and fsyncs
it before sending the create request; once the state records the new resource it
resolves the intent. If the process dies between the platform's answer and the state
write, the next run finds the intent still pending and looks the object up by ``match``
(slug and project, or model + format + args for exports) instead of creating it again.

The file is append-only JSON lines, so a crash mid-write can only truncate the last
line, which is ignored on read.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ulplan.state.atomic import PRIVATE_FILE_MODE, ensure_private_dir, fsync_dir
from ulplan.state.secrets import refuse_secrets


@dataclass(frozen=True)
class Intent:
    """An object apply is about to create: its address, kind, slug and what identifies it."""

    address: str
    kind: str
    slug: str | None
    match: dict[str, Any] = field(default_factory=dict)
    operation: str = "create"
    recorded_at: str = ""

    def to_record(self) -> dict[str, Any]:
        """The journal line for this intent."""
        return {
            "type": "intent",
            "address": self.address,
            "kind": self.kind,
            "slug": self.slug,
            "match": self.match,
            "operation": self.operation,
            "recorded_at": self.recorded_at or _now(),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Intent:
        """The intent a journal line describes."""
        match = record.get("match")
        return cls(
            address=str(record["address"]),
            kind=str(record.get("kind", "")),
            slug=record.get("slug") if isinstance(record.get("slug"), str) else None,
            match=match if isinstance(match, dict) else {},
            operation=str(record.get("operation", "create")),
            recorded_at=str(record.get("recorded_at", "")),
        )


class IntentJournal:
    """Append-only journal of creates in flight; thread-safe within a process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, intent: Intent) -> None:
        """Append ``intent`` and fsync it. Call BEFORE sending the create request."""
        line = intent.to_record()
        refuse_secrets(line, f"the intent journal {self.path}")
        self._append(line)

    def resolve(self, address: str) -> None:
        """Mark the intents of ``address`` done, once the state records the resource."""
        self._append({"type": "resolve", "address": address, "recorded_at": _now()})

    def pending(self) -> list[Intent]:
        """Intents recorded but never resolved, oldest first (one per address: the latest)."""
        open_intents: dict[str, Intent] = {}
        for record in self._records():
            address = record.get("address")
            if not isinstance(address, str):
                continue
            if record.get("type") == "intent":
                open_intents.pop(address, None)  # re-insert so order follows the latest intent
                open_intents[address] = Intent.from_record(record)
            elif record.get("type") == "resolve":
                open_intents.pop(address, None)
        return list(open_intents.values())

    def clear(self) -> None:
        """Forget everything (after a run that left nothing pending)."""
        with self._lock, contextlib.suppress(FileNotFoundError):
            self.path.unlink()
            fsync_dir(self.path.parent)

    def _append(self, record: dict[str, Any]) -> None:
        data = (json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n").encode()
        with self._lock:
            ensure_private_dir(self.path.parent)
            created = not self.path.exists()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE_MODE)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            if created:
                fsync_dir(self.path.parent)

    def _records(self) -> list[dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        records = []
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a crash: the request it announced was never sent
            if isinstance(record, dict):
                records.append(record)
        return records


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
