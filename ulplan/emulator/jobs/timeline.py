"""Where an emulated job stands at a given moment, computed from its start time.

Jobs are driven by the clock, not by ticks: every read computes the exact state from
the times recorded at start (and at cancel), so a read between two background ticks is
as precise as one right after. The stores persist the transitions this module finds
(and fire their side effects) once each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

TRAINING_ACTIVE = ("starting", "running")


@dataclass(frozen=True)
class TrainingPlan:
    """The fixed facts of a training job, recorded when it starts.

    ``startup_seconds`` is the emulated instance boot (status ``starting``);
    ``fail_epoch``, when set, is the epoch during which the job fails (1-based).
    """

    started: float
    startup_seconds: float
    epoch_seconds: float
    epochs: int
    fail_epoch: int | None = None
    cancelled: float | None = None


@dataclass(frozen=True)
class TrainingSnapshot:
    """A training job at one moment: status, finished epochs, and its timing."""

    status: str
    epochs_done: int
    billable_epochs: float  # GPU epochs used so far, fractional while one is under way
    elapsed_seconds: float
    eta_seconds: float
    ended_at: float | None  # clock time it reached its final status, None while active

    @property
    def active(self) -> bool:
        """True while the job is starting or running."""
        return self.status in TRAINING_ACTIVE


def training_at(plan: TrainingPlan, now: float) -> TrainingSnapshot:
    """The training job of ``plan`` as it stands at clock time ``now``."""
    end_epochs = plan.fail_epoch if plan.fail_epoch is not None else plan.epochs
    finish = plan.started + plan.startup_seconds + end_epochs * plan.epoch_seconds
    if plan.cancelled is not None and plan.cancelled < finish:
        return _frozen(plan, "cancelled", plan.cancelled)
    if now >= finish:
        return _frozen(plan, "completed" if plan.fail_epoch is None else "failed", finish)
    running = now - plan.started - plan.startup_seconds
    if running < 0:
        return TrainingSnapshot("starting", 0, 0.0, now - plan.started, _eta(plan, 0.0) - running, None)
    epochs_float = running / plan.epoch_seconds
    return TrainingSnapshot(
        "running", math.floor(epochs_float), epochs_float, now - plan.started, _eta(plan, epochs_float), None
    )


def _frozen(plan: TrainingPlan, status: str, at: float) -> TrainingSnapshot:
    """A job that stopped at clock time ``at``: its numbers stay as they were then."""
    epochs_float = min(max(at - plan.started - plan.startup_seconds, 0.0) / plan.epoch_seconds, plan.epochs)
    done = plan.epochs if status == "completed" else min(math.floor(epochs_float), plan.epochs)
    if status == "failed" and plan.fail_epoch is not None:
        done = plan.fail_epoch - 1  # the epoch that crashed did not finish
    return TrainingSnapshot(status, done, epochs_float, at - plan.started, 0.0, at)


def _eta(plan: TrainingPlan, epochs_float: float) -> float:
    """Seconds until the planned last epoch ends (a failure is not foreseen)."""
    return max(plan.epochs - epochs_float, 0.0) * plan.epoch_seconds


@dataclass(frozen=True)
class StepTimeline:
    """A job that walks through ``statuses``, one every ``step_seconds`` from ``started``.

    The last status is final. Exports (queued, starting, running, completed) and the
    phases of a deployment (creating, deploying, ready) are such timelines.
    """

    started: float
    step_seconds: float
    statuses: tuple[str, ...]

    def index_at(self, now: float) -> int:
        """The index of the status at clock time ``now``."""
        if self.step_seconds <= 0:
            return len(self.statuses) - 1
        steps = math.floor(max(now - self.started, 0.0) / self.step_seconds)
        return min(steps, len(self.statuses) - 1)

    def status_at(self, now: float) -> str:
        """The status at clock time ``now``."""
        return self.statuses[self.index_at(now)]

    def reached_at(self, index: int) -> float:
        """The clock time the status at ``index`` began."""
        return self.started + index * self.step_seconds

    @property
    def finished_at(self) -> float:
        """The clock time the final status is reached."""
        return self.reached_at(len(self.statuses) - 1)
