"""How a stored training run reads: its timeline plan and its API view (pure functions)."""

from __future__ import annotations

import sqlite3
from typing import Any

from ulplan.emulator.db import loads
from ulplan.emulator.jobs import gpus
from ulplan.emulator.jobs.curves import metrics_at
from ulplan.emulator.jobs.timeline import TrainingPlan, TrainingSnapshot


def plan_of(row: sqlite3.Row) -> TrainingPlan:
    """The fixed facts of a stored run, for the timeline."""
    return TrainingPlan(
        started=row["started"],
        startup_seconds=row["startup_seconds"],
        epoch_seconds=row["epoch_seconds"],
        epochs=row["epochs"],
        fail_epoch=row["fail_epoch"],
        cancelled=row["cancelled"],
    )


def render(row: sqlite3.Row, snapshot: TrainingSnapshot) -> dict[str, Any]:
    """A training run as ``GET /api/models/{id}/training`` shows it (numbers from ``snapshot``)."""
    # The status is the persisted one: a run shows "completed" only once its weights exist.
    status = row["status"]
    finished = status not in ("starting", "running")
    done = snapshot.epochs_done
    cost = row["cost"] if finished else cost_so_far(row, snapshot)
    return {
        "id": row["id"],
        "modelId": row["model_id"],
        "status": status,
        "progress": {
            "currentEpoch": done,
            "totalEpochs": row["epochs"],
            "percentage": round(100 * done / row["epochs"], 2),
        },
        "timing": {
            "elapsedMs": round(snapshot.elapsed_seconds * 1000),
            "etaMs": round(snapshot.eta_seconds * 1000),
            "timePerEpochMs": round(row["epoch_seconds"] * 1000),
        },
        "gpuType": row["gpu_type"],
        "datasetId": row["dataset_id"],
        "epochs": row["epochs"],
        "imageSize": row["image_size"],
        "trainArgs": loads(row["train_args"]),
        "metrics": metrics_at(row["model_id"], done, row["epochs"], row["task"]) if done else {},
        "error": loads(row["error"]),
        "costMicroUsd": cost,
        "estimatedCostMicroUsd": row["estimate"],
        "startedAt": row["started_at"],
        "completedAt": row["completed_at"],
        "emulated": True,
    }


def cost_so_far(row: sqlite3.Row, snapshot: TrainingSnapshot) -> int:
    """What the run has used, in micro-USD: its GPU's price for the epochs under way or done."""
    gpu = gpus.gpu_type(row["gpu_type"]) or gpus.gpu_type(gpus.DEFAULT_GPU)
    assert gpu is not None
    return gpus.cost_micro_usd(gpu, row["image_size"], snapshot.billable_epochs)
