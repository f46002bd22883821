"""``ulplan plan`` only reads the platform (GET), and model files outside the root are refused."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.helpers import checkpoint, cli_env, ulplan
from tests.security.recording import RecordingEmulator, recording_emulator

MANIFEST = """\
version: 1
projects:
  alpha: {description: first}
  beta: {description: second}
datasets:
  cars: {task: detect}
models:
  yolo:
    project: alpha
    file: weights/yolo.pt
    training: {dataset: cars, epochs: 2}
exports:
  onnx: {model: yolo, format: onnx}
deployments:
  api: {model: yolo, region: us-central1}
"""
# Every kind of change at once: an update, a replacement (new file), creates and a delete.
CHANGED = (
    MANIFEST.replace("first", "changed")
    .replace("  beta: {description: second}\n", "  gamma: {}\n")
    .replace("weights/yolo.pt", "weights/yolo2.pt")
)


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[RecordingEmulator]:
    folder = tmp_path / "emulator"
    folder.mkdir()
    with recording_emulator(folder) as running:
        yield running


def _workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "infra"
    (folder / "weights").mkdir(parents=True)
    (folder / "weights" / "yolo.pt").write_bytes(checkpoint())
    (folder / "weights" / "yolo2.pt").write_bytes(checkpoint() + b"\n")
    (folder / "ulplan.yaml").write_text(MANIFEST, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "args",
    [["plan"], ["plan", "--json"], ["plan", "--out", "saved.plan"], ["plan", "--destroy"]],
    ids=["text", "json", "saved", "destroy"],
)
def test_plan_sends_only_get_requests(tmp_path: Path, emulator: RecordingEmulator, args: list[str]) -> None:
    folder = _workspace(tmp_path)
    env = cli_env(emulator.url, emulator.key)
    applied = ulplan(folder, env, "apply", "--auto-approve")
    assert applied.code == 0, applied.output
    (folder / "ulplan.yaml").write_text(CHANGED, encoding="utf-8")
    emulator.recorder.seen.clear()

    run = ulplan(folder, env, *args, "--detailed-exitcode")

    assert run.code == 2, run.output  # there are changes to show...
    methods = Counter(method for method, _ in emulator.recorder.api_requests())
    assert methods["GET"] > 0
    assert set(methods) == {"GET"}, emulator.recorder.api_requests()  # ...and nothing was changed


def _outside_cases(tmp_path: Path, folder: Path) -> dict[str, str]:
    outside = tmp_path / "elsewhere" / "secret.pt"
    outside.parent.mkdir()
    outside.write_bytes(checkpoint())
    os.symlink(outside, folder / "weights" / "link.pt")
    return {"relative": "../elsewhere/secret.pt", "absolute": str(outside), "symlink": "weights/link.pt"}


@pytest.mark.parametrize("case", ["relative", "absolute", "symlink"])
@pytest.mark.parametrize("command", ["plan", "apply"])
def test_a_file_outside_the_manifest_root_is_refused(
    tmp_path: Path, emulator: RecordingEmulator, case: str, command: str
) -> None:
    folder = _workspace(tmp_path)
    written = _outside_cases(tmp_path, folder)[case]
    (folder / "ulplan.yaml").write_text(MANIFEST.replace("weights/yolo.pt", written), encoding="utf-8")
    args = [command, "--auto-approve"] if command == "apply" else [command]

    run = ulplan(folder, cli_env(emulator.url, emulator.key), *args)

    assert run.code == 1, run.output
    assert "outside the manifest folder" in run.stderr, run.output
    assert "--allow-outside-files" in run.stderr
    assert emulator.recorder.api_requests() == []  # refused before any request
