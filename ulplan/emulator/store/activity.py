"""The activity log: every change an account makes."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class ActivityStore(SubStore):
    """The activity log."""

    SCHEMA = ""
