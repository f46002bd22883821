"""Emulated deployments: creating -> deploying -> ready, start/stop, rolling updates."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class DeploymentStore(SubStore):
    """Emulated deployments."""

    SCHEMA = ""
