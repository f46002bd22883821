"""Emulated training jobs: epochs over time, metrics, GPU billing, failure and cancel.

Emulation: nothing is trained. A job records its start time and pace; its status,
epoch and cost at any moment follow from the clock (``jobs.timeline``). Each epoch lasts
``epoch_seconds`` of wall time but is *billed* as the GPU time it would plausibly take
(``jobs.gpus.epoch_gpu_seconds``: image size and GPU speed). Starting reserves the
estimate; the end settles the actual cost and frees the rest. A share of jobs
(``fail_training_rate``) fails at a seeded, per-job epoch. A completed job gives the model
a small checkpoint-shaped weights file, so its files, exports and deployments work.
Trashing a model cancels its active run (billed for what ran); purging it drops its runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from ulplan.emulator import ids
from ulplan.emulator.db import dumps
from ulplan.emulator.errors import Conflict, NotFound, PlatformFault
from ulplan.emulator.jobs import artifacts, gpus
from ulplan.emulator.jobs.curves import metrics_at
from ulplan.emulator.jobs.rows import insert_sql, update_sql
from ulplan.emulator.jobs.timeline import TrainingSnapshot, training_at
from ulplan.emulator.jobs.training_view import cost_so_far, plan_of, render
from ulplan.emulator.store.base import Row, SubStore, field_error

MIN_EPOCHS, MAX_EPOCHS = 1, 10_000
MIN_IMAGE_SIZE, MAX_IMAGE_SIZE, DEFAULT_IMAGE_SIZE = 32, 8192, 640
MAX_EPOCH_EVENTS = 10  # per advance: a long pause (a restart) must not flood the webhook
FAILURES = (
    "CUDA out of memory while training (emulated failure)",
    "Training diverged: loss became NaN (emulated failure)",
    "The GPU instance was preempted (emulated failure)",
)

Event = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class TrainingRequest:
    """What ``POST /api/training/start`` asks for (validated by ``TrainingStore.start``)."""

    model_id: str
    dataset_id: str
    epochs: int
    image_size: int = DEFAULT_IMAGE_SIZE
    gpu_type: str = gpus.DEFAULT_GPU
    train_args: dict[str, Any] | None = None


class TrainingStore(SubStore):
    """Emulated training jobs, one row per run (a model may be trained again)."""

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS training_jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        model_name TEXT NOT NULL,
        task TEXT NOT NULL,
        dataset_id TEXT NOT NULL,
        epochs INTEGER NOT NULL,
        image_size INTEGER NOT NULL,
        gpu_type TEXT NOT NULL,
        train_args TEXT NOT NULL,
        status TEXT NOT NULL,
        epochs_reported INTEGER NOT NULL DEFAULT 0,
        started REAL NOT NULL,
        startup_seconds REAL NOT NULL,
        epoch_seconds REAL NOT NULL,
        fail_epoch INTEGER,
        cancelled REAL,
        estimate INTEGER NOT NULL,
        cost INTEGER,
        error TEXT,
        started_at TEXT NOT NULL,
        completed_at TEXT
    );
    CREATE INDEX IF NOT EXISTS training_model ON training_jobs(model_id, seq);
    CREATE INDEX IF NOT EXISTS training_status ON training_jobs(status);
    """

    # Starting ----------------------------------------------------------------------

    def start(self, account_id: str, request: TrainingRequest) -> dict[str, Any]:
        """Start training: 404 for an unknown model or dataset, 409 when one is active,
        402 when the balance cannot cover the estimate (which is reserved)."""
        gpu = _checked(request)
        job_id = ids.new_id("training")
        estimate = gpus.cost_micro_usd(gpu, request.image_size, request.epochs)
        events: list[Event] = []
        with self.db.transaction() as conn:
            model = self.store.models.get_row(account_id, request.model_id)
            dataset = self.store.datasets.get_row(account_id, request.dataset_id)
            if dataset["task"] != model["task"]:
                raise field_error(
                    "datasetId", f"a {dataset['task']} dataset cannot train a {model['task']} model"
                )
            latest = self._latest(request.model_id)
            if latest is not None and self._advance(latest, events).active:
                raise Conflict(f"Model {request.model_id} is already training", {"modelId": request.model_id})
            self.store.billing.reserve(account_id, estimate, job_id)
            conn.execute(
                *insert_sql("training_jobs", self._job_columns(job_id, model, dataset, request, estimate))
            )
            self.store.models.set_training_fields(
                model["id"], status="starting", datasetId=dataset["id"], epochs=request.epochs, metrics=None
            )
            message = f"Training started: {request.epochs} epochs on {gpu.name}"
            self._record(account_id, model["id"], model["name"], "started", message)
            events.append(("training.started", {"modelId": model["id"], "jobId": job_id, "gpuType": gpu.id}))
            self._emit(events)
        return {
            "modelId": model["id"],
            "status": "starting",
            "gpuType": gpu.id,
            "estimatedCost": {
                "pricePerHour": gpu.price_per_hour,
                "costMicroUsd": estimate,
                "gpuMemoryGb": gpu.memory_gb,
            },
        }

    def _job_columns(
        self, job_id: str, model: Row, dataset: Row, request: TrainingRequest, estimate: int
    ) -> dict[str, Any]:
        """The new run's row: what was asked, and the pace and fate fixed at its start."""
        return {
            "id": job_id,
            "account_id": model["account_id"],
            "model_id": model["id"],
            "model_name": model["name"],
            "task": model["task"],
            "dataset_id": dataset["id"],
            "epochs": request.epochs,
            "image_size": request.image_size,
            "gpu_type": request.gpu_type,
            "train_args": dumps(request.train_args or {}),
            "status": "starting",
            "started": self.clock.now(),
            # The pace is recorded per run so a restart with other flags does not warp it.
            "startup_seconds": max(self.config.job_seconds, 0.0),
            "epoch_seconds": max(self.config.epoch_seconds, 0.001),
            "fail_epoch": self._fail_epoch(job_id, request.epochs),
            "estimate": estimate,
            "started_at": self.clock.iso(),
        }

    def _fail_epoch(self, job_id: str, epochs: int) -> int | None:
        """Whether this job fails and in which epoch: seeded by the job id, so reproducible."""
        rng = random.Random(job_id)
        if rng.random() >= self.config.fail_training_rate:
            return None
        return rng.randint(1, epochs)

    # Reading -----------------------------------------------------------------------

    def status(self, account_id: str, model_id: str) -> dict[str, Any] | None:
        """``GET /api/models/{id}/training``: the latest run, or None if never trained."""
        self.store.models.get_row(account_id, model_id)
        row = self._advance_latest(model_id)
        return None if row is None else render(row, training_at(plan_of(row), self.clock.now()))

    def gpu_types(self) -> list[dict[str, Any]]:
        """The GPU catalogue (``GET /api/training/gpu-types``)."""
        return [gpu.as_api() for gpu in gpus.GPU_TYPES]

    # Cancelling --------------------------------------------------------------------

    def cancel(self, account_id: str, model_id: str) -> dict[str, Any]:
        """Cancel the active run: it is billed for the GPU time used so far; 409 when none is active."""
        self.store.models.get_row(account_id, model_id)
        if not self._cancel_latest(model_id):
            raise Conflict(f"Model {model_id} has no active training to cancel", {"modelId": model_id})
        row = self._latest(model_id)
        assert row is not None
        return render(row, training_at(plan_of(row), self.clock.now()))

    def on_model_purged(self, model_id: str) -> None:
        """The model is being deleted for good: settle an active run, then forget its runs."""
        self._advance_latest(model_id)  # a trashed model's active run is cancelled and billed
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM training_jobs WHERE model_id = ?", (model_id,))

    def _cancel_latest(self, model_id: str) -> bool:
        """Cancel the model's latest run if it is still active now; False when it is not."""
        events: list[Event] = []
        with self.db.transaction() as conn:
            row = self._latest(model_id)
            if row is None or not self._advance(row, events).active:
                cancelled = False
            else:
                conn.execute(
                    "UPDATE training_jobs SET cancelled = ? WHERE id = ?", (self.clock.now(), row["id"])
                )
                self._advance(self._row(row["id"]), events)
                cancelled = True
            self._emit(events)
        return cancelled

    # Advancing ---------------------------------------------------------------------

    def tick(self) -> None:
        """Bring every active job up to the present (background ticker)."""
        for row in self.db.query(
            "SELECT model_id FROM training_jobs WHERE status IN ('starting', 'running')"
        ):
            self._advance_latest(row["model_id"])

    def _advance_latest(self, model_id: str) -> Row | None:
        """Advance the model's latest run, announce what happened, and return the run's
        fresh row (None: never trained)."""
        events: list[Event] = []
        with self.db.transaction():
            row = self._latest(model_id)
            if row is not None:
                self._advance(row, events)
                row = self._row(row["id"])
            self._emit(events)
        return row

    def _advance(self, row: Row, events: list[Event]) -> TrainingSnapshot:
        """Persist what happened since the row was last advanced, once; return the present.

        Webhook events go to ``events``; the caller emits them as the last step of its
        transaction (see ``_emit``).
        """
        with self.db.transaction():
            if (
                row["status"] in ("starting", "running")
                and row["cancelled"] is None
                and self._model_gone(row)
            ):
                # Trashing a model stops its training, as deleting the work it feeds would.
                self._set(row, cancelled=self.clock.now())
                row = self._row(row["id"])
            snapshot = training_at(plan_of(row), self.clock.now())
            if row["status"] == "starting" and snapshot.status in ("running", "completed", "failed"):
                self._set(row, status="running")
                self.store.models.set_training_fields(row["model_id"], status="running")
            if row["status"] in ("starting", "running"):
                self._report_epochs(row, snapshot, events)
                if not snapshot.active:
                    self._finish(self._row(row["id"]), snapshot, events)
        return snapshot

    def _model_gone(self, row: Row) -> bool:
        """True when the run's model is in the trash or deleted."""
        live = self.db.query_one(
            "SELECT 1 FROM models WHERE id = ? AND trashed_at IS NULL", (row["model_id"],)
        )
        return live is None

    def _emit(self, events: list[Event]) -> None:
        """Queue webhook events as the last step of the transaction that persisted them:
        still under the database lock, so they leave in the order things happened, and a
        change rolled back before this point announces nothing."""
        for event, data in events:
            self.store.webhooks.emit(event, data)

    def _report_epochs(self, row: Row, snapshot: TrainingSnapshot, events: list[Event]) -> None:
        """Epochs finished since the last report: model metrics follow, webhooks announce them."""
        done = snapshot.epochs_done
        if done <= row["epochs_reported"]:
            return
        self._set(row, epochs_reported=done)
        metrics = metrics_at(row["model_id"], done, row["epochs"], row["task"])
        self.store.models.set_training_fields(row["model_id"], metrics=metrics)
        first = max(row["epochs_reported"] + 1, done - MAX_EPOCH_EVENTS + 1)
        for epoch in range(first, done + 1):
            data = {"modelId": row["model_id"], "epoch": epoch, "totalEpochs": row["epochs"]}
            metrics = metrics_at(row["model_id"], epoch, row["epochs"], row["task"])
            events.append(("training.epoch", data | {"metrics": metrics}))

    def _finish(self, row: Row, snapshot: TrainingSnapshot, events: list[Event]) -> None:
        """Settle a job that reached its final status: billing, model, weights, activity, events."""
        cost = cost_so_far(row, snapshot)
        metrics = metrics_at(row["model_id"], snapshot.epochs_done, row["epochs"], row["task"])
        status, error = self._outcome(row, snapshot, metrics)
        description = f"Training {row['model_name']} ({row['gpu_type']})"
        self.store.billing.settle(row["account_id"], row["id"], cost, description)
        ended = {"status": status, "cost": cost, "completed_at": self.clock.iso(snapshot.ended_at)}
        self._set(row, **ended, error=dumps(error) if error else None)
        self.store.models.set_training_fields(row["model_id"], status=status, metrics=metrics)
        message = f"Training {status} after {snapshot.epochs_done}/{row['epochs']} epochs"
        message += f"; cost ${cost / gpus.MICRO_USD:.2f}"
        self._record(row["account_id"], row["model_id"], row["model_name"], status, message)
        data = {"modelId": row["model_id"], "jobId": row["id"], "status": status, "costMicroUsd": cost}
        if status == "completed":
            events.append(("training.completed", data | {"metrics": metrics}))
        elif status == "failed":
            events.append(("training.failed", data | {"error": error}))

    def _outcome(
        self, row: Row, snapshot: TrainingSnapshot, metrics: dict[str, float]
    ) -> tuple[str, dict[str, Any] | None]:
        """The final status and error: a completed run whose weights cannot be stored fails."""
        if snapshot.status == "completed":
            error = self._save_weights(row, metrics)
            return ("failed", error) if error else ("completed", None)
        if snapshot.status == "failed":
            message = FAILURES[random.Random(row["id"]).randrange(len(FAILURES))]
            return "failed", {"message": message, "epoch": row["fail_epoch"]}
        return snapshot.status, None

    def _save_weights(self, row: Row, metrics: dict[str, float]) -> dict[str, Any] | None:
        """Store the trained weights through the blobs (replacing earlier weights); an error if not."""
        content = artifacts.checkpoint_bytes(row["model_id"], row["id"], row["epochs"], metrics)
        existing = self.store.blobs.files_of("model", row["model_id"])
        name = existing[0]["name"] if existing else "best.pt"
        try:
            blob = self.store.blobs.save_stream(row["account_id"], "model", row["model_id"], name, [content])
        except PlatformFault as exc:  # e.g. 413: the trained weights do not fit in the storage left
            return {"message": f"The trained weights could not be saved: {exc.message}", "code": exc.code}
        self.store.models.set_training_fields(row["model_id"], fileSize=blob.size, fileSha256=blob.sha256)
        return None

    # Rows --------------------------------------------------------------------------

    def _latest(self, model_id: str) -> Row | None:
        return self.db.query_one(
            "SELECT * FROM training_jobs WHERE model_id = ? ORDER BY seq DESC LIMIT 1", (model_id,)
        )

    def _row(self, job_id: str) -> Row:
        row = self.db.query_one("SELECT * FROM training_jobs WHERE id = ?", (job_id,))
        if row is None:
            raise NotFound(f"No training job {job_id}")
        return row

    def _set(self, row: Row, **columns: Any) -> None:
        with self.db.transaction() as conn:
            conn.execute(*update_sql("training_jobs", row["id"], columns))

    def _record(self, account_id: str, model_id: str, name: str, action: str, message: str) -> None:
        self.store.activity.record(account_id, action, "model", model_id, name, message)

    def export_rows(self, account_id: str) -> list[dict[str, Any]]:
        """Every training run of the account (GDPR export)."""
        rows = self.db.query("SELECT * FROM training_jobs WHERE account_id = ? ORDER BY seq", (account_id,))
        now = self.clock.now()
        return [render(row, training_at(plan_of(row), now)) for row in rows]


def _checked(request: TrainingRequest) -> gpus.GpuType:
    """Validate the request's numbers and GPU; return the GPU's catalogue entry."""
    if not MIN_EPOCHS <= request.epochs <= MAX_EPOCHS:
        raise field_error("epochs", f"must be between {MIN_EPOCHS} and {MAX_EPOCHS}")
    if not MIN_IMAGE_SIZE <= request.image_size <= MAX_IMAGE_SIZE:
        raise field_error("imageSize", f"must be between {MIN_IMAGE_SIZE} and {MAX_IMAGE_SIZE}")
    gpu = gpus.gpu_type(request.gpu_type)
    if gpu is None:
        raise field_error("gpuType", f"unknown GPU type; choose one of {', '.join(gpus.GPU_IDS)}")
    return gpu
