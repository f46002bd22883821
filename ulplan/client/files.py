"""Streaming file bodies: uploads read from disk in chunks, downloads write in chunks.

Neither side ever holds a whole file in memory, so a 2 GB ``.pt`` costs a few
kilobytes of buffer. Both report progress as ``(bytes_done, total)``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ulplan.client.errors import ChecksumMismatchError

if TYPE_CHECKING:
    import httpx

Progress = Callable[[int, int], None]
CHUNK_SIZE = 1024 * 1024


class ProgressReader:
    """A read-only file wrapper that reports how much of it has been read.

    httpx's multipart encoder seeks to 0 before each attempt and reads in chunks, so a
    retried upload starts its progress again from zero.
    """

    def __init__(self, file: IO[bytes], total: int, progress: Progress | None) -> None:
        self._file = file
        self._total = total
        self._progress = progress
        self._sent = 0
        self.name = getattr(file, "name", "upload")

    def read(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes and report the running total."""
        chunk = self._file.read(size)
        if chunk:
            self._sent += len(chunk)
            if self._progress is not None:
                self._progress(self._sent, self._total)
        return chunk

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Move in the file; a rewind restarts the progress count."""
        position = self._file.seek(offset, whence)
        if whence == os.SEEK_SET:
            self._sent = position
        return position

    def tell(self) -> int:
        """Current position in the file."""
        return self._file.tell()

    def fileno(self) -> int:
        """The OS file descriptor, so the encoder can learn the size without reading."""
        return self._file.fileno()


class FileSink:
    """Writes a streamed answer to ``dest`` via a ``.part`` file, checking its sha256."""

    def __init__(self, dest: Path, *, sha256: str | None, progress: Progress | None) -> None:
        self.dest = dest
        self._sha256 = sha256
        self._progress = progress

    def __call__(self, response: httpx.Response) -> None:
        """Consume ``response``'s body into the destination file."""
        total = int(response.headers.get("content-length") or 0)
        partial = self.dest.with_name(self.dest.name + ".part")
        digest = hashlib.sha256()
        done = 0
        try:
            with partial.open("wb") as out:
                for chunk in response.iter_bytes(CHUNK_SIZE):
                    out.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    if self._progress is not None:
                        self._progress(done, total or done)
            self._check(digest.hexdigest())
            partial.replace(self.dest)
        finally:
            partial.unlink(missing_ok=True)

    def _check(self, actual: str) -> None:
        if self._sha256 and actual.lower() != self._sha256.lower():
            raise ChecksumMismatchError(
                f"download of {self.dest.name} is corrupt: sha256 {actual}, expected {self._sha256}"
            )
