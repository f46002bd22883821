"""The API key never leaves the environment: not in state, saved plans, JSON or markdown
output, ``--debug`` logs or error text; state and saved plans are private files (0600)."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.helpers import Run, checkpoint, cli_env, ulplan
from tests.support.emulator import Emulator, new_key, start_thread_emulator

MANIFEST = """\
version: 1
projects:
  alpha: {description: first}
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
outputs:
  url: ${deployment.api.url}
  uri: ${model.yolo.uri}
"""


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    folder = tmp_path / "emulator"  # outside the work dir: its database holds the key's hash
    folder.mkdir()
    running = start_thread_emulator(folder)
    yield running
    running.stop()


def _fragments(key: str) -> list[str]:
    """The key, and enough of its secret part to matter if a log cut it short."""
    secret = key.removeprefix("ul_")
    return [key, secret[-24:], secret[8:32]]


def _leaks(text: str, key: str) -> list[str]:
    return [fragment for fragment in _fragments(key) if fragment in text]


def _session(work: Path, env: dict[str, str]) -> list[tuple[str, Run]]:
    """A whole life cycle with --debug: apply, plans in every format, saved plan, outputs, destroy."""
    steps = [
        ("apply", ["apply", "--auto-approve", "--debug"]),
        ("plan", ["plan", "--debug"]),
        ("output", ["output", "--json"]),
        ("state show", ["state", "show", "deployment.api"]),
    ]
    runs = [(name, ulplan(work, env, *args)) for name, args in steps]
    (work / "ulplan.yaml").write_text(MANIFEST.replace("first", "second"), encoding="utf-8")
    steps = [
        ("plan json", ["plan", "--json", "--debug"]),
        ("plan markdown", ["plan", "--format", "markdown", "--debug"]),
        ("plan out", ["plan", "--out", "change.plan", "--debug"]),
        ("apply saved", ["apply", "change.plan", "--debug"]),
        ("destroy", ["destroy", "--auto-approve", "--debug"]),
    ]
    return runs + [(name, ulplan(work, env, *args)) for name, args in steps]


def test_the_key_appears_in_no_stream_and_no_file(tmp_path: Path, emulator: Emulator) -> None:
    work = tmp_path / "work"
    (work / "weights").mkdir(parents=True)
    (work / "weights" / "yolo.pt").write_bytes(checkpoint())
    (work / "ulplan.yaml").write_text(MANIFEST, encoding="utf-8")
    env = {**cli_env(emulator.url, emulator.key), "HOME": str(tmp_path / "home")}

    runs = _session(work, env)
    for name, run in runs:
        assert run.code in (0, 2), f"{name}: {run.output}"
    assert "DEBUG" in runs[0][1].stderr or "GET /api" in runs[0][1].stderr  # the request log was on

    for name, run in runs:
        assert not _leaks(run.stdout + run.stderr, emulator.key), name
    files = [p for p in tmp_path.rglob("*") if p.is_file() and "emulator" not in p.parts]
    assert any(p.name == "change.plan" for p in files) and any(p.name == "state.json" for p in files)
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert not _leaks(text, emulator.key), path


@pytest.mark.parametrize("case", ["unknown key", "unreachable", "refused by the api"])
def test_error_text_never_holds_the_key(tmp_path: Path, emulator: Emulator, case: str) -> None:
    work = tmp_path / "work"
    (work / "weights").mkdir(parents=True)
    (work / "weights" / "yolo.pt").write_bytes(checkpoint())
    (work / "ulplan.yaml").write_text(MANIFEST, encoding="utf-8")
    key = emulator.key
    env = cli_env(emulator.url, key)
    if case == "unknown key":
        key = new_key()
        env = cli_env(emulator.url, key)
    elif case == "unreachable":
        env = cli_env("http://127.0.0.1:9", key)
    else:  # a training the balance cannot cover: the platform answers 402
        expensive = MANIFEST.replace("epochs: 2", "epochs: 1000, gpuType: h100")
        (work / "ulplan.yaml").write_text(expensive, encoding="utf-8")

    # Connection failures are retried with backoff for seconds: one run (the verbose one) will do.
    for debug in [["--debug"]] if case == "unreachable" else [[], ["--debug"]]:
        run = ulplan(work, env, "apply", "--auto-approve", *debug)
        assert run.code == 1, run.output
        if case == "refused by the api":
            assert "INSUFFICIENT_CREDITS" in run.stderr, run.output
        assert not _leaks(run.stdout + run.stderr, key), run.output


def test_state_files_and_saved_plans_are_private(tmp_path: Path, emulator: Emulator) -> None:
    work = tmp_path / "work"
    (work / "weights").mkdir(parents=True)
    (work / "weights" / "yolo.pt").write_bytes(checkpoint())
    (work / "ulplan.yaml").write_text(MANIFEST, encoding="utf-8")
    env = cli_env(emulator.url, emulator.key)
    assert ulplan(work, env, "apply", "--auto-approve").code == 0
    (work / "ulplan.yaml").write_text(MANIFEST.replace("first", "second"), encoding="utf-8")
    assert ulplan(work, env, "apply", "--auto-approve").code == 0  # a second write makes the backup
    (work / "ulplan.yaml").write_text(MANIFEST.replace("first", "third"), encoding="utf-8")
    assert ulplan(work, env, "plan", "--out", "change.plan").code == 0

    private = [work / ".ulplan" / n for n in ("state.json", "state.json.backup")] + [work / "change.plan"]
    journal = work / ".ulplan" / "journal.jsonl"
    private += [journal] if journal.exists() else []
    for path in private:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, (path, oct(path.stat().st_mode))
    assert stat.S_IMODE((work / ".ulplan").stat().st_mode) == 0o700
