"""Waiting for long operations: polling with backoff, a deadline, and Ctrl-C.

Training, exports and deployments finish on the platform's schedule. Each kind says what
"done" and "failed" mean by a ``check`` function; this module only polls it, gently
(the interval grows to a ceiling so long waits cost few requests), gives up at the
deadline, and stops at once when apply is interrupted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ulplan.resources.base import Interrupted, OperationContext, WaitTimeoutError

MAX_POLL_SECONDS = 5.0

DEFAULT_TIMEOUTS: dict[str, float] = {
    "training": 2 * 3600.0,
    "export": 30 * 60.0,
    "deployment": 15 * 60.0,
}


@dataclass(frozen=True)
class Poll:
    """One look at a long operation: finished or not, and the object seen."""

    done: bool
    value: dict[str, Any]


def poll_until(ctx: OperationContext, what: str, check: Callable[[], Poll]) -> dict[str, Any]:
    """Call ``check`` until it says done; raise on timeout or interruption.

    ``what`` names the wait (``training``, ``export``, ``deployment``) and picks its timeout.

    ``check`` raises itself when the operation failed on the platform.
    """
    timeout = ctx.timeouts.get(what, DEFAULT_TIMEOUTS.get(what, 3600.0))
    deadline = time.monotonic() + timeout
    interval = ctx.poll_seconds
    while True:
        result = check()
        if result.done:
            return result.value
        if ctx.stop.is_set():
            raise Interrupted(f"stopped waiting for {what} (interrupted)")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WaitTimeoutError(
                f"{what} did not finish within {format_duration(timeout)} (raise it with --timeout)"
            )
        # Event.wait rather than sleep: Ctrl-C ends the wait at once.
        ctx.stop.wait(min(interval, remaining))
        interval = min(interval * 1.5, max(ctx.poll_seconds, MAX_POLL_SECONDS))


def format_duration(seconds: float) -> str:
    """``5400`` -> ``1h30m``; ``42`` -> ``42s``."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{secs}s" if secs else ""]
    return "".join(parts) or "0s"


def parse_duration(text: str) -> float:
    """``90``, ``90s``, ``30m``, ``2h``, ``1h30m`` -> seconds."""
    text = text.strip().lower()
    if not text:
        raise ValueError("empty duration")
    total, number = 0.0, ""
    for char in text:
        if char.isdigit() or char == ".":
            number += char
            continue
        if char not in "hms" or not number:
            raise ValueError(f"bad duration {text!r}: use e.g. 90s, 30m, 2h or 1h30m")
        total += float(number) * {"h": 3600, "m": 60, "s": 1}[char]
        number = ""
    if number:
        total += float(number)
    if total <= 0:
        raise ValueError(f"bad duration {text!r}: must be positive")
    return total


def parse_timeouts(values: tuple[str, ...] | list[str]) -> dict[str, float]:
    """``--timeout`` values: one duration for all kinds, or ``kind=duration`` pairs."""
    timeouts = dict(DEFAULT_TIMEOUTS)
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            kind, sep, duration = part.partition("=")
            if not sep:
                seconds = parse_duration(kind)
                timeouts = dict.fromkeys(timeouts, seconds)
                continue
            kind = kind.strip()
            if kind not in DEFAULT_TIMEOUTS:
                known = ", ".join(DEFAULT_TIMEOUTS)
                raise ValueError(f"unknown timeout kind {kind!r}: choose from {known}")
            timeouts[kind] = parse_duration(duration)
    return timeouts
