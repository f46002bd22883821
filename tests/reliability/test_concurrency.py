"""Two applies on one state: the second fails fast naming the first; nothing is lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.helpers import (
    assert_exactly_once,
    cli_env,
    start_ulplan,
    ulplan,
    wait_for,
    write_manifests,
)
from tests.support.emulator import Emulator


@pytest.mark.slow
def test_second_apply_fails_fast_with_the_holder_and_the_first_finishes(
    tmp_path: Path, emulator_factory: Callable[..., Emulator]
) -> None:
    # Slow requests make the first apply last seconds, far longer than the second needs to fail.
    emulator = emulator_factory(latency=0.25)
    folder = tmp_path / "infra"
    total = write_manifests(folder, models=6, exports=3, deployments=3, trained=1)
    env = cli_env(emulator.url, emulator.key)
    lock = folder / ".ulplan" / "state.json.lock"

    first = start_ulplan(folder, env, "apply", "--auto-approve")
    wait_for(lock.exists, what="the first apply to take the lock")
    second = ulplan(folder, env, "apply", "--auto-approve")
    assert first.poll() is None, "the second apply should have returned while the first still runs"
    assert second.code == 1, second.output
    assert "locked by" in second.stderr and f"pid {first.pid}" in second.stderr, second.output
    assert "'apply'" in second.stderr  # the holder's operation

    out, err = first.communicate(timeout=90)
    assert first.returncode == 0, f"{out}\n{err}"
    assert not lock.exists()
    assert_exactly_once(emulator.url, emulator.key, total)
    plan = ulplan(folder, env, "plan", "--detailed-exitcode")
    assert plan.code == 0, plan.output
