"""Client-side pacing from the platform's ``X-RateLimit-*`` headers.

Every answer says how many requests are left in the key's window (``Remaining``) and
when the window resets (``Reset``, epoch seconds). A ``RateLimiter`` keeps the latest
of those per key and makes each request reserve a permit before it is sent: while the
window has room the request goes at once; when the window is spent it waits for the
reset instead of sending a request the platform would refuse with 429.

Reservations count requests in flight, so ten threads sharing the last two permits
send two requests and wait, rather than ten. Until the first answer says what the
window holds, one request at a time goes out to learn it (an answer without the headers
means no limit applies, and requests then go freely). The accounting errs on the
safe side: an in-flight request the server has already counted in ``Remaining`` is
counted once more until its answer arrives.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ulplan.client.errors import RateLimitedError

Clock = Callable[[], float]
Sleep = Callable[[float], None]

# Waiting a little past the announced reset absorbs clock skew and a reset rounded down
# to the second; it costs a fraction of a second per spent window.
DEFAULT_MARGIN = 0.25
# Beyond this the limiter refuses rather than block (a spent daily quota resets in hours).
DEFAULT_MAX_WAIT = 300.0
_PROBE_POLL = 0.05
_EPOCH_FLOOR = 1_000_000_000.0  # 2001-09-09: any real epoch reset is later


@dataclass(frozen=True)
class RateLimitInfo:
    """The rate-limit window as one answer reported it."""

    limit: int
    remaining: int
    reset: float

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimitInfo | None:
        """Parse ``X-RateLimit-Limit/Remaining/Reset``; None when absent or malformed."""
        try:
            return cls(
                limit=int(headers["x-ratelimit-limit"]),
                remaining=int(headers["x-ratelimit-remaining"]),
                reset=float(headers["x-ratelimit-reset"]),
            )
        except (KeyError, ValueError):
            return None


class RateLimiter:
    """Permits for one (platform, key) pair, shared by every thread that uses the key."""

    def __init__(
        self,
        *,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
        margin: float = DEFAULT_MARGIN,
        max_wait: float = DEFAULT_MAX_WAIT,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._margin = margin
        self._max_wait = max_wait
        self._cond = threading.Condition()
        self._limit: int | None = None
        self._remaining: int | None = None
        self._reset: float | None = None
        self._in_flight = 0
        # Until some request comes back, nothing is known about the window.
        self._answered = False

    @property
    def remaining(self) -> int | None:
        """Permits known to be left in the current window (None: not known yet)."""
        with self._cond:
            return self._remaining

    @property
    def in_flight(self) -> int:
        """Permits reserved by requests that have not been answered yet."""
        with self._cond:
            return self._in_flight

    def acquire(self) -> None:
        """Reserve a permit for one request, waiting for the window to reset if needed.

        Raises ``RateLimitedError`` instead of waiting longer than ``max_wait``.
        """
        while True:
            with self._cond:
                wait = self._try_reserve()
                if wait is None:
                    return
                if wait == 0.0:
                    # A first request is out learning the window: its answer wakes us.
                    self._cond.wait(_PROBE_POLL)
                    continue
            if wait > self._max_wait:
                # No request was sent, so there is no HTTP status; the wait is too long to retry.
                raise RateLimitedError(
                    f"rate limit window spent; it resets in {wait:.0f} s (client-side pacing)",
                    retry_after=wait,
                )
            self._sleep(wait)

    def release(self, info: RateLimitInfo | None) -> None:
        """Return a permit once its request is answered (or failed), learning the window."""
        with self._cond:
            self._in_flight = max(0, self._in_flight - 1)
            self._answered = True
            if info is not None:
                self._observe(info)
            self._cond.notify_all()

    def penalize(self, retry_after: float) -> None:
        """A 429 came back: treat the window as spent for ``retry_after`` seconds."""
        with self._cond:
            self._remaining = 0
            until = self._clock() + retry_after
            self._reset = until if self._reset is None else max(self._reset, until)

    def _try_reserve(self) -> float | None:
        """None when a permit was reserved; 0.0 to await a probe; else seconds to sleep."""
        now = self._clock()
        if self._reset is not None and now >= self._reset + self._margin:
            # The window rolled over: the platform refills it to the limit.
            self._remaining, self._reset = self._limit, None
        if self._remaining is None:
            # No window known: probe with one request, then (no headers: no limit) go freely.
            if self._in_flight and not self._answered:
                return 0.0
        elif self._remaining - self._in_flight <= 0:
            if self._reset is None:
                return 0.0
            return max(self._reset + self._margin - now, 0.001)
        self._in_flight += 1
        return None

    def _observe(self, info: RateLimitInfo) -> None:
        now = self._clock()
        self._limit = info.limit
        # The contract says epoch seconds; a small number can only be seconds from now.
        reset = info.reset if info.reset > _EPOCH_FLOOR else now + info.reset
        if reset + self._margin <= now:
            return  # an answer from a window that has already rolled over
        if self._reset is None or reset > self._reset or self._remaining is None:
            self._remaining, self._reset = info.remaining, reset
        else:
            # Answers arrive out of order; the smallest count of this window is the truest.
            self._remaining = min(self._remaining, info.remaining)

    def __repr__(self) -> str:
        return (
            f"RateLimiter(limit={self._limit}, remaining={self._remaining}, "
            f"reset={self._reset}, in_flight={self._in_flight})"
        )


_registry: dict[tuple[str, str], RateLimiter] = {}
_registry_lock = threading.Lock()


def shared_limiter(base_url: str, api_key: str) -> RateLimiter:
    """The process-wide limiter of one key on one platform (created on first use).

    Keyed by a hash of the key, so the registry itself holds no secret.
    """
    digest = hashlib.sha256(api_key.encode()).hexdigest()
    with _registry_lock:
        limiter = _registry.get((base_url, digest))
        if limiter is None:
            limiter = _registry[(base_url, digest)] = RateLimiter()
        return limiter
