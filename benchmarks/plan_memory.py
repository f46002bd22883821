"""Memory of a 10,000-resource no-change plan, with a *fake* live source.

Applying 10,000 resources to the emulator takes many minutes, so this benchmark builds
the platform side instead: a first (creation) plan of the generated manifests gives each
resource's wanted attributes; every resource gets a made-up id, a live object with those
attributes (the shape the API returns) and a state entry. A fresh process then loads
the manifests and plans against that state and a ``StaticLiveSource`` holding the
objects, under tracemalloc. The plan must come out with no changes, which checks that
the fake platform is faithful enough to stand for the real one.

``python -m benchmarks.plan_memory prepare|measure|trace FOLDER`` are the steps.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks.manifests import write_manifests

NOW = "2026-01-01T00:00:00Z"


def fake_id(kind: str, address: str) -> str:
    """A stable id of the platform's shape for ``address``."""
    return f"{kind}_{hashlib.sha256(address.encode()).hexdigest()[:24]}"


def live_object(kind: str, object_id: str, slug: str, after: dict[str, Any]) -> dict[str, Any]:
    """The API object a resource with attributes ``after`` would be (camelCase)."""
    base = {"id": object_id, "createdAt": NOW, "updatedAt": NOW}
    if kind == "deployment":
        resources = {k: after[k] for k in ("cpu", "memoryGi", "minInstances", "maxInstances") if k in after}
        plain = {k: after[k] for k in ("name", "modelId", "region")}
        status = "ready" if after.get("state", "running") == "running" else "stopped"
        url = f"https://{slug}.{after['region']}.run.example"
        return {**base, **plain, "slug": slug, "status": status, "resources": resources, "url": url}
    if kind == "model":
        fields = {k: v for k, v in after.items() if k != "training"}
        return {**base, **fields, "status": "completed" if "training" in after else "ready"}
    if kind == "export":
        return {**base, **after, "status": "completed", "file": {"size": 1, "url": "/x"}}
    return {**base, **after}


def prepare(folder: Path) -> None:
    """Write the fake platform (``live.json``) and a matching state for ``folder/manifests``."""
    from benchmarks.harness import load
    from ulplan.changes import UNKNOWN
    from ulplan.manifest.interpolate import resolve
    from ulplan.plan import PlanOptions, build_plan
    from ulplan.refresh import StaticLiveSource
    from ulplan.state import LocalBackend, ResourceState

    manifests = load(folder / "manifests")
    empty = LocalBackend(folder / "empty-state.json")
    creation = build_plan(manifests, empty, StaticLiveSource(), PlanOptions())
    ids = {c.address: fake_id(c.kind, c.address) for c in creation.changes}

    def lookup(address: str, attribute: str) -> Any:
        return ids[address] if attribute == "id" else UNKNOWN

    backend = LocalBackend(folder / "state.json")
    state = backend.read()
    objects: dict[str, list[dict[str, Any]]] = {}
    training: dict[str, Any] = {}
    for change in creation.changes:
        spec = manifests.resources[change.address]
        after = resolve(change.extra["template"], lookup)
        objects.setdefault(change.kind, []).append(
            live_object(change.kind, ids[change.address], spec.slug, after)
        )
        if "training" in after:
            training[ids[change.address]] = {"status": "completed", **after["training"]}
        state.set(
            ResourceState(
                address=change.address,
                kind=change.kind,
                name=spec.name,
                id=ids[change.address],
                attributes=after,
                file_sha256=after.get("fileSha256"),
                dependencies=sorted(spec.depends_on),
                slug=spec.slug,
                updated_at=NOW,
            )
        )
    backend.write(state)
    (folder / "live.json").write_text(
        json.dumps({"objects": objects, "training": training}), encoding="utf-8"
    )


def measure(folder: Path, trace: bool) -> dict[str, Any]:
    """Load and plan (under tracemalloc when ``trace``); peaks and the number of (unexpected) changes.

    tracemalloc's own bookkeeping adds to the process's RSS, so the RSS that counts is
    taken from a run without it; the traced run gives the Python heap's peak.
    """
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    from benchmarks.harness import load, peak_rss_mb
    from ulplan.plan import PlanOptions, build_plan
    from ulplan.refresh import StaticLiveSource
    from ulplan.state import LocalBackend

    live = json.loads((folder / "live.json").read_text(encoding="utf-8"))
    source = StaticLiveSource(live["objects"], live["training"], username="bench", balance_micro_usd=10**9)
    manifests = load(folder / "manifests")
    made = build_plan(manifests, LocalBackend(folder / "state.json"), source, PlanOptions())
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    return {
        "resources": len(manifests.resources),
        "changes": sum(1 for c in made.changes if c.action.value != "noop"),
        "seconds": elapsed,
        "tracemalloc_peak_mb": peak / 2**20 if trace else None,
        "peak_rss_mb": peak_rss_mb(),
    }


def run(total: int = 10_000) -> dict[str, Any]:
    """Generate, prepare and measure, each heavy step in its own process."""
    with tempfile.TemporaryDirectory(prefix="ulplan-memory-") as tmp:
        folder = Path(tmp)
        write_manifests(folder / "manifests", total)
        _step("prepare", folder)
        plain, traced = json.loads(_step("measure", folder)), json.loads(_step("trace", folder))
    return {
        **plain,
        "tracemalloc_peak_mb": traced["tracemalloc_peak_mb"],
        "traced_rss_mb": traced["peak_rss_mb"],
    }


def _step(step: str, folder: Path) -> str:
    """Run one step in a fresh process; its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.plan_memory", step, str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"plan_memory {step} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Table rows: (measure, value, target)."""
    n = result["resources"]
    return [
        (
            f"no-change plan of {n} resources (fake live source): peak RSS",
            f"{result['peak_rss_mb']:.0f} MB (Python heap peak {result['tracemalloc_peak_mb']:.0f} MB, "
            f"{result['changes']} changes, {result['seconds']:.1f} s)",
            "< 300 MB",
        ),
    ]


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(Path(sys.argv[2]))
    else:
        print(json.dumps(measure(Path(sys.argv[2]), trace=sys.argv[1] == "trace")))
