"""The emulator dies and comes back (same port, same database) in the middle of an apply:
ulplan retries, and the apply (or at worst the next one) converges without duplicates."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.helpers import (
    assert_exactly_once,
    cli_env,
    recorded,
    start_ulplan,
    ulplan,
    wait_for,
    write_manifests,
)
from tests.support.emulator import Emulator, start_process_emulator


@pytest.fixture
def process_emulator(tmp_path: Path) -> Iterator[Emulator]:
    folder = tmp_path / "emulator"
    folder.mkdir()
    emulator = start_process_emulator(folder, None, "--latency", "0.05")
    yield emulator
    if emulator.process is not None:
        emulator.stop()


@pytest.mark.slow
def test_apply_survives_an_emulator_restart(tmp_path: Path, process_emulator: Emulator) -> None:
    emulator = process_emulator
    folder = tmp_path / "infra"
    total = write_manifests(folder, models=8, exports=4, deployments=4, trained=1)
    env = cli_env(emulator.url, emulator.key)
    state_path = folder / ".ulplan" / "state.json"

    apply = start_ulplan(folder, env, "apply", "--auto-approve", "--parallelism", "4", "--debug")
    wait_for(lambda: recorded(state_path) >= 3, what="the apply to get going")
    emulator.kill()
    time.sleep(0.3)  # requests meet a closed port for a moment
    emulator.restart()
    _out, err = apply.communicate(timeout=120)
    assert "retrying" in err, err  # the client retried through the outage

    if apply.returncode != 0:  # a create whose answer was cut off is not blindly repeated...
        again = ulplan(folder, env, "apply", "--auto-approve")  # ...the next run adopts it
        assert again.code == 0, f"first run:\n{err}\n\nsecond run:\n{again.output}"
    assert_exactly_once(emulator.url, emulator.key, total)
    plan = ulplan(folder, env, "plan", "--detailed-exitcode")
    assert plan.code == 0, plan.output
