"""Kind-specific behaviour end to end: deployment start/stop in place, exports made anew
before the old one goes (create_before_destroy), and a training not waited for."""

from __future__ import annotations

from collections.abc import Callable

from tests.e2e.conftest import FULL, Workspace
from tests.support.emulator import Emulator

UNTRAINED = """\
version: 1
projects:
  detection: {}
models:
  yolo:
    project: detection
    file: weights/yolo.pt
exports:
  onnx:
    model: yolo
    format: onnx
    args: {half: true}
    lifecycle: {create_before_destroy: true}
deployments:
  api:
    model: yolo
    region: us-central1
    state: stopped
"""


def test_deployment_state_is_started_and_stopped_in_place(
    make_workspace: Callable[..., Workspace], emulator: Emulator
) -> None:
    workspace = make_workspace(emulator, UNTRAINED)
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    deployment = workspace.live("deployments")[0]
    assert deployment["status"] == "stopped"
    assert workspace.ulplan("plan", "--detailed-exitcode", ".").code == 0
    workspace.write(UNTRAINED.replace("state: stopped", "state: running"))
    plan = workspace.ulplan("plan", ".")
    assert 'state = "stopped" -> "running"' in plan.out
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    started = workspace.live("deployments")[0]
    assert (started["id"], started["status"]) == (deployment["id"], "ready")
    assert workspace.ulplan("plan", "--detailed-exitcode", ".").code == 0


def test_export_created_before_the_old_one_is_destroyed(
    make_workspace: Callable[..., Workspace], emulator: Emulator
) -> None:
    workspace = make_workspace(emulator, UNTRAINED)
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    old = workspace.ids()["export.onnx"]
    workspace.write(UNTRAINED.replace("{half: true}", "{half: false}"))
    plan = workspace.ulplan("plan", ".")
    assert "+/- export.onnx" in plan.out
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    exports = workspace.live("exports")
    assert [e["id"] for e in exports] == [workspace.ids()["export.onnx"]]
    assert exports[0]["id"] != old and exports[0]["args"] == {"half": False}


def test_training_not_waited_for_when_nothing_needs_it(
    make_workspace: Callable[..., Workspace], emulator_factory: Callable[..., Emulator]
) -> None:
    manifest = FULL.split("exports:")[0].replace("epochs: 2}", "epochs: 200, wait: false}")
    workspace = make_workspace(emulator_factory(), manifest)
    run = workspace.ulplan("apply", "--auto-approve", ".")
    assert run.code == 0, run.err
    model = workspace.live("models")[0]
    assert model["status"] in ("starting", "running")
    assert workspace.ulplan("plan", "--detailed-exitcode", ".").code == 0
