"""SIGKILL in the middle of an apply: the lock names the dead holder, force-unlock clears it,
and the next apply finishes the work without a duplicate (the intent journal)."""

from __future__ import annotations

import signal
from collections.abc import Callable
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
from tests.support.emulator import Emulator
from ulplan.state import IntentJournal


@pytest.mark.slow
def test_sigkill_mid_apply_then_force_unlock_and_resume(
    tmp_path: Path, emulator_factory: Callable[..., Emulator]
) -> None:
    # Every request takes a little while, so the kill lands while creates are in flight. (A
    # request cut off this way never reaches the emulator's handler: uvicorn drops its body.
    # The create that happened but whose answer was lost is the fault suite's "after" mode.)
    emulator = emulator_factory(latency=0.1)
    folder = tmp_path / "infra"
    total = write_manifests(folder, models=8, exports=4, deployments=4, trained=0)
    env = cli_env(emulator.url, emulator.key)
    state_path = folder / ".ulplan" / "state.json"
    journal = IntentJournal(folder / ".ulplan" / "journal.jsonl")

    apply = start_ulplan(folder, env, "apply", "--auto-approve", "--parallelism", "4")
    # In the middle: some resources are in the state and at least one create is in flight.
    wait_for(lambda: recorded(state_path) >= 4 and bool(journal.pending()), what="a create in flight")
    apply.send_signal(signal.SIGKILL)
    apply.communicate(timeout=10)  # reaps it and closes its pipes
    assert 0 < recorded(state_path) < total

    blocked = ulplan(folder, env, "apply", "--auto-approve")
    assert blocked.code == 1, blocked.output
    assert "locked by" in blocked.stderr and f"pid {apply.pid}" in blocked.stderr, blocked.output
    assert "force-unlock" in blocked.stderr

    unlocked = ulplan(folder, env, "force-unlock", "--yes")
    assert unlocked.code == 0, unlocked.output
    assert f"pid {apply.pid}" in unlocked.stdout and "cleared" in unlocked.stdout
    assert not (folder / ".ulplan" / "state.json.lock").exists()

    resumed = ulplan(folder, env, "apply", "--auto-approve", "--parallelism", "4")
    assert resumed.code == 0, resumed.output
    assert not journal.pending()
    assert recorded(state_path) == total
    assert_exactly_once(emulator.url, emulator.key, total)
    plan = ulplan(folder, env, "plan", "--detailed-exitcode")
    assert plan.code == 0, plan.output
