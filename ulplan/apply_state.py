"""The state while apply runs: changed in memory, made durable after every step.

Steps finish in parallel threads and each must be on disk before it counts as done. A
write (backup, temp file, fsync, rename) costs milliseconds and rewrites the whole
document, so writes are group-committed: a step's change is in memory at once, and the
next write (its own, or one another thread is about to make) carries every change made
so far. No step returns before a write that holds its change has finished.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ulplan.state import ResourceState, State

if TYPE_CHECKING:
    from ulplan.state import StateBackend


class AppliedState:
    """Thread-safe in-memory state with durable, group-committed writes."""

    def __init__(self, backend: StateBackend) -> None:
        self.backend = backend
        self._state = backend.read()
        self._lock = threading.Lock()  # guards the in-memory state
        self._write_lock = threading.Lock()  # one write at a time
        self._version = 0  # bumped on every change in memory
        self._written = 0  # the version the last finished write holds

    @property
    def outputs(self) -> dict[str, Any]:
        """The outputs currently stored."""
        with self._lock:
            return dict(self._state.outputs)

    def record(self, entry: ResourceState) -> None:
        """Store ``entry`` (no write when it is already stored as is)."""
        self._commit(lambda state: state.get(entry.address) != entry and _set(state, entry))

    def forget(self, address: str) -> None:
        """Drop ``address`` from the state."""
        self._commit(lambda state: state.remove(address) is not None)

    def set_outputs(self, outputs: dict[str, Any]) -> None:
        """Replace the stored outputs."""
        self._commit(lambda state: state.outputs != outputs and _set_outputs(state, outputs))

    def _commit(self, change: Callable[[State], bool]) -> None:
        with self._lock:
            if not change(self._state):
                return
            self._version += 1
            mine = self._version
        with self._write_lock:
            if self._written >= mine:
                return  # a write that finished meanwhile already holds this change
            with self._lock:
                snapshot, version = self._state.copy(), self._version
            written = self.backend.write(snapshot)
            with self._lock:
                self._state.serial = written.serial
                self._written = version


def _set(state: State, entry: ResourceState) -> bool:
    state.set(entry)
    return True


def _set_outputs(state: State, outputs: dict[str, Any]) -> bool:
    state.outputs = dict(outputs)
    return True
