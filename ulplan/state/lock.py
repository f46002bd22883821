"""The state lock: one file created with O_EXCL, so a second run fails fast and says who holds it."""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from ulplan.state.atomic import PRIVATE_FILE_MODE, ensure_private_dir, fsync_dir
from ulplan.state.errors import StateError, StateLockedError


@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock: ``holder`` is ``user@host pid N``; ``created`` ISO 8601 UTC."""

    id: str
    holder: str
    operation: str
    created: str

    @classmethod
    def new(cls, operation: str) -> LockInfo:
        """A lock record for this process."""
        holder = f"{_user()}@{socket.gethostname()} pid {os.getpid()}"
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return cls(id=str(uuid.uuid4()), holder=holder, operation=operation, created=created)

    @classmethod
    def parse(cls, text: str) -> LockInfo:
        """Read a lock file's content; a half-written or foreign file still yields a record."""
        try:
            raw: Any = json.loads(text)
        except json.JSONDecodeError:
            raw = {}
        if not isinstance(raw, dict):
            raw = {}
        return cls(
            id=str(raw.get("id", "unknown")),
            holder=str(raw.get("holder", "an unknown process")),
            operation=str(raw.get("operation", "unknown")),
            created=str(raw.get("created", "an unknown time")),
        )

    def describe(self) -> str:
        """One line for people: holder, operation, time, lock id, and whether the holder looks dead."""
        text = f"{self.holder}, operation {self.operation!r}, since {self.created} (lock id {self.id})"
        if holder_is_gone(self.holder):
            text += "; that process no longer runs on this host"
        return text


class LockHandle:
    """A context manager that holds the lock from ``__enter__`` to ``__exit__``, even on errors.

    The lock is not released on SIGKILL or power loss: ``ulplan force-unlock`` is for that.
    """

    def __init__(self, path: Path, operation: str) -> None:
        self.path = path
        self.info = LockInfo.new(operation)
        self._held = False

    @property
    def held(self) -> bool:
        """True between a successful acquire and the release."""
        return self._held

    def acquire(self) -> LockInfo:
        """Take the lock or raise StateLockedError at once (no waiting)."""
        ensure_private_dir(self.path.parent)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        except FileExistsError:
            raise StateLockedError(_locked_message(self.path, read_lock(self.path))) from None
        except OSError as exc:
            raise StateError(f"cannot create the lock file {self.path}: {exc.strerror}") from exc
        try:
            os.write(fd, (json.dumps(asdict(self.info), indent=2) + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        fsync_dir(self.path.parent)
        self._held = True
        return self.info

    def release(self) -> None:
        """Remove the lock file, but only if it is still ours (it may have been force-unlocked)."""
        if not self._held:
            return
        self._held = False
        current = read_lock(self.path)
        if current is not None and current.id == self.info.id:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def __enter__(self) -> LockInfo:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def read_lock(path: Path) -> LockInfo | None:
    """The lock at ``path``, or None when the state is not locked."""
    try:
        return LockInfo.parse(path.read_text(encoding="utf-8", errors="replace"))
    except FileNotFoundError:
        return None


def holder_is_gone(holder: str) -> bool:
    """True when ``holder`` names a process of this host that no longer exists."""
    try:
        where, pid_text = holder.rsplit(" pid ", 1)
        pid = int(pid_text)
    except ValueError:
        return False
    if where.rpartition("@")[2] != socket.gethostname() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # exists but belongs to someone else
    return False


def _locked_message(path: Path, info: LockInfo | None) -> str:
    who = info.describe() if info is not None else "another process (the lock vanished while reading it)"
    return (
        f"the state is locked by {who}.\n"
        f"Lock file: {path}\n"
        "Wait for that run to finish. If it is gone (killed, crashed), clear the lock with "
        "`ulplan force-unlock` (with the same --state)."
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"
