"""Storage accounting of model and export files against plan limits."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class StorageStore(SubStore):
    """Storage accounting of model and export files against plan limits.."""

    SCHEMA = ""
