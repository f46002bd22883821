"""The state commands through the real CLI entry point and its error boundary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ulplan.cli import state_commands
from ulplan.cli.main import main
from ulplan.state import LocalBackend, ResourceState, State

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    """Run ``ulplan argv`` in-process; returns (exit code, stdout, stderr)."""
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def backend(tmp_path: Path) -> LocalBackend:
    backend = LocalBackend(tmp_path / ".ulplan" / "state.json")
    state = State()
    for address, deps in [
        ("project.det", []),
        ("model.yolo", ["project.det"]),
        ("export.onnx", ["model.yolo"]),
    ]:
        kind, name = address.split(".")
        state.set(
            ResourceState(
                address=address,
                kind=kind,
                name=name,
                id=f"{kind}_1",
                attributes={"name": name, "resources": {"cpu": 2}},
                dependencies=deps,
                slug=name,
            )
        )
    state.outputs = {"uri": "ul://user1/det/yolo", "count": 3}
    backend.write(state)
    return backend


def test_list(capsys: Capture, backend: LocalBackend) -> None:
    code, out, _ = run(capsys, "state", "list", "--dir", str(backend.path.parent.parent))
    assert code == 0
    assert out.splitlines() == ["export.onnx", "model.yolo", "project.det"]
    code, out, _ = run(capsys, "state", "list", "--ids", "--state", str(backend.path))
    assert out.splitlines()[1] == "model.yolo\tmodel_1"


def test_list_without_state_hints_at_flags(capsys: Capture, tmp_path: Path) -> None:
    code, out, err = run(capsys, "state", "list", "--dir", str(tmp_path))
    assert (code, out) == (0, "")
    assert "No state at" in err and "--dir" in err


def test_show_text_and_json(capsys: Capture, backend: LocalBackend) -> None:
    code, out, _ = run(capsys, "state", "show", "model.yolo", "--state", str(backend.path))
    assert code == 0
    assert out.splitlines()[0] == "# model.yolo"
    assert 'id           = "model_1"' in out and "  resources.cpu = 2" in out
    code, out, _ = run(capsys, "--state", str(backend.path), "state", "show", "model.yolo", "--json")
    assert json.loads(out)["dependencies"] == ["project.det"]


def test_show_unknown_address_suggests(capsys: Capture, backend: LocalBackend) -> None:
    code, _, err = run(capsys, "state", "show", "model.yolov", "--state", str(backend.path))
    assert code == 1
    assert err.startswith("Error: no resource model.yolov") and "Did you mean model.yolo" in err


def test_rm_forgets_and_bumps_serial(capsys: Capture, backend: LocalBackend) -> None:
    serial = backend.read().serial
    code, out, _ = run(capsys, "state", "rm", "export.onnx", "model.yolo", "--state", str(backend.path))
    assert code == 0 and "still exists on the platform" in out
    after = backend.read()
    assert sorted(after.resources) == ["project.det"]
    assert after.serial == serial + 1
    assert backend.lock_info() is None


def test_rm_of_a_missing_address_changes_nothing(capsys: Capture, backend: LocalBackend) -> None:
    before = backend.read()
    code, _, err = run(capsys, "state", "rm", "model.yolo", "model.nope", "--state", str(backend.path))
    assert code == 1 and "model.nope" in err
    assert backend.read() == before
    assert backend.lock_info() is None


def test_rm_fails_fast_when_locked(capsys: Capture, backend: LocalBackend) -> None:
    with backend.lock("apply"):
        code, _, err = run(capsys, "state", "rm", "model.yolo", "--state", str(backend.path))
    assert code == 1 and "locked by" in err and "'apply'" in err
    assert "model.yolo" in backend.read().resources


def test_mv_renames_and_rewrites_dependencies(capsys: Capture, backend: LocalBackend) -> None:
    code, _, _ = run(capsys, "state", "mv", "model.yolo", "model.yolo11", "--state", str(backend.path))
    assert code == 0
    after = backend.read()
    moved = after.resources["model.yolo11"]
    assert (moved.name, moved.id, "model.yolo" in after.resources) == ("yolo11", "model_1", False)
    assert after.resources["export.onnx"].dependencies == ["model.yolo11"]


@pytest.mark.parametrize(
    ("destination", "message"),
    [("project.yolo", "keeps its kind"), ("model.yolo", "already in the state"), ("yolo", "not an address")],
)
def test_mv_refusals(capsys: Capture, backend: LocalBackend, destination: str, message: str) -> None:
    before = backend.read()
    code, _, err = run(capsys, "state", "mv", "model.yolo", destination, "--state", str(backend.path))
    assert code == 1 and message in err
    assert backend.read() == before


def test_output_all_one_and_json(capsys: Capture, backend: LocalBackend) -> None:
    path = str(backend.path)
    assert run(capsys, "output", "--state", path)[1].splitlines() == [
        "count = 3",
        'uri   = "ul://user1/det/yolo"',
    ]
    assert run(capsys, "output", "uri", "--state", path)[1] == "ul://user1/det/yolo\n"
    assert run(capsys, "output", "uri", "--json", "--state", path)[1] == '"ul://user1/det/yolo"\n'
    assert json.loads(run(capsys, "output", "--json", "--state", path)[1]) == {
        "uri": "ul://user1/det/yolo",
        "count": 3,
    }
    code, _, err = run(capsys, "output", "nope", "--state", path)
    assert code == 1 and "outputs: count, uri" in err


def test_force_unlock_refuses_without_terminal(capsys: Capture, backend: LocalBackend) -> None:
    handle = backend.lock("apply")
    handle.acquire()
    code, out, err = run(capsys, "force-unlock", "--state", str(backend.path))
    assert code == 1 and "pass --yes" in err.lower()
    assert "'apply'" in out
    assert backend.lock_info() is not None
    code, out, _ = run(capsys, "force-unlock", "--yes", "--state", str(backend.path))
    assert code == 0 and "cleared" in out
    assert backend.lock_info() is None


def test_force_unlock_asks_on_a_terminal(
    capsys: Capture, backend: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend.lock("apply").acquire()
    monkeypatch.setattr(state_commands, "_stdin_is_tty", lambda: True)
    monkeypatch.setattr("click.confirm", lambda *args, **kwargs: True)
    code, out, _ = run(capsys, "force-unlock", "--state", str(backend.path))
    assert code == 0 and backend.lock_info() is None


def test_force_unlock_when_not_locked(capsys: Capture, backend: LocalBackend) -> None:
    code, out, _ = run(capsys, "force-unlock", "--state", str(backend.path))
    assert code == 0 and "not locked" in out


def test_corrupt_state_is_reported_with_its_backup(capsys: Capture, backend: LocalBackend) -> None:
    backend.write(backend.read())
    backend.path.write_text('{"version": 1, "serial":')
    code, _, err = run(capsys, "state", "list", "--state", str(backend.path))
    assert code == 1 and "is corrupt" in err and str(backend.backup_path) in err


def test_local_uses_the_embedded_emulators_state(capsys: Capture, tmp_path: Path) -> None:
    local = LocalBackend(tmp_path / ".ulplan" / "emulator" / "state.json")
    state = State()
    state.outputs["where"] = "local"
    local.write(state)
    code, out, _ = run(capsys, "output", "where", "--local", "--dir", str(tmp_path))
    assert (code, out) == (0, "local\n")
    code, _, err = run(capsys, "output", "where", "--dir", str(tmp_path))
    assert code == 1 and "add --local" in err
