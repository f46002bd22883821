"""Request accounting: what the client really sent, for benchmarks and plan checks."""

from __future__ import annotations

import threading
from collections import Counter


class RequestStats:
    """Counts of requests actually put on the wire by one client (thread-safe).

    ``requests_by_method`` counts every attempt, retries included; ``retries`` counts
    the attempts after the first; ``rate_limited`` counts 429 answers received (a well
    paced client keeps it at zero).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_method: Counter[str] = Counter()
        self._retries = 0
        self._rate_limited = 0

    @property
    def requests_by_method(self) -> dict[str, int]:
        """A snapshot: method -> number of requests sent."""
        with self._lock:
            return dict(self._by_method)

    @property
    def total(self) -> int:
        """All requests sent, whatever their method."""
        with self._lock:
            return sum(self._by_method.values())

    @property
    def retries(self) -> int:
        """Attempts made after a first one failed."""
        with self._lock:
            return self._retries

    @property
    def rate_limited(self) -> int:
        """429 answers received."""
        with self._lock:
            return self._rate_limited

    def record_attempt(self, method: str) -> None:
        """Count one request about to be sent."""
        with self._lock:
            self._by_method[method] += 1

    def record_retry(self) -> None:
        """Count one decision to try a failed request again."""
        with self._lock:
            self._retries += 1

    def record_rate_limited(self) -> None:
        """Count one 429 answer."""
        with self._lock:
            self._rate_limited += 1

    def reset(self) -> None:
        """Start counting from zero again."""
        with self._lock:
            self._by_method.clear()
            self._retries = 0
            self._rate_limited = 0

    def __repr__(self) -> str:
        return (
            f"RequestStats(requests_by_method={self.requests_by_method}, "
            f"retries={self.retries}, rate_limited={self.rate_limited})"
        )
