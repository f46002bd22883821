"""Start-up: whole ``ulplan`` processes, median of several runs."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TWO_RESOURCES = """\
version: 1
projects:
  detection:
    description: Start-up benchmark
datasets:
  traffic:
    task: detect
"""


def _ulplan() -> list[str]:
    """The installed console script next to this interpreter, as users run it."""
    script = Path(sys.executable).with_name("ulplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ulplan"]


def median_seconds(args: list[str], runs: int) -> tuple[float, list[float]]:
    """The median wall time of ``runs`` runs of ``args`` (each must exit 0)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def run(runs: int = 7) -> dict[str, Any]:
    """``ulplan --version`` and ``ulplan validate`` of a 2-resource manifest."""
    with tempfile.TemporaryDirectory(prefix="ulplan-startup-") as tmp:
        (Path(tmp) / "ulplan.yaml").write_text(TWO_RESOURCES, encoding="utf-8")
        version, version_runs = median_seconds([*_ulplan(), "--version"], runs)
        validate, validate_runs = median_seconds([*_ulplan(), "validate", tmp], runs)
    return {
        "runs": runs,
        "version_s": version,
        "validate_s": validate,
        "version_runs": version_runs,
        "validate_runs": validate_runs,
    }


def rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Table rows: (measure, value, target)."""
    return [
        (
            f"ulplan --version (median of {result['runs']})",
            f"{result['version_s'] * 1000:.0f} ms",
            "< 300 ms",
        ),
        (
            f"ulplan validate, 2 resources (median of {result['runs']})",
            f"{result['validate_s'] * 1000:.0f} ms",
            "< 600 ms",
        ),
    ]
