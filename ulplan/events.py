"""What apply tells its audience while it works.

apply.py reports through this protocol; render/progress.py implements it for a
terminal (rich live display) and for logs (plain lines), and tests record the events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ulplan.changes import Action


@dataclass(frozen=True)
class Progress:
    """A long operation's progress: training epochs, export or deployment status."""

    status: str
    fraction: float | None = None  # 0..1 when known
    message: str = ""  # e.g. "epoch 3/10, ETA 0:42, cost $0.12"
    detail: dict[str, Any] = field(default_factory=dict)


class Reporter(Protocol):
    """Receives apply's events. Implementations must be thread-safe (apply is parallel)."""

    def started(self, address: str, action: Action) -> None:
        """Work on ``address`` began."""

    def progress(self, address: str, progress: Progress) -> None:
        """A waited-for operation moved on."""

    def finished(self, address: str, action: Action, resource_id: str | None) -> None:
        """``address`` reached its wanted state."""

    def failed(self, address: str, action: Action, error: str) -> None:
        """``address`` failed; its dependents will be skipped."""

    def skipped(self, address: str, action: Action, because: str) -> None:
        """``address`` was not attempted because a dependency failed."""

    def close(self) -> None:
        """Stop any live display; flush."""
