"""A truncated or hand-broken state file: a clear error pointing to the backup; nothing overwritten."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.reliability.helpers import cli_env, ulplan
from tests.support.emulator import Emulator, start_thread_emulator

MANIFEST = """\
version: 1
projects:
  alpha: {description: first}
  beta: {description: second}
"""


def truncate(text: str) -> str:
    """Half the file, as a full disk or a crashed editor leaves it."""
    return text[: len(text) // 2]


def wrong_shape(text: str) -> str:
    """Valid JSON that is not a state."""
    return '{"version": 1, "serial": 3, "lineage": "x", "resources": ["not", "a", "map"]}\n'


def not_json(text: str) -> str:
    """A hand edit that broke the syntax."""
    return text.replace('"resources"', "resources", 1)


@pytest.fixture(scope="module")
def emulator_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """One emulator for the module: the broken states never reach it."""
    emulator = start_thread_emulator(tmp_path_factory.mktemp("emulator"))
    yield emulator
    emulator.stop()


@pytest.fixture(scope="module")
def applied_once(
    tmp_path_factory: pytest.TempPathFactory, emulator_once: Emulator
) -> tuple[Path, dict[str, str]]:
    """A folder whose manifests were applied twice (so the state has a backup)."""
    emulator = emulator_once
    folder = tmp_path_factory.mktemp("applied") / "infra"
    folder.mkdir()
    (folder / "ulplan.yaml").write_text(MANIFEST, encoding="utf-8")
    env = cli_env(emulator.url, emulator.key)
    assert ulplan(folder, env, "apply", "--auto-approve").code == 0
    (folder / "ulplan.yaml").write_text(MANIFEST.replace("second", "changed"), encoding="utf-8")
    run = ulplan(folder, env, "apply", "--auto-approve")
    assert run.code == 0, run.output
    assert (folder / ".ulplan" / "state.json.backup").exists()
    return folder, env


@pytest.fixture
def applied(tmp_path: Path, applied_once: tuple[Path, dict[str, str]]) -> tuple[Path, dict[str, str]]:
    """A private copy of the applied folder, for one test to break."""
    folder = shutil.copytree(applied_once[0], tmp_path / "infra")
    return folder, applied_once[1]


@pytest.mark.parametrize(
    ("breakage", "command"),
    [
        (truncate, ["plan"]),
        (wrong_shape, ["plan"]),
        (not_json, ["plan"]),
        (truncate, ["apply", "--auto-approve"]),
        (not_json, ["destroy", "--auto-approve"]),
    ],
    ids=["truncated-plan", "wrong-shape-plan", "not-json-plan", "truncated-apply", "not-json-destroy"],
)
def test_broken_state_is_a_clear_error_and_is_left_alone(
    applied: tuple[Path, dict[str, str]], breakage: Callable[[str], str], command: list[str]
) -> None:
    folder, env = applied
    state = folder / ".ulplan" / "state.json"
    backup = folder / ".ulplan" / "state.json.backup"
    broken = breakage(state.read_text(encoding="utf-8"))
    state.write_text(broken, encoding="utf-8")
    backup_before = backup.read_bytes()

    run = ulplan(folder, env, *command)

    assert run.code == 1, run.output
    error = run.stderr.strip().splitlines()
    assert error[0].startswith("Error: "), run.output
    assert str(backup) in run.stderr or "state.json.backup" in run.stderr, run.output
    assert "Traceback" not in run.stderr
    assert state.read_text(encoding="utf-8") == broken
    assert backup.read_bytes() == backup_before
    assert not (folder / ".ulplan" / "state.json.lock").exists()
