"""The intent journal: durable before the create, pending across a crash, resolved after."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ulplan.state import Intent, LocalBackend, SecretRefusedError


def _intent(address: str = "model.yolo", **match: object) -> Intent:
    return Intent(address=address, kind=address.split(".")[0], slug="yolo", match=dict(match))


# Written by a separate interpreter that ends with os._exit: nothing but record()'s own
# fsync stands between the intents and the disk.
RECORD_THEN_DIE = """
import os, sys
from pathlib import Path
from ulplan.state import Intent, LocalBackend
journal = LocalBackend(Path(sys.argv[1])).journal()
journal.record(Intent("project.det", "project", "det", {"slug": "det"}))
journal.record(Intent("model.yolo", "model", "yolo", {"slug": "yolo", "projectId": "project_1"}))
journal.resolve("project.det")
os._exit(9)
"""


def test_pending_intent_survives_a_killed_process(tmp_path: Path) -> None:
    state_path = tmp_path / ".ulplan" / "state.json"
    child = subprocess.run([sys.executable, "-c", RECORD_THEN_DIE, str(state_path)], timeout=60)
    assert child.returncode == 9
    pending = LocalBackend(state_path).journal().pending()
    assert [i.address for i in pending] == ["model.yolo"]
    assert pending[0].match == {"slug": "yolo", "projectId": "project_1"}
    assert pending[0].operation == "create" and pending[0].recorded_at


def test_resolve_and_clear(tmp_path: Path) -> None:
    journal = LocalBackend(tmp_path / "state.json").journal()
    journal.record(_intent("export.onnx", modelId="model_1", format="onnx", args={"half": True}))
    journal.record(_intent("model.yolo"))
    journal.resolve("export.onnx")
    assert [i.address for i in journal.pending()] == ["model.yolo"]
    journal.clear()
    assert journal.pending() == []
    assert not journal.path.exists()


def test_latest_intent_of_an_address_wins(tmp_path: Path) -> None:
    journal = LocalBackend(tmp_path / "state.json").journal()
    journal.record(_intent("model.yolo", attempt=1))
    journal.record(_intent("model.yolo", attempt=2))
    assert [i.match for i in journal.pending()] == [{"attempt": 2}]


def test_truncated_last_line_is_ignored(tmp_path: Path) -> None:
    journal = LocalBackend(tmp_path / "state.json").journal()
    journal.record(_intent("model.yolo"))
    with journal.path.open("a") as handle:
        handle.write('{"type": "intent", "address": "model.other"')
    assert [i.address for i in journal.pending()] == ["model.yolo"]
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def test_secret_in_match_is_refused(tmp_path: Path) -> None:
    journal = LocalBackend(tmp_path / "state.json").journal()
    with pytest.raises(SecretRefusedError):
        journal.record(_intent("model.yolo", token="ul_" + "0" * 40))
    assert journal.pending() == []
