"""Time, injectable so tests and job simulators agree on "now"."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    """Wall-clock time; subclass in tests to move time by hand."""

    def now(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    def iso(self, at: float | None = None) -> str:
        """ISO 8601 UTC with milliseconds, as the API's timestamps."""
        moment = datetime.fromtimestamp(self.now() if at is None else at, tz=UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
