"""Emulator throughput: 16 connections on a list endpoint, requests/s and p99 latency.

Uses wrk when it is installed (Debian package ``wrk``; never installed from here),
otherwise a Python load generator: 16 threads, one keep-alive connection each, bounded
by a request count and a time limit. Loopback only. The Python generator shares the
machine's cores with the emulator, so its figures are a lower bound.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.harness import emulator

CONNECTIONS = 16
PATH = "/api/projects?limit=20"


def _seed(url: str, key: str, count: int = 20) -> None:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
        for i in range(count):
            client.post("/api/projects", json={"name": f"Load {i}"}).raise_for_status()


def python_load(url: str, key: str, total: int, seconds: float) -> dict[str, Any]:
    """``total`` GETs (or ``seconds``, whichever ends first) over 16 connections."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    per_thread = total // CONNECTIONS

    def worker() -> None:
        mine: list[float] = []
        bad = 0
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
            for _ in range(per_thread):
                if time.monotonic() > deadline:
                    break
                started = time.perf_counter()
                status = client.get(PATH).status_code
                mine.append(time.perf_counter() - started)
                bad += status != 200
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "tool": "python (httpx, 16 threads)",
        "requests": len(latencies),
        "errors": errors[0],
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def wrk_load(url: str, key: str, seconds: int) -> dict[str, Any]:
    """wrk with 2 threads and 16 connections, latency distribution on."""
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"Authorization: Bearer {key}",
        url + PATH,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    p99_ms = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    count = re.search(r"(\d+) requests in", out)
    requests = int(count.group(1)) if count else round(rps * seconds)
    return {"tool": "wrk", "rps": rps, "p99_ms": p99_ms, "requests": requests, "raw": out}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(total: int = 5000, seconds: float = 15.0) -> dict[str, Any]:
    """Start an emulator process (no rate limit), seed 20 projects, load its list endpoint.

    Also reports the emulator's CPU time per request: on a busy machine the load
    generator and other work take cores from the emulator, so requests/s alone
    understates it; ``1 / cpu_per_request`` is what one free core would serve.
    """
    with tempfile.TemporaryDirectory(prefix="ulplan-load-") as tmp, emulator(Path(tmp)) as running:
        _seed(running.url, running.key)
        python_load(running.url, running.key, 200, 5.0)  # warm-up: connections, caches
        cpu_before = cpu_seconds(running.process.pid)
        if shutil.which("wrk"):
            result = wrk_load(running.url, running.key, int(seconds))
        else:
            result = python_load(running.url, running.key, total, seconds)
        cpu = cpu_seconds(running.process.pid) - cpu_before
    result["server_cpu_ms_per_request"] = cpu * 1000 / max(result["requests"], 1)
    result["rps_per_free_core"] = result["requests"] / cpu if cpu else float("nan")
    result["load_average"] = os.getloadavg()
    return result


def rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Table rows: (measure, value, target)."""
    return [
        (
            f"emulator throughput, GET {PATH}, {CONNECTIONS} conns ({result['tool']})",
            f"{result['rps']:.0f} req/s",
            ">= 1000 req/s",
        ),
        ("emulator p99 latency", f"{result['p99_ms']:.1f} ms", "< 50 ms"),
        (
            "emulator CPU per request (requests/s one free core would serve)",
            f"{result['server_cpu_ms_per_request']:.2f} ms ({result['rps_per_free_core']:.0f} req/s)",
            "",
        ),
    ]
