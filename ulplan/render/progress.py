"""Apply's progress for people: a live display on a terminal, plain log lines elsewhere.

Both implement ulplan.events.Reporter and are thread-safe: apply reports from parallel
worker threads. rich is imported only by LiveReporter, i.e. only on a terminal.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from ulplan.changes import Action
from ulplan.events import Progress, Reporter
from ulplan.render.summary import ApplyResult, Outcome, RecordingReporter, render_apply_summary

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.live import Live

__all__ = [
    "ApplyResult",
    "LiveReporter",
    "LogReporter",
    "Outcome",
    "RecordingReporter",
    "make_reporter",
    "render_apply_summary",
]

# Terraform's words, so logs read the same as theirs: "Creating...", "Creation complete after 3s".
ONGOING = {
    Action.CREATE: "Creating",
    Action.UPDATE: "Modifying",
    Action.REPLACE: "Replacing",
    Action.DELETE: "Destroying",
    Action.READ: "Reading",
    Action.NOOP: "Checking",
}
DONE = {
    Action.CREATE: "Creation complete",
    Action.UPDATE: "Modifications complete",
    Action.REPLACE: "Replacement complete",
    Action.DELETE: "Destruction complete",
    Action.READ: "Read complete",
    Action.NOOP: "Check complete",
}


BAR_WIDTH = 24


def elapsed(seconds: float) -> str:
    """``75.2`` -> ``1m15s``; ``3.9`` -> ``3s``."""
    whole = int(seconds)
    return f"{whole // 60}m{whole % 60}s" if whole >= 60 else f"{whole}s"


def describe_progress(progress: Progress) -> str:
    """One line for a progress event: its message, else its status (and percentage when known)."""
    text = progress.message or progress.status
    if progress.fraction is not None and not progress.message:
        text += f" {progress.fraction:.0%}"
    return text


class LogReporter:
    """Plain lines on a stream (stderr by default), for CI logs and pipes.

    A resource gets at most one progress line per ``interval`` seconds, except when its
    status changes to something that reads differently (queued -> running is worth a
    line at once; a status change with the same message is not).
    """

    def __init__(
        self,
        stream: IO[str] | None = None,
        interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._started: dict[str, float] = {}
        self._last: dict[str, tuple[float, str, str]] = {}

    def started(self, address: str, action: Action) -> None:
        """``model.x: Creating...``"""
        with self._lock:
            self._started[address] = self._clock()
            self._write(f"{address}: {ONGOING[action]}...")

    def progress(self, address: str, progress: Progress) -> None:
        """A progress line, rate-limited per resource."""
        with self._lock:
            now, text = self._clock(), describe_progress(progress)
            last = self._last.get(address)
            if last is not None:
                due = now - last[0] >= self._interval
                news = last[1] != progress.status and last[2] != text
                if not (due or news):
                    return
            self._last[address] = (now, progress.status, text)
            self._write(f"{address}: {text} [{self._since(address, now)} elapsed]")

    def finished(self, address: str, action: Action, resource_id: str | None) -> None:
        """``model.x: Creation complete after 3s [id=model_1]``"""
        with self._lock:
            ident = f" [id={resource_id}]" if resource_id else ""
            self._write(f"{address}: {DONE[action]} after {self._since(address, self._clock())}{ident}")

    def failed(self, address: str, action: Action, error: str) -> None:
        """``model.x: create failed: ...``"""
        with self._lock:
            self._write(f"{address}: {action.value} failed: {error}")

    def skipped(self, address: str, action: Action, because: str) -> None:
        """``export.y: skipped (...)``"""
        with self._lock:
            self._write(f"{address}: {action.value} skipped ({because})")

    def close(self) -> None:
        """Flush the stream."""
        with self._lock:
            self._out().flush()

    def _since(self, address: str, now: float) -> str:
        return elapsed(now - self._started.get(address, now))

    def _out(self) -> IO[str]:
        return self._stream if self._stream is not None else sys.stderr

    def _write(self, line: str) -> None:
        out = self._out()
        out.write(line + "\n")
        out.flush()


@dataclass
class _InFlight:
    action: Action
    since: float
    progress: Progress | None = None
    spinner: RenderableType = ""  # one per resource: a fresh Spinner each frame would never turn


class LiveReporter:
    """A rich live display: one line per resource in flight, finished ones printed above it.

    Locking: ``_lock`` guards only the in-flight table and is never held while calling
    into rich, because rich's refresh thread calls back into ``_renderable`` while
    holding its own locks; ``_start_lock`` serialises starting and stopping the display.
    """

    def __init__(self, console: Console | None = None) -> None:
        from rich.console import Console

        self._console = console if console is not None else Console(stderr=True)
        self._lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._in_flight: dict[str, _InFlight] = {}
        self._live: Live | None = None
        self._closed = False

    def started(self, address: str, action: Action) -> None:
        """Add a line for ``address`` (and start the display on the first one)."""
        from rich.spinner import Spinner

        entry = _InFlight(action=action, since=time.monotonic(), spinner=Spinner("dots", style="cyan"))
        with self._lock:
            self._in_flight[address] = entry
        self._ensure_live()

    def progress(self, address: str, progress: Progress) -> None:
        """Update the line of ``address``; the display refreshes on its own."""
        with self._lock:
            entry = self._in_flight.get(address)
            if entry is not None:
                entry.progress = progress

    def finished(self, address: str, action: Action, resource_id: str | None) -> None:
        """Print ``✓ address: Creation complete after 3s [id=...]`` above the display."""
        ident = f" [id={resource_id}]" if resource_id else ""
        self._done(address, "✓", "green", f"{address}: {DONE[action]} after {{elapsed}}{ident}")

    def failed(self, address: str, action: Action, error: str) -> None:
        """Print the failure above the display."""
        self._done(address, "✗", "red", f"{address}: {action.value} failed: {error}")

    def skipped(self, address: str, action: Action, because: str) -> None:
        """Print the skip above the display."""
        self._done(address, "-", "yellow", f"{address}: {action.value} skipped ({because})")

    def close(self) -> None:
        """Stop the live display (idempotent)."""
        with self._start_lock:
            self._closed = True
            live, self._live = self._live, None
            if live is not None:
                live.stop()

    def _done(self, address: str, symbol: str, style: str, message: str) -> None:
        from rich.text import Text

        with self._lock:
            entry = self._in_flight.pop(address, None)
        took = elapsed(time.monotonic() - entry.since) if entry else "0s"
        # Text, not markup: errors and ids may hold brackets that markup would swallow.
        line = Text.assemble((symbol, style), " ", message.replace("{elapsed}", took))
        self._console.print(line, highlight=False)

    def _ensure_live(self) -> None:
        with self._start_lock:
            if self._live is not None or self._closed:
                return
            from rich.live import Live

            live = Live(
                console=self._console, get_renderable=self._renderable, refresh_per_second=8, transient=True
            )
            live.start()
            self._live = live

    def _renderable(self) -> RenderableType:
        from rich.table import Table

        with self._lock:
            snapshot = list(self._in_flight.items())
        grid = Table.grid(padding=(0, 1))
        # One line per resource whatever the terminal width: the status is cut, never the address.
        address_width = max((len(address) for address, _ in snapshot), default=0)
        bar_width = BAR_WIDTH if any(_fraction(entry) is not None for _, entry in snapshot) else 0
        status_width = max(12, self._console.width - address_width - bar_width - 6)
        grid.add_column(no_wrap=True, width=1)
        grid.add_column(no_wrap=True, min_width=address_width)
        grid.add_column(no_wrap=True, width=bar_width)
        grid.add_column(no_wrap=True, overflow="ellipsis", max_width=status_width)
        for address, entry in snapshot:
            grid.add_row(*_flight_row(address, entry))
        return grid


def _fraction(entry: _InFlight) -> float | None:
    return entry.progress.fraction if entry.progress is not None else None


def _flight_row(address: str, entry: _InFlight) -> list[RenderableType]:
    from rich.progress_bar import ProgressBar

    took = elapsed(time.monotonic() - entry.since)
    progress = entry.progress
    bar: RenderableType = ""
    fraction = _fraction(entry)
    if fraction is not None:
        bar = ProgressBar(total=1.0, completed=max(0.0, min(1.0, fraction)), width=BAR_WIDTH)
    status = describe_progress(progress) if progress is not None else f"{ONGOING[entry.action]}..."
    return [entry.spinner, address, bar, f"{status} [{took}]"]


def make_reporter(stream_is_tty: bool, color: bool) -> Reporter:
    """A live display on a terminal, plain log lines otherwise (both on stderr)."""
    if not stream_is_tty:
        return LogReporter()
    from rich.console import Console

    return LiveReporter(Console(stderr=True, no_color=not color, highlight=False))
