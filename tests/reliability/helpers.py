"""Helpers of the reliability suite: generated manifests, the CLI as a process, plain-HTTP counts."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

FORMATS = ("onnx", "torchscript", "openvino", "coreml")
KINDS = ("projects", "datasets", "models", "exports", "deployments")


def checkpoint() -> bytes:
    """A tiny file with a torch checkpoint's zip layout (what the emulator accepts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tiny/data.pkl", b"\x80\x02}q\x00.")
        archive.writestr("tiny/version", b"3\n")
    return buffer.getvalue()


def write_manifests(folder: Path, models: int, exports: int, deployments: int, trained: int = 1) -> int:
    """Two projects, two datasets, then models, exports and deployments; returns the total."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tiny.pt").write_bytes(checkpoint())
    document: dict[str, Any] = {
        "version": 1,
        "projects": {f"proj-{i}": {"description": f"project {i}"} for i in range(2)},
        "datasets": {f"data-{i}": {"task": "detect"} for i in range(2)},
        "models": {},
        "exports": {},
        "deployments": {},
    }
    for i in range(models):
        model: dict[str, Any] = {"project": f"proj-{i % 2}", "file": "tiny.pt"}
        if i < trained:
            model["training"] = {"dataset": f"data-{i % 2}", "epochs": 2, "imageSize": 320}
        document["models"][f"model-{i}"] = model
    for i in range(exports):
        fmt = FORMATS[(i // models) % len(FORMATS)]
        document["exports"][f"export-{i}"] = {"model": f"model-{i % models}", "format": fmt}
    for i in range(deployments):
        document["deployments"][f"deploy-{i}"] = {"model": f"model-{i % models}", "region": "us-central1"}
    (folder / "ulplan.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return 4 + models + exports + deployments


@dataclass
class Run:
    """A finished CLI run."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Both streams, for assertion messages."""
        return f"exit {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def cli_env(url: str, key: str) -> dict[str, str]:
    """The environment of a CLI run against ``url`` with ``key`` (never on the command line)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ULTRALYTICS_", "ULPLAN_"))}
    return {**env, "ULTRALYTICS_PLATFORM_URL": url, "ULTRALYTICS_API_KEY": key, "NO_COLOR": "1"}


def ulplan(cwd: Path, env: dict[str, str], *args: str, timeout: float = 90) -> Run:
    """Run ``ulplan args`` as a process in ``cwd`` and wait for it."""
    done = subprocess.run(
        [sys.executable, "-m", "ulplan", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def start_ulplan(cwd: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Start ``ulplan args`` as a process and return at once."""
    return subprocess.Popen(
        [sys.executable, "-m", "ulplan", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def wait_for(condition: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    """Poll ``condition`` until it holds; fail the test when it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def list_all(url: str, key: str, kind: str) -> list[dict[str, Any]]:
    """Every live object of ``kind`` through plain HTTP, page by page (5xx answers retried)."""
    items: list[dict[str, Any]] = []
    page = 1
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
        while True:
            response = _get_retrying(client, f"/api/{kind}", {"page": page, "limit": 100})
            body = response.json()
            items += body["data"]
            meta = body.get("meta") or {}
            if page * 100 >= int(meta.get("total", 0)) or not body["data"]:
                return items
            page += 1


def _get_retrying(client: httpx.Client, path: str, params: dict[str, Any]) -> httpx.Response:
    for _ in range(20):  # fault injection answers some GETs with 500; a GET is safe to repeat
        response = client.get(path, params=params)
        if response.status_code < 500:
            assert response.status_code == 200, response.text
            return response
    raise AssertionError(f"GET {path} kept failing")


def identity(kind: str, item: dict[str, Any]) -> tuple[Any, ...]:
    """What makes a live object one of the manifest's resources (slug; exports: model+format)."""
    if kind == "exports":
        return (item["modelId"], item["format"])
    if kind == "models":
        return (item["projectId"], item["slug"])
    return (item["slug"],)


def live_counts(url: str, key: str) -> dict[str, Counter[tuple[Any, ...]]]:
    """For each kind, how many live objects share each identity (1 everywhere: no duplicate)."""
    return {kind: Counter(identity(kind, item) for item in list_all(url, key, kind)) for kind in KINDS}


def assert_exactly_once(url: str, key: str, expected: int) -> None:
    """Every resource exists once, and the platform holds exactly ``expected`` of them."""
    counts = live_counts(url, key)
    duplicates = {kind: {k: n for k, n in c.items() if n > 1} for kind, c in counts.items()}
    assert not any(duplicates.values()), f"duplicates: {duplicates}"
    assert sum(len(c) for c in counts.values()) == expected, {k: len(c) for k, c in counts.items()}


def recorded(state_path: Path) -> int:
    """How many resources the state file holds (0 before the first write)."""
    try:
        return len(json.loads(state_path.read_text(encoding="utf-8"))["resources"])
    except (FileNotFoundError, json.JSONDecodeError):
        return 0
