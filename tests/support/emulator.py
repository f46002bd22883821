"""Starting real emulators for tests: in a thread (fast) or as a process (restart, kill)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ulplan.emulator.config import EmulatorConfig, RateWindow, SeedKey
from ulplan.emulator.server import RunningServer, free_port, start_in_thread

# Jobs move fast in tests: an epoch or a job step every 50 ms.
FAST = {"epoch_seconds": 0.05, "job_seconds": 0.05}


def new_key() -> str:
    """A fresh key in the platform's format."""
    return "ul_" + secrets.token_hex(20)


@dataclass
class Emulator:
    """A running emulator: its base URL (without /api), keys, and database file.

    ``keys[0]`` (also ``key``) belongs to a pro account ``user1`` with every scope;
    ``keys[1]`` to a second pro account ``user2``, for isolation tests.
    """

    url: str
    keys: list[str]
    db_path: Path
    server: RunningServer | None = None
    process: subprocess.Popen[bytes] | None = None
    args: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.keys[0]

    def client(self, key: str | None = None) -> httpx.Client:
        """A plain HTTP client with the key set (the tests of the API itself use this)."""
        headers = {"Authorization": f"Bearer {key or self.key}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
            self.process = None

    def kill(self) -> None:
        """SIGKILL the emulator process (process-based emulators only)."""
        assert self.process is not None, "kill() needs an emulator started as a process"
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        """Start again on the same port and database (process-based emulators only)."""
        assert self.process is None, "stop() or kill() first"
        self.process = _spawn(self.args)
        wait_ready(self.url)


def make_config(tmp_path: Path, keys: list[str], **options: Any) -> EmulatorConfig:
    """An EmulatorConfig for tests: a temp database, fast jobs, no rate limit by default."""
    rate = options.pop("rate_limit", "off")
    settings: dict[str, Any] = {**FAST, **options}
    return EmulatorConfig(
        db_path=tmp_path / "emulator.db",
        seed_keys=tuple(SeedKey.parse(k) for k in keys),
        rate_limit=rate if rate == "plan" else RateWindow.parse(rate),
        **settings,
    )


def start_thread_emulator(tmp_path: Path, seed_keys: list[str] | None = None, **options: Any) -> Emulator:
    """An emulator in a thread of this process (the usual choice: starts in milliseconds)."""
    keys = seed_keys or [f"{new_key()}:pro:user1", f"{new_key()}:pro:user2"]
    server = start_in_thread(make_config(tmp_path, keys, **options))
    return Emulator(
        url=server.url, keys=[k.split(":")[0] for k in keys], db_path=tmp_path / "emulator.db", server=server
    )


def start_process_emulator(tmp_path: Path, seed_keys: list[str] | None = None, *extra: str) -> Emulator:
    """``ulplan serve`` as a real process, for restart and crash tests."""
    keys = seed_keys or [f"{new_key()}:pro:user1", f"{new_key()}:pro:user2"]
    port = free_port()
    args = [
        "--port",
        str(port),
        "--db",
        str(tmp_path / "emulator.db"),
        "--epoch-seconds",
        "0.05",
        "--job-seconds",
        "0.05",
        *extra,
    ]
    if "--rate-limit" not in extra:
        args += ["--rate-limit", "off"]
    for key in keys:
        args += ["--seed-key", key]
    url = f"http://127.0.0.1:{port}"
    emulator = Emulator(
        url=url,
        keys=[k.split(":")[0] for k in keys],
        db_path=tmp_path / "emulator.db",
        process=_spawn(args),
        args=args,
    )
    wait_ready(url)
    return emulator


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "ulplan", "serve", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_ready(url: str, timeout: float = 20.0) -> None:
    """Poll ``/health`` until the emulator answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"emulator at {url} did not become ready")
