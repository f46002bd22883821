"""Emulated exports: queued -> running -> completed with a real file."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class ExportStore(SubStore):
    """Emulated exports."""

    SCHEMA = ""
