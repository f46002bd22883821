"""Where state lives: a read-only StateReader for the planner, a StateBackend for apply.

The split is deliberate: planning has no side effects, so the planner is handed only a
reader; only apply (and the ``state`` commands) get a backend that can write and lock.
LocalBackend keeps everything in files beside each other; a remote backend (an HTTP
backend with LOCK/UNLOCK, object storage) can implement the same protocol later.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

from ulplan.state.atomic import atomic_write
from ulplan.state.errors import StateCorruptError, StateError, StateFormatError
from ulplan.state.journal import IntentJournal
from ulplan.state.lock import LockHandle, LockInfo, read_lock
from ulplan.state.model import State
from ulplan.state.secrets import refuse_secrets


@runtime_checkable
class StateReader(Protocol):
    """Read-only access to state: all the planner may have."""

    def read(self) -> State:
        """The current state; a new empty State (serial 0) when none was ever written."""
        ...


@runtime_checkable
class StateBackend(StateReader, Protocol):
    """Read, write, lock and journal: what apply and the ``state`` commands use."""

    def write(self, state: State) -> State:
        """Persist ``state`` with the serial bumped; returns the state as written."""
        ...

    def lock(self, operation: str) -> LockHandle:
        """A context manager holding the lock for ``operation`` (fails fast when held)."""
        ...

    def lock_info(self) -> LockInfo | None:
        """Who holds the lock, or None."""
        ...

    def force_unlock(self) -> None:
        """Clear the lock whoever holds it (``ulplan force-unlock``)."""
        ...

    def journal(self) -> IntentJournal:
        """The intent journal kept with this state."""
        ...


class LocalBackend:
    """State in a local file (mode 0600, directory 0700), with its backup, lock and journal beside it.

    For ``.ulplan/state.json`` the companions are ``state.json.backup``, ``state.json.lock``
    and ``journal.jsonl``; another state name ``X`` gets ``X.journal.jsonl`` so two
    states in one directory never share a journal.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.backup_path = self.path.with_name(self.path.name + ".backup")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        journal = "journal.jsonl" if self.path.name == "state.json" else f"{self.path.name}.journal.jsonl"
        self.journal_path = self.path.with_name(journal)
        self._write_lock = threading.Lock()  # apply writes from parallel worker threads
        self._journal = IntentJournal(self.journal_path)

    def __repr__(self) -> str:
        return f"LocalBackend({str(self.path)!r})"

    def exists(self) -> bool:
        """True when a state file is present."""
        return self.path.exists()

    def read(self) -> State:
        """The state on disk, or a new empty one. Raises StateCorruptError for a broken file."""
        text = self._read_text()
        if text is None:
            return State()
        return self._parse(text)

    def write(self, state: State) -> State:
        """Back up the current file, then atomically write ``state`` with the next serial.

        The serial written is one more than both the given and the stored one, so writing
        an older copy can never step the serial back. A stored state of another lineage,
        or a corrupt one, is never overwritten.
        """
        with self._write_lock:
            previous_text = self._read_text()
            previous = self._parse(previous_text) if previous_text is not None else None
            if previous is not None and previous.lineage != state.lineage:
                raise StateError(
                    f"refusing to write state of lineage {state.lineage} over {self.path}, "
                    f"which holds lineage {previous.lineage}: they are different states"
                )
            written = state.copy()
            written.serial = max(state.serial, previous.serial if previous else 0) + 1
            refuse_secrets(written.to_dict(), f"the state file {self.path}")
            try:
                text = written.to_json()
            except (TypeError, ValueError) as exc:  # e.g. an UNKNOWN placeholder left in attributes
                raise StateError(f"cannot write the state file {self.path}: {exc}") from exc
            if previous_text is not None:
                atomic_write(self.backup_path, previous_text.encode("utf-8"))
            atomic_write(self.path, text.encode("utf-8"))
            return written

    def lock(self, operation: str) -> LockHandle:
        """A handle that takes the lock on ``with`` entry and drops it on exit."""
        return LockHandle(self.lock_path, operation)

    def lock_info(self) -> LockInfo | None:
        """Who holds the lock, or None."""
        return read_lock(self.lock_path)

    def force_unlock(self) -> None:
        """Remove the lock file, whoever holds it."""
        with contextlib.suppress(FileNotFoundError):
            self.lock_path.unlink()

    def journal(self) -> IntentJournal:
        """The intent journal beside the state file."""
        return self._journal

    def _read_text(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError as exc:
            raise self._corrupt(f"not UTF-8 text (byte {exc.start})") from exc
        except OSError as exc:
            raise StateError(f"cannot read the state file {self.path}: {exc.strerror}") from exc

    def _parse(self, text: str) -> State:
        try:
            return State.from_json(text)
        except StateFormatError as exc:
            raise self._corrupt(str(exc)) from exc

    def _corrupt(self, detail: str) -> StateCorruptError:
        backup = self.backup_path if self.backup_path.exists() else None
        return StateCorruptError(self.path, detail, backup)
