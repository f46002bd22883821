"""Ctrl-C during apply: in-flight work ends, what was done is in the state, exit 130."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from tests.e2e.conftest import FULL, Workspace
from tests.support.emulator import Emulator


def test_ctrl_c_keeps_state_and_exits_130(
    make_workspace: Callable[..., Workspace], emulator_factory: Callable[..., Emulator]
) -> None:
    emulator = emulator_factory()
    workspace = make_workspace(emulator, FULL.replace("epochs: 2", "epochs: 300"))
    env = {**os.environ, "ULTRALYTICS_API_KEY": emulator.key, "ULTRALYTICS_PLATFORM_URL": emulator.url}
    process = subprocess.Popen(
        [sys.executable, "-m", "ulplan", "--no-color", "apply", "--auto-approve", "."],
        cwd=workspace.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    state_file = workspace.root / ".ulplan" / "state.json"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until the model exists and its training runs
        if state_file.exists() and "model.yolo" in json.loads(state_file.read_text())["resources"]:
            break
        time.sleep(0.05)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err.decode()
    assert set(workspace.ids()) == {"project.detection", "dataset.traffic", "model.yolo"}
    assert not (workspace.root / ".ulplan" / "state.json.lock").exists()
    assert workspace.live("exports") == []
