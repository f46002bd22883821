"""One no-change plan measured in a fresh process: ``python -m benchmarks.plan_worker FOLDER URL``.

Run by ``plan_scale`` so each measurement starts cold and its peak RSS is its own. The key
comes from ``ULTRALYTICS_API_KEY``. Prints one JSON object: the plan's time, requests by
method, peak memory, and the same state refreshed one GET per resource for comparison.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import load, make_plan, peak_rss_mb


def per_resource_refresh(client: Any, backend: Any) -> dict[str, Any]:
    """Read every resource in state with its own GET (and each trained model's training status)."""
    from ulplan.resources import resource_type

    state = backend.read()
    client.stats.reset()
    started = time.perf_counter()
    for entry in state.resources.values():
        resource_type(entry.kind).get_live(client, entry.id)
        if entry.kind == "model" and "training" in entry.attributes:
            client.training.status(entry.id)
    return {"seconds": time.perf_counter() - started, "requests": client.stats.requests_by_method}


def measure(folder: Path, url: str) -> dict[str, Any]:
    """Load, plan (timed), then the per-resource refresh of the same state."""
    from ulplan.client import PlatformClient
    from ulplan.state import LocalBackend

    backend = LocalBackend(folder / ".ulplan" / "state.json")
    with PlatformClient(base_url=url) as client:
        started = time.perf_counter()
        manifests = load(folder)
        loaded = time.perf_counter()
        made = make_plan(manifests, backend, client)
        planned = time.perf_counter()
        requests = client.stats.requests_by_method
        rss_after_plan_mb = peak_rss_mb()
        baseline = per_resource_refresh(client, backend)
    return {
        "resources": len(manifests.resources),
        "changes": sum(1 for c in made.changes if c.action.value != "noop"),
        "load_seconds": loaded - started,
        "plan_seconds": planned - loaded,
        "total_seconds": planned - started,
        "requests": requests,
        "peak_rss_mb": rss_after_plan_mb,
        "per_get": baseline,
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), sys.argv[2])))
