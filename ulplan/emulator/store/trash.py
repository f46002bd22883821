"""The trash: 30-day retention, restore, empty."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class TrashStore(SubStore):
    """The trash."""

    SCHEMA = ""
