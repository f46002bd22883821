"""The end of an apply: what happened to each resource, and the closing summary line."""

from __future__ import annotations

import enum
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from ulplan.changes import Action
from ulplan.events import Progress, Reporter


class Outcome(enum.StrEnum):
    """How one resource's work ended."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"


class ResultLike(Protocol):
    """What render_apply_summary reads from a result (ApplyResult has it; so may apply's own)."""

    @property
    def address(self) -> str: ...
    @property
    def action(self) -> Action: ...
    @property
    def outcome(self) -> str: ...
    @property
    def error(self) -> str | None: ...


@dataclass(frozen=True)
class ApplyResult:
    """The outcome of one resource: ``error`` is the failure, or for a skip the reason."""

    address: str
    action: Action
    outcome: Outcome
    resource_id: str | None = None
    error: str | None = None


_COUNTED = ((Action.CREATE, "added"), (Action.UPDATE, "changed"), (Action.REPLACE, "replaced"))


def render_apply_summary(results: Iterable[ResultLike], destroy: bool = False) -> str:
    """``Apply complete! Resources: 2 added, 1 changed, 0 replaced, 0 destroyed.`` or the failures.

    A failed run lists each failed address with its error and the skipped ones with why.
    """
    items = list(results)
    done = [r for r in items if r.outcome == Outcome.SUCCEEDED]
    failed = [r for r in items if r.outcome == Outcome.FAILED]
    skipped = [r for r in items if r.outcome == Outcome.SKIPPED]
    tally = _tally(done, destroy)
    if not failed and not skipped:
        return f"{'Destroy' if destroy else 'Apply'} complete! Resources: {tally}."
    lines = [
        f"{'Destroy' if destroy else 'Apply'} failed: {len(failed)} failed, {len(skipped)} skipped. "
        f"Resources: {tally}."
    ]
    lines += [f"  ✗ {r.address} ({r.action.value}): {r.error or 'failed'}" for r in failed]
    lines += [f"  - {r.address} skipped: {r.error or 'not started'}" for r in skipped]
    return "\n".join(lines)


def _tally(done: list[ResultLike], destroy: bool) -> str:
    destroyed = sum(1 for r in done if r.action is Action.DELETE)
    if destroy:
        return f"{destroyed} destroyed"
    counted = [f"{sum(1 for r in done if r.action is action)} {word}" for action, word in _COUNTED]
    return ", ".join([*counted, f"{destroyed} destroyed"])


class RecordingReporter:
    """Forwards events to another reporter and keeps an ApplyResult per address for the summary."""

    def __init__(self, inner: Reporter | None = None) -> None:
        self._inner = inner
        self._lock = threading.Lock()
        self._results: dict[str, ApplyResult] = {}

    def results(self) -> list[ApplyResult]:
        """Outcomes in the order they happened."""
        with self._lock:
            return list(self._results.values())

    def started(self, address: str, action: Action) -> None:
        """Forward."""
        if self._inner:
            self._inner.started(address, action)

    def progress(self, address: str, progress: Progress) -> None:
        """Forward."""
        if self._inner:
            self._inner.progress(address, progress)

    def finished(self, address: str, action: Action, resource_id: str | None) -> None:
        """Record success and forward."""
        self._record(ApplyResult(address, action, Outcome.SUCCEEDED, resource_id=resource_id))
        if self._inner:
            self._inner.finished(address, action, resource_id)

    def failed(self, address: str, action: Action, error: str) -> None:
        """Record the failure and forward."""
        self._record(ApplyResult(address, action, Outcome.FAILED, error=error))
        if self._inner:
            self._inner.failed(address, action, error)

    def skipped(self, address: str, action: Action, because: str) -> None:
        """Record the skip and forward."""
        self._record(ApplyResult(address, action, Outcome.SKIPPED, error=because))
        if self._inner:
            self._inner.skipped(address, action, because)

    def close(self) -> None:
        """Close the inner reporter."""
        if self._inner:
            self._inner.close()

    def _record(self, result: ApplyResult) -> None:
        with self._lock:
            self._results.pop(result.address, None)
            self._results[result.address] = result
