"""Plan at scale: apply N generated resources, then time a no-change plan against them.

The emulator runs in its own process with ``--rate-limit off``; the no-change plan runs
in a fresh process (``plan_worker``) so its time and peak RSS are its own. The same
process then refreshes the same state one GET per resource: the ratio of the two holds
on any machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import apply_folder, emulator
from benchmarks.manifests import write_manifests


def run_size(total: int, workdir: Path) -> dict[str, Any]:
    """Apply ``total`` resources, then measure the no-change plan in a subprocess."""
    folder = workdir / f"plan-{total}"
    mix = write_manifests(folder / "manifests", total)
    with emulator(folder / "emulator") as running:
        applied = apply_folder(folder / "manifests", running.url, running.key)
        if not applied["ok"]:
            raise RuntimeError(f"apply of {total} resources failed: {applied['failures']}")
        measured = _plan_in_subprocess(folder / "manifests", running.url, running.key)
        cli_seconds = _cli_plan_seconds(folder / "manifests", running.url, running.key)
    plan_requests = sum(measured["requests"].values())
    per_get_requests = sum(measured["per_get"]["requests"].values())
    return {
        "resources": mix.total,
        "mix": mix.__dict__,
        "apply_seconds": applied["seconds"],
        "apply_requests": applied["requests"],
        "plan_changes": measured["changes"],
        "cli_plan_seconds": cli_seconds,
        "plan_seconds": measured["total_seconds"],
        "plan_load_seconds": measured["load_seconds"],
        "plan_requests": measured["requests"],
        "plan_requests_total": plan_requests,
        "plan_peak_rss_mb": measured["peak_rss_mb"],
        "per_get_seconds": measured["per_get"]["seconds"],
        "per_get_requests_total": per_get_requests,
        "plan_only_seconds": measured["plan_seconds"],
        # Like for like: the plan's refresh + diff (manifests already loaded) vs GETs alone.
        "refresh_speedup": measured["per_get"]["seconds"] / max(measured["plan_seconds"], 1e-9),
        "request_ratio": per_get_requests / max(plan_requests, 1),
    }


def _plan_in_subprocess(folder: Path, url: str, key: str) -> dict[str, Any]:
    env = {**os.environ, "ULTRALYTICS_API_KEY": key}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.plan_worker", str(folder), url],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"plan worker failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _cli_plan_seconds(folder: Path, url: str, key: str) -> float:
    """Wall time of ``ulplan plan --detailed-exitcode`` as a whole process (must find no change)."""
    env = {**os.environ, "ULTRALYTICS_API_KEY": key, "ULTRALYTICS_PLATFORM_URL": url, "NO_COLOR": "1"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ulplan", "plan", "--detailed-exitcode", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        output = done.stdout[-1000:] + done.stderr[-1000:]
        raise RuntimeError(f"ulplan plan exited {done.returncode}:\n{output}")
    return elapsed


def run(sizes: list[int]) -> list[dict[str, Any]]:
    """One row per size."""
    with tempfile.TemporaryDirectory(prefix="ulplan-bench-") as tmp:
        return [run_size(total, Path(tmp)) for total in sizes]


def rows(results: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Table rows: (measure, value, target)."""
    table = []
    for r in results:
        n = r["resources"]
        table += [
            (
                f"no-change plan, {n} resources: requests",
                f"{r['plan_requests_total']} {r['plan_requests']}",
                "<= 20" if n == 1000 else "",
            ),
            (
                f"no-change plan, {n} resources: time (load + plan; whole `ulplan plan` process)",
                f"{r['plan_seconds']:.2f} s; {r['cli_plan_seconds']:.2f} s",
                "< 3 s" if n == 1000 else "",
            ),
            (f"no-change plan, {n} resources: peak RSS", f"{r['plan_peak_rss_mb']:.0f} MB", ""),
            (
                f"per-resource GET refresh, {n}: requests / time",
                f"{r['per_get_requests_total']} / {r['per_get_seconds']:.2f} s "
                f"({r['request_ratio']:.0f}x the requests; {r['refresh_speedup']:.1f}x the time of "
                f"the plan's refresh + diff, {r['plan_only_seconds']:.2f} s)",
                "",
            ),
            (f"apply of {n} resources (setup)", f"{r['apply_seconds']:.1f} s, {r['apply_requests']}", ""),
        ]
    return table
