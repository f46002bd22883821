"""Fixtures shared by every test: real emulators on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator import Emulator, start_thread_emulator


@pytest.fixture
def emulator_factory(tmp_path: Path) -> Iterator[Callable[..., Emulator]]:
    """Start emulators with chosen options; all are stopped after the test.

    Options are EmulatorConfig's (``rate_limit="20/5s"``, ``fault_rate=0.3``,
    ``fault_mode="after"``, ``epoch_seconds``...) plus ``seed_keys=[...]``.
    """
    started: list[Emulator] = []

    def start(**options: Any) -> Emulator:
        folder = tmp_path / f"emulator{len(started)}"
        folder.mkdir()
        emulator = start_thread_emulator(folder, **options)
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def emulator(emulator_factory: Callable[..., Emulator]) -> Emulator:
    """A fresh emulator: two pro accounts, fast jobs, no rate limit."""
    return emulator_factory()
