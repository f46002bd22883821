"""Pacing: apply 60 resources under a tight rate limit; count 429s and compare with the floor.

The floor is the earliest moment the apply's last request could be sent under the
emulator's fixed windows of ``limit`` requests per ``window`` seconds, aligned to the
epoch as the emulator aligns them: ``requests`` need ``ceil(requests / limit)`` windows,
and the first of them is what remained of the window current when the apply started.
A well-paced apply meets no 429 and takes little more than the floor.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.harness import apply_folder, emulator
from benchmarks.manifests import write_manifests

LIMIT, WINDOW = 30, 5.0


def floor_seconds(requests: int, started_epoch: float) -> float:
    """Seconds from ``started_epoch`` to the start of the last window the requests need."""
    first_window = math.floor(started_epoch / WINDOW) * WINDOW
    last_window = first_window + (math.ceil(requests / LIMIT) - 1) * WINDOW
    return max(0.0, last_window - started_epoch)


def run(total: int = 60) -> dict[str, Any]:
    """Apply ``total`` resources under ``--rate-limit 30/5s``."""
    with tempfile.TemporaryDirectory(prefix="ulplan-pacing-") as tmp:
        folder = Path(tmp)
        write_manifests(folder / "manifests", total)
        with emulator(folder / "emulator", "--rate-limit", f"{LIMIT}/{WINDOW:g}s") as running:
            applied = apply_folder(folder / "manifests", running.url, running.key, parallelism=10)
    requests = sum(applied["requests"].values())
    floor = floor_seconds(requests, applied["started_epoch"])
    return {
        "resources": total,
        "ok": applied["ok"],
        "requests": requests,
        "requests_by_method": applied["requests"],
        "rate_limited": applied["rate_limited"],
        "retries": applied["retries"],
        "seconds": applied["seconds"],
        "floor_seconds": floor,
        "ratio": applied["seconds"] / floor if floor else float("nan"),
    }


def rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Table rows: (measure, value, target)."""
    return [
        (
            f"pacing: 429s met applying {result['resources']} under {LIMIT}/{WINDOW:g}s",
            str(result["rate_limited"]),
            "0",
        ),
        (
            "pacing: elapsed / floor",
            f"{result['seconds']:.1f} s / {result['floor_seconds']:.1f} s = {result['ratio']:.2f}x "
            f"({result['requests']} requests)",
            "<= 1.1x",
        ),
    ]
