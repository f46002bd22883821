"""Models: multipart upload of checkpoint files, CRUD, files, download, predict, trash."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class ModelStore(SubStore):
    """Models."""

    SCHEMA = ""
