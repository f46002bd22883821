"""End-to-end helpers: a workspace of manifests driven through the real CLI entry point
against a real emulator on loopback (fast jobs, no rate limit)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.emulator import Emulator
from ulplan.cli.main import main


def weights(tag: str) -> bytes:
    """A file laid out like a torch checkpoint (what the emulator accepts), unique per tag."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model/data.pkl", f"weights {tag}")
    return buffer.getvalue()


FULL = """\
version: 1
projects:
  detection:
    description: Detection models
datasets:
  traffic:
    task: detect
models:
  yolo:
    project: detection
    file: weights/yolo.pt
    training: {dataset: traffic, epochs: 2}
exports:
  onnx:
    model: yolo
    format: onnx
deployments:
  api:
    model: yolo
    region: us-central1
outputs:
  endpoint: ${deployment.api.url}
  uri: ${model.yolo.uri}
"""


@dataclass
class Run:
    """The outcome of one CLI invocation."""

    code: int
    out: str
    err: str


@dataclass
class Workspace:
    """A folder of manifests, its state, and the emulator it talks to."""

    root: Path
    emulator: Emulator
    invoke: Callable[..., Run]

    def write(self, text: str, name: str = "ulplan.yaml") -> None:
        (self.root / name).write_text(text, encoding="utf-8")

    def weights(self, tag: str) -> None:
        (self.root / "weights").mkdir(exist_ok=True)
        (self.root / "weights" / "yolo.pt").write_bytes(weights(tag))

    def ulplan(self, *args: str) -> Run:
        return self.invoke(*args)

    def state(self) -> dict[str, Any]:
        return json.loads((self.root / ".ulplan" / "state.json").read_text())  # type: ignore[no-any-return]

    def ids(self) -> dict[str, str]:
        return {address: entry["id"] for address, entry in self.state()["resources"].items()}

    def api(self) -> httpx.Client:
        return self.emulator.client()

    def live(self, collection: str) -> list[dict[str, Any]]:
        """Every live object of a collection (tries again when the emulator injects a fault)."""
        with self.api() as http:
            for _attempt in range(20):
                answer = http.get(f"/api/{collection}", params={"limit": 100})
                if answer.status_code == 200:
                    return answer.json()["data"]  # type: ignore[no-any-return]
        raise AssertionError(f"could not list {collection}")


@pytest.fixture
def make_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Workspace]:
    """Workspaces on a given emulator; the CLI runs in-process through its error boundary."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    count = 0

    def make(emulator: Emulator, manifest: str = FULL, tag: str = "v1") -> Workspace:
        nonlocal count
        count += 1
        root = tmp_path / f"ws{count}"
        root.mkdir()

        def invoke(*args: str) -> Run:
            capsys.readouterr()
            env = {"ULTRALYTICS_API_KEY": emulator.key, "ULTRALYTICS_PLATFORM_URL": emulator.url}
            with monkeypatch.context() as patch:
                for name, value in env.items():
                    patch.setenv(name, value)
                patch.chdir(root)
                try:
                    main(["--no-color", *args])
                    code = 0
                except SystemExit as exc:
                    code = int(exc.code or 0)
            captured = capsys.readouterr()
            return Run(code, captured.out, captured.err)

        workspace = Workspace(root, emulator, invoke)
        workspace.write(manifest)
        workspace.weights(tag)
        return workspace

    return make


@pytest.fixture
def workspace(make_workspace: Callable[..., Workspace], emulator: Emulator) -> Workspace:
    """A workspace with the full manifest (every kind) on a fresh emulator."""
    return make_workspace(emulator)
