"""Files on disk beside the database: streamed in, hashed, served back by signed URLs."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class BlobStore(SubStore):
    """Files on disk beside the database."""

    SCHEMA = ""
