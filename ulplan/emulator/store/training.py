"""Emulated training jobs: epochs, metrics, GPU billing, failure, cancel."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class TrainingStore(SubStore):
    """Emulated training jobs."""

    SCHEMA = ""
