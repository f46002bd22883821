"""Crash-safe file writes: a reader sees the old content or the new, never half of either."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` with mode 0700 if it is missing.

    An existing directory keeps its mode: ``--state ./prod.json`` must not chmod the
    user's working directory.
    """
    if directory.is_dir():
        return
    directory.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    os.chmod(directory, PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask


def fsync_dir(directory: Path) -> None:
    """Flush a directory entry (a rename) to disk; a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, mode: int = PRIVATE_FILE_MODE) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory, fsync, rename, fsync dir."""
    directory = path.parent
    ensure_private_dir(directory)
    # pid and thread in the name: two writers never share a temp file.
    tmp = directory / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.fchmod(fd, mode)  # the umask may have narrowed it; a pre-existing temp may be wider
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)
    fsync_dir(directory)
