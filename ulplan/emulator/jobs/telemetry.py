"""Plausible, deterministic numbers for an emulated deployment's metrics (emulation).

No request ever reaches an emulated endpoint. While a deployment is ready, traffic is
imagined at a steady rate chosen from a hash of its id, so the same deployment shows the
same numbers for the same time served; a deployment that is not ready shows none.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from typing import Any

DAY_SECONDS = 86_400.0
SEVERITIES = ("INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class Serving:
    """What shapes a deployment's metrics at one moment."""

    seed: str  # the deployment id
    seconds: float  # time served since it last became ready (0 when not ready)
    ready: bool
    cpu: int
    memory_gi: int
    min_instances: int
    max_instances: int


def _rng(seed: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big"))


def metrics(serving: Serving) -> dict[str, Any]:
    """``GET /api/deployments/{id}/metrics``: requests, errors, latency, instances, usage."""
    rng = _rng(serving.seed)
    rate, error_share = rng.uniform(2.0, 20.0), rng.uniform(0.0, 0.015)
    latency = rng.uniform(60.0, 140.0) / math.sqrt(serving.cpu)
    window = min(serving.seconds, DAY_SECONDS) if serving.ready else 0.0
    total = math.floor(window * rate)
    errors = round(total * error_share)
    busy = total > 0
    instances = (
        min(max(serving.min_instances, 1 if busy else 0), serving.max_instances) if serving.ready else 0
    )
    return {
        "totalRequests": total,
        "errorCount": errors,
        "errorRate": round(100 * errors / total, 3) if total else 0.0,
        "avgLatencyMs": round(latency, 1) if busy else 0.0,
        "p50LatencyMs": round(latency * 0.9, 1) if busy else 0.0,
        "p95LatencyMs": round(latency * 1.8, 1) if busy else 0.0,
        "p99LatencyMs": round(latency * 2.6, 1) if busy else 0.0,
        "instanceCount": instances,
        "cpuUtilization": round(min(rate / (4.0 * serving.cpu), 0.95) * 100, 1) if busy else 0.0,
        "memoryUtilization": round(min(0.6 / serving.memory_gi + 0.2, 0.9) * 100, 1) if instances else 0.0,
        "windowSeconds": round(window, 3),
        "emulated": True,
    }


def at_least(severity: str) -> tuple[str, ...]:
    """The severities a ``severity`` filter keeps: that level and the ones above it."""
    return SEVERITIES[SEVERITIES.index(severity) :]


def status_message(status: str, model_id: str, rolling_from: str | None, region: str) -> str:
    """The deployment's ``statusMessage`` for a status (and a rollout from another model)."""
    if status == "deploying" and rolling_from:
        return f"Rolling out model {model_id}; model {rolling_from} keeps serving until it is ready"
    messages = {
        "creating": f"Provisioning the endpoint in {region} (emulated)",
        "deploying": f"Deploying model {model_id}",
        "ready": f"Serving model {model_id} (emulated: no inference runs)",
        "stopping": "Stopping instances",
        "stopped": "Stopped: start the deployment to serve again",
        "failed": "The deployment failed",
    }
    return messages.get(status, status)
