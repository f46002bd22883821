"""Drift, pruning, prevent_destroy, stale plans, unknown propagation and partial failure,
through the CLI against the real emulator."""

from __future__ import annotations

from collections.abc import Callable

from tests.e2e.conftest import FULL, Workspace
from tests.support.emulator import Emulator
from ulplan.state import LocalBackend

TWO_DATASETS = """\
version: 1
datasets:
  traffic:
    task: detect
  faces:
    task: pose
"""


def test_drift_is_planned_for_creation_and_healed(workspace: Workspace) -> None:
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    deployment_id = workspace.ids()["deployment.api"]
    with workspace.api() as http:
        assert http.delete(f"/api/deployments/{deployment_id}").status_code == 200
    plan = workspace.ulplan("plan", "--detailed-exitcode", ".")
    assert plan.code == 2
    assert "gone from the platform" in plan.out
    assert "Plan: 1 to add, 0 to change, 0 to replace, 0 to destroy." in plan.out
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    assert workspace.ids()["deployment.api"] != deployment_id
    assert workspace.ulplan("plan", "--detailed-exitcode", ".").code == 0


def test_removed_from_manifests_is_deleted(
    make_workspace: Callable[..., Workspace], emulator: Emulator
) -> None:
    workspace = make_workspace(emulator, TWO_DATASETS)
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    workspace.write(TWO_DATASETS.replace("  faces:\n    task: pose\n", ""))
    run = workspace.ulplan("apply", "--auto-approve", ".")
    assert run.code == 0, run.err
    assert "dataset.faces will be destroyed" in run.out
    assert [d["slug"] for d in workspace.live("datasets")] == ["traffic"]
    assert list(workspace.ids()) == ["dataset.traffic"]


def test_prevent_destroy_refuses_replace_and_destroy(
    make_workspace: Callable[..., Workspace], emulator: Emulator
) -> None:
    protected = TWO_DATASETS.replace(
        "    task: pose\n", "    task: pose\n    lifecycle: {prevent_destroy: true}\n"
    )
    workspace = make_workspace(emulator, protected)
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    workspace.write(protected.replace("task: pose", "task: segment"))
    replace = workspace.ulplan("apply", "--auto-approve", ".")
    assert replace.code == 1
    assert "dataset.faces has lifecycle.prevent_destroy set" in replace.out
    destroy = workspace.ulplan("destroy", "--auto-approve", ".")
    assert destroy.code == 1
    assert len(workspace.live("datasets")) == 2


def test_saved_plan_applies_exactly_and_refuses_when_stale(workspace: Workspace) -> None:
    saved = workspace.root / "plan.json"
    assert workspace.ulplan("plan", "--out", str(saved), ".").code == 0
    assert workspace.ulplan("apply", str(saved)).code == 0
    assert workspace.ulplan("plan", "--detailed-exitcode", ".").code == 0
    # The state moved on since the plan: refused, naming the serial.
    again = workspace.ulplan("apply", str(saved))
    assert again.code == 1
    assert "serial" in again.err


def test_saved_plan_refused_when_a_live_object_changed(workspace: Workspace) -> None:
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    workspace.write(FULL.replace("description: Detection models", "description: Better models"))
    saved = workspace.root / "plan.json"
    assert workspace.ulplan("plan", "--out", str(saved), ".").code == 0
    with workspace.api() as http:
        project_id = workspace.ids()["project.detection"]
        assert http.patch(f"/api/projects/{project_id}", json={"tags": ["edited"]}).status_code == 200
    stale = workspace.ulplan("apply", str(saved))
    assert stale.code == 1
    assert "project.detection changed on the platform" in stale.err
    assert workspace.live("projects")[0]["description"] == "Detection models"


def test_replaced_model_replaces_export_and_rolls_deployment(workspace: Workspace) -> None:
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    before = workspace.ids()
    url = workspace.live("deployments")[0]["url"]
    workspace.weights("v2")
    plan = workspace.ulplan("plan", ".")
    assert "Plan: 0 to add, 1 to change, 2 to replace, 0 to destroy." in plan.out
    assert "# forces replacement" in plan.out
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    after = workspace.ids()
    assert after["model.yolo"] != before["model.yolo"]
    assert after["export.onnx"] != before["export.onnx"]
    assert after["deployment.api"] == before["deployment.api"]
    deployment = workspace.live("deployments")[0]
    assert (deployment["modelId"], deployment["url"]) == (after["model.yolo"], url)
    assert workspace.ulplan("plan", "--detailed-exitcode", ".").code == 0


def test_failed_training_skips_dependents_and_applies_the_rest(
    make_workspace: Callable[..., Workspace], emulator_factory: Callable[..., Emulator]
) -> None:
    workspace = make_workspace(
        emulator_factory(fail_training_rate=1.0), FULL.replace("  api:\n", "  api:\n    minInstances: 0\n")
    )
    run = workspace.ulplan("apply", "--auto-approve", ".")
    assert run.code == 1
    assert "model.yolo" in run.err and "training failed" in run.err
    assert "export.onnx" in run.err and "skipped" in run.err
    assert set(workspace.ids()) == {"project.detection", "dataset.traffic", "model.yolo"}
    assert workspace.live("exports") == [] and workspace.live("deployments") == []


def test_a_held_lock_fails_fast_naming_the_holder(workspace: Workspace) -> None:
    backend = LocalBackend(workspace.root / ".ulplan" / "state.json")
    with backend.lock("apply"):
        run = workspace.ulplan("apply", "--auto-approve", ".")
    assert run.code == 1
    assert "apply" in run.err and "force-unlock" in run.err
    assert workspace.live("projects") == []


def test_apply_without_a_terminal_refuses_to_ask(workspace: Workspace) -> None:
    run = workspace.ulplan("apply", ".")
    assert run.code == 1
    assert "--auto-approve" in run.err
    assert workspace.live("projects") == []


def test_detailed_exitcode_reports_changes(workspace: Workspace) -> None:
    assert workspace.ulplan("plan", "--detailed-exitcode", ".").code == 2
    assert workspace.ulplan("plan", ".").code == 0


def test_an_object_someone_else_made_meanwhile_is_never_adopted(workspace: Workspace) -> None:
    workspace.write("version: 1\nprojects:\n  detection:\n    description: Detection models\n")
    saved = workspace.root / "plan.json"
    assert workspace.ulplan("plan", "--out", str(saved), ".").code == 0
    with workspace.api() as http:  # another team takes the slug between plan and apply
        body = {"name": "Theirs", "slug": "detection", "description": "Not ours"}
        assert http.post("/api/projects", json=body).status_code == 201
    run = workspace.ulplan("apply", str(saved))
    assert run.code == 1
    assert "CONFLICT" in run.err
    assert [p["name"] for p in workspace.live("projects")] == ["Theirs"]
    state = workspace.root / ".ulplan" / "state.json"
    assert not state.exists() or "project.detection" not in workspace.ids()
