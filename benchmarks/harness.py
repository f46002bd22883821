"""Shared plumbing: an emulator process on loopback, and plan/apply through the library."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ulplan.changes import Action, Plan


def new_key() -> str:
    """A fresh key in the platform's format."""
    return "ul_" + secrets.token_hex(20)


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class EmulatorProcess:
    """``ulplan serve`` in its own process (so it does not share the GIL with what is measured)."""

    url: str
    key: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """SIGTERM, then wait."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def emulator(folder: Path, *flags: str) -> Iterator[EmulatorProcess]:
    """Start an emulator with fast jobs and ``flags`` (default ``--rate-limit off``)."""
    folder.mkdir(parents=True, exist_ok=True)
    key, port = new_key(), free_port()
    args = ["--port", str(port), "--db", str(folder / "emulator.db"), "--seed-key", f"{key}:enterprise"]
    args += ["--epoch-seconds", "0.02", "--job-seconds", "0.02", *flags]
    if "--rate-limit" not in flags:
        args += ["--rate-limit", "off"]
    process = subprocess.Popen(
        [sys.executable, "-m", "ulplan", "serve", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    running = EmulatorProcess(f"http://127.0.0.1:{port}", key, process)
    try:
        wait_ready(running.url)
        yield running
    finally:
        running.stop()


def wait_ready(url: str, timeout: float = 30.0) -> None:
    """Poll ``/health`` until the emulator answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.05)
    raise RuntimeError(f"emulator at {url} did not become ready")


class SilentReporter:
    """An apply Reporter that remembers failures and prints nothing."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def started(self, address: str, action: Action) -> None:
        """Ignored."""

    def progress(self, address: str, progress: Any) -> None:
        """Ignored."""

    def finished(self, address: str, action: Action, resource_id: str | None) -> None:
        """Ignored."""

    def failed(self, address: str, action: Action, error: str) -> None:
        """Remember the failure."""
        self.failures.append(f"{address}: {error}")

    def skipped(self, address: str, action: Action, because: str) -> None:
        """Ignored."""

    def close(self) -> None:
        """Nothing to flush."""


def load(folder: Path) -> Any:
    """Load the manifests of ``folder``; raise with the diagnostics when they are invalid."""
    from ulplan.manifest import LoadOptions, load_manifests

    loaded = load_manifests([folder], LoadOptions())
    if loaded.has_errors:
        raise RuntimeError("\n".join(str(d) for d in loaded.diagnostics[:10]))
    return loaded


def make_plan(manifests: Any, backend: Any, client: Any) -> Plan:
    """A plan of ``manifests`` against the live platform, as ``ulplan plan`` makes it."""
    from ulplan.plan import PlanOptions, build_plan
    from ulplan.refresh import ClientLiveSource

    options = PlanOptions(
        pending_intents=tuple(backend.journal().pending()), manifest_root=str(manifests.root)
    )
    return build_plan(manifests, backend, ClientLiveSource(client), options)


def apply_folder(folder: Path, url: str, key: str, parallelism: int = 16) -> dict[str, Any]:
    """Plan and apply ``folder`` (state in ``folder/.ulplan``); the outcome and request counts."""
    from ulplan.apply import ApplyOptions, apply_plan
    from ulplan.client import PlatformClient
    from ulplan.state import LocalBackend

    manifests = load(folder)
    backend = LocalBackend(folder / ".ulplan" / "state.json")
    reporter = SilentReporter()
    started_epoch, started = time.time(), time.perf_counter()
    with PlatformClient(api_key=key, base_url=url) as client, backend.lock("apply"):
        made = make_plan(manifests, backend, client)
        if made.errors:
            raise RuntimeError("plan errors: " + "; ".join(made.errors[:5]))
        result = apply_plan(
            made, client, backend, reporter, ApplyOptions(parallelism=parallelism, poll_seconds=0.05)
        )
        stats = client.stats
    return {
        "ok": result.ok,
        "seconds": time.perf_counter() - started,
        "started_epoch": started_epoch,
        "failures": reporter.failures[:5],
        "requests": stats.requests_by_method,
        "rate_limited": stats.rate_limited,
        "retries": stats.retries,
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    Read from /proc (VmHWM, this process image's own high-water mark) where it exists:
    getrusage's ru_maxrss also counts the parent's peak carried across fork+exec.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
