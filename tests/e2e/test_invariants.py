"""The invariants every kind must pass, through the CLI against the real emulator:
apply then plan is empty; import equals create; destroy leaves nothing; destroy twice is harmless."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.e2e.conftest import FULL, Workspace

KINDS = ("project", "dataset", "model", "export", "deployment")


def test_apply_then_plan_is_empty(workspace: Workspace) -> None:
    first = workspace.ulplan("apply", "--auto-approve", ".")
    assert first.code == 0, first.err
    assert "5 added" in first.out + first.err
    assert {address.split(".")[0] for address in workspace.ids()} == set(KINDS)
    again = workspace.ulplan("plan", "--detailed-exitcode", ".")
    assert again.code == 0, again.out + again.err
    assert "No changes" in again.out
    outputs = workspace.state()["outputs"]
    assert outputs["uri"] == "ul://user1/detection/yolo"
    assert outputs["endpoint"] == workspace.live("deployments")[0]["url"]
    workspace.write(FULL.replace("  uri: ${model.yolo.uri}\n", ""))
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    assert list(workspace.state()["outputs"]) == ["endpoint"]


def test_a_second_apply_changes_nothing(workspace: Workspace) -> None:
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    serial = workspace.state()["serial"]
    second = workspace.ulplan("apply", "--auto-approve", ".")
    assert second.code == 0
    assert "No changes" in second.out
    assert workspace.state()["serial"] == serial


def test_import_equals_create(make_workspace: Callable[..., Workspace], workspace: Workspace) -> None:
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    ids = workspace.ids()
    other = make_workspace(workspace.emulator)  # same manifests, same weights, empty state
    conflict = other.ulplan("plan", ".")
    assert conflict.code == 1
    assert f"ulplan import project.detection {ids['project.detection']}" in conflict.out
    for address, resource_id in ids.items():
        imported = other.ulplan("import", address, resource_id, ".")
        assert imported.code == 0, imported.err
    plan = other.ulplan("plan", "--detailed-exitcode", ".")
    assert plan.code == 0, plan.out + plan.err
    assert other.ids() == ids


def test_import_refuses_unknown_ids_and_addresses(workspace: Workspace) -> None:
    missing = workspace.ulplan("import", "project.detection", "project_does_not_exist", ".")
    assert missing.code == 1
    assert "no project with id project_does_not_exist" in missing.err
    unknown = workspace.ulplan("import", "project.nope", "project_x", ".")
    assert unknown.code == 1
    assert "no resource project.nope in the manifests" in unknown.err
    assert workspace.ulplan("apply", "--auto-approve", "--target", "project.detection", ".").code == 0
    managed = workspace.ids()["project.detection"]
    twice = workspace.ulplan("import", "project.detection", managed, ".")
    assert twice.code == 1
    assert "already managed" in twice.err


def test_destroy_leaves_nothing_and_twice_is_harmless(workspace: Workspace) -> None:
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    destroyed = workspace.ulplan("destroy", "--auto-approve", ".")
    assert destroyed.code == 0, destroyed.err
    assert "5 destroyed" in destroyed.out
    for collection in ("projects", "datasets", "models", "exports", "deployments"):
        assert workspace.live(collection) == [], collection
    assert workspace.state()["resources"] == {}
    again = workspace.ulplan("destroy", "--auto-approve", ".")
    assert again.code == 0
    assert "No changes" in again.out


def test_plan_json_is_terraform_shaped(workspace: Workspace) -> None:
    run = workspace.ulplan("plan", "--json", ".")
    assert run.code == 0, run.err
    document = json.loads(run.out)
    actions = {c["address"]: c["change"]["actions"] for c in document["resource_changes"]}
    assert actions == {
        f"{kind}.{name}": ["create"]
        for kind, name in zip(KINDS, ("detection", "traffic", "yolo", "onnx", "api"), strict=True)
    }
