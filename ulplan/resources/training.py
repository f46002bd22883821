"""Starting a model's training and following it to the end, epoch by epoch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ulplan.events import Progress
from ulplan.resources.base import OperationContext, ResourceOperationError, dump
from ulplan.waits import Poll, poll_until

ACTIVE = frozenset({"pending", "starting", "running"})


class TrainingFailedError(ResourceOperationError):
    """The platform reports the training failed or was cancelled."""


def start_training(ctx: OperationContext, model_id: str, training: Mapping[str, Any]) -> None:
    """POST /api/training/start; an already active training (409) is what we want."""
    from ulplan.client.errors import ConflictError

    try:
        ctx.client.training.start(
            model_id=model_id,
            dataset_id=training["datasetId"],
            epochs=training["epochs"],
            image_size=training.get("imageSize"),
            gpu_type=training.get("gpuType"),
            train_args=training.get("trainArgs"),
            retry_safe=True,  # a second start of the same model is refused with 409: safe
        )
    except ConflictError:
        status = dump(ctx.client.training.status(model_id))
        if status.get("status") not in ACTIVE:
            raise


def training_progress(status: Mapping[str, Any], label: str = "") -> Progress:
    """epoch k/n, ETA and cost so far, from a training status (``label`` goes first)."""
    progress = status.get("progress") or {}
    current, total = progress.get("currentEpoch") or 0, progress.get("totalEpochs") or 0
    eta_ms = (status.get("timing") or {}).get("etaMs")
    cost = status.get("costMicroUsd") or 0
    parts = [label] if label else []
    parts.append(f"epoch {current}/{total}" if total else str(status.get("status")))
    if eta_ms is not None:
        parts.append(f"ETA {_clock(eta_ms / 1000)}")
    parts.append(f"${cost / 1_000_000:.2f}")
    fraction = current / total if total else None
    return Progress(
        status=str(status.get("status")),
        fraction=fraction,
        message=" ".join(parts),
        detail={"epoch": current, "epochs": total, "etaMs": eta_ms, "costMicroUsd": cost},
    )


def wait_for_training(ctx: OperationContext, model_id: str, label: str = "") -> dict[str, Any]:
    """Poll the training until it completes; raise when it failed or was cancelled.

    ``label`` prefixes the progress message (a dependent waiting on its model's training).
    """

    def check() -> Poll:
        status = dump(ctx.client.training.status(model_id))
        state = status.get("status")
        if state == "completed":
            ctx.report(training_progress(status, label))
            return Poll(True, status)
        if state in ("failed", "cancelled") or not status:
            error = status.get("error") or state or "no training found"
            raise TrainingFailedError(f"training {state or 'missing'}: {error}")
        ctx.report(training_progress(status, label))
        return Poll(False, status)

    return poll_until(ctx, "training", check)


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
