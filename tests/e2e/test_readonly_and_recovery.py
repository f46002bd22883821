"""A plan sends only GET requests, one listing per kind; a journaled create is healed, not
duplicated; --local runs the whole quickstart shape on an embedded emulator."""

from __future__ import annotations

import stat
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.e2e.conftest import Workspace
from tests.support.emulator import Emulator
from ulplan.client import PlatformClient
from ulplan.manifest import LoadOptions, load_manifests
from ulplan.plan import PlanOptions, build_plan
from ulplan.refresh import ClientLiveSource
from ulplan.state import Intent, LocalBackend

LISTS = ("/api/projects", "/api/datasets", "/api/models", "/api/exports", "/api/deployments")


def plan_requests(workspace: Workspace) -> list[tuple[str, str]]:
    """Plan the workspace through the library, recording every request sent."""
    seen: list[tuple[str, str]] = []
    loaded = load_manifests([workspace.root], LoadOptions(environ={}))
    backend = LocalBackend(workspace.root / ".ulplan" / "state.json")
    with PlatformClient(
        api_key=workspace.emulator.key,
        base_url=workspace.emulator.url,
        on_request=lambda method, path, _status: seen.append((method, path)),
    ) as client:
        build_plan(loaded, backend, ClientLiveSource(client), PlanOptions())
        assert set(client.stats.requests_by_method) == {"GET"}
    return seen


def test_plan_only_reads_one_listing_per_kind(workspace: Workspace) -> None:
    fresh = plan_requests(workspace)
    assert {method for method, _ in fresh} == {"GET"}
    assert workspace.ulplan("apply", "--auto-approve", ".").code == 0
    applied = plan_requests(workspace)
    assert {method for method, _ in applied} == {"GET"}
    paths = Counter(path.split("?")[0] for _, path in applied)
    assert all(paths[path] == 1 for path in LISTS), paths
    trainings = [path for path in paths if path.endswith("/training")]
    assert len(trainings) == 1  # only the model that has training
    assert not any(path.startswith("/api/projects/") for path in paths)  # never a GET per resource


def test_a_journaled_create_is_adopted_not_duplicated(workspace: Workspace) -> None:
    workspace.write("version: 1\nprojects:\n  detection:\n    description: Detection models\n")
    # A crash after the platform created the project but before the state recorded it.
    backend = LocalBackend(workspace.root / ".ulplan" / "state.json")
    backend.journal().record(Intent("project.detection", "project", "detection", {"slug": "detection"}))
    with workspace.api() as http:
        body = {"name": "detection", "slug": "detection", "description": "Detection models"}
        assert http.post("/api/projects", json=body).status_code == 201
    run = workspace.ulplan("apply", "--auto-approve", ".")
    assert run.code == 0, run.err
    assert len(workspace.live("projects")) == 1
    assert workspace.ids()["project.detection"] == workspace.live("projects")[0]["id"]
    assert backend.journal().pending() == []
    assert workspace.ulplan("plan", "--detailed-exitcode", ".").code == 0


def test_local_runs_on_an_embedded_emulator(
    make_workspace: Callable[..., Workspace], emulator: Emulator
) -> None:
    workspace = make_workspace(emulator)
    run = workspace.ulplan("apply", "--local", "--auto-approve", ".")
    assert run.code == 0, run.err
    assert "Apply complete! Resources: 5 added" in run.out + run.err
    folder = workspace.root / ".ulplan" / "emulator"
    assert stat.S_IMODE((folder / "api-key").stat().st_mode) == 0o600
    assert (folder / "state.json").exists()
    assert not (workspace.root / ".ulplan" / "state.json").exists()  # kept apart from real state
    assert workspace.live("projects") == []  # nothing reached the other emulator
    assert workspace.ulplan("plan", "--local", "--detailed-exitcode", ".").code == 0
    assert "ul://local/detection/yolo" in Path(folder / "state.json").read_text()
