"""The state lock: exclusive across processes, released on exit, cleared by force-unlock."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ulplan.state import LocalBackend, LockInfo, StateLockedError

# A separate interpreter holds the lock: contention across processes, not just threads.
HOLDER = """
import sys
from pathlib import Path
from ulplan.state import LocalBackend
with LocalBackend(Path(sys.argv[1])).lock("apply"):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def _start_holder(state_path: Path) -> subprocess.Popen[str]:
    """Another interpreter that holds the lock until its stdin gets a line."""
    command = [sys.executable, "-c", HOLDER, str(state_path)]
    holder = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_second_process_fails_fast_naming_the_holder(tmp_path: Path) -> None:
    state_path = tmp_path / ".ulplan" / "state.json"
    holder = _start_holder(state_path)
    try:
        with pytest.raises(StateLockedError) as info, LocalBackend(state_path).lock("plan"):
            pass
        message = str(info.value)
        assert f"pid {holder.pid}" in message and "'apply'" in message
        assert "ulplan force-unlock" in message
        assert LocalBackend(state_path).lock_info() is not None
    finally:
        holder.communicate("done\n", timeout=30)
    assert holder.returncode == 0
    assert LocalBackend(state_path).lock_info() is None


def test_lock_file_content_and_mode(tmp_path: Path) -> None:
    backend = LocalBackend(tmp_path / "state.json")
    with backend.lock("apply") as info:
        raw = json.loads(backend.lock_path.read_text())
        assert set(raw) == {"id", "holder", "operation", "created"}
        assert raw["holder"].endswith(f"@{socket.gethostname()} pid {os.getpid()}")
        assert raw["operation"] == "apply" and raw["id"] == info.id
        assert stat.S_IMODE(backend.lock_path.stat().st_mode) == 0o600
        assert backend.lock_info() == info


def test_released_on_exception(tmp_path: Path) -> None:
    backend = LocalBackend(tmp_path / "state.json")
    with pytest.raises(RuntimeError), backend.lock("apply"):
        raise RuntimeError("boom")
    assert backend.lock_info() is None
    with backend.lock("apply"):
        pass


def test_release_leaves_a_newer_lock_alone(tmp_path: Path) -> None:
    backend = LocalBackend(tmp_path / "state.json")
    first = backend.lock("apply")
    first.acquire()
    backend.force_unlock()
    with backend.lock("apply") as second:
        first.release()
        assert backend.lock_info() == second


def test_dead_holder_on_this_host_is_pointed_out() -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait(30)
    host = socket.gethostname()
    dead = LockInfo(id="x", holder=f"me@{host} pid {ended.pid}", operation="apply", created="t")
    assert "no longer runs" in dead.describe()
    alive = LockInfo(id="x", holder=f"me@{host} pid {os.getpid()}", operation="apply", created="t")
    assert "no longer runs" not in alive.describe()


def test_half_written_lock_file_still_blocks(tmp_path: Path) -> None:
    backend = LocalBackend(tmp_path / "state.json")
    backend.lock_path.write_text("{")
    with pytest.raises(StateLockedError, match="an unknown process"), backend.lock("apply"):
        pass


def test_sigkill_leaves_the_lock_for_force_unlock(tmp_path: Path) -> None:
    state_path = tmp_path / ".ulplan" / "state.json"
    holder = _start_holder(state_path)
    holder.kill()
    holder.communicate(timeout=30)
    backend = LocalBackend(state_path)
    info = backend.lock_info()
    assert info is not None and f"pid {holder.pid}" in info.holder
    assert "no longer runs" in info.describe()
    backend.force_unlock()
    with backend.lock("apply"):
        pass
