"""Projects: create, read, update, list, trash (with their models)."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class ProjectStore(SubStore):
    """Projects."""

    SCHEMA = ""
