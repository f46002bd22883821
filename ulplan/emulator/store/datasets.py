"""Datasets: CRUD, NDJSON export, trash."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class DatasetStore(SubStore):
    """Datasets."""

    SCHEMA = ""
