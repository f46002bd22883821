"""An apply against a platform that fails 30% of requests converges, without duplicates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.helpers import assert_exactly_once, cli_env, ulplan, write_manifests
from tests.support.emulator import Emulator


@pytest.mark.slow
def test_apply_converges_under_faults_without_duplicates(
    tmp_path: Path, emulator_factory: Callable[..., Emulator]
) -> None:
    emulator = emulator_factory(fault_rate=0.3, fault_mode="both")
    folder = tmp_path / "infra"
    total = write_manifests(folder, models=18, exports=10, deployments=8, trained=1)
    assert total == 40
    env = cli_env(emulator.url, emulator.key)

    runs = [ulplan(folder, env, "apply", "--auto-approve", "--parallelism", "8")]
    while runs[-1].code != 0 and len(runs) < 3:
        runs.append(ulplan(folder, env, "apply", "--auto-approve", "--parallelism", "8"))
    assert runs[-1].code == 0, "\n\n".join(r.output for r in runs)

    assert_exactly_once(emulator.url, emulator.key, total)
    plan = ulplan(folder, env, "plan", "--detailed-exitcode")
    assert plan.code == 0, plan.output
    assert "No changes" in plan.stdout
