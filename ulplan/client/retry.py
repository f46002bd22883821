"""When a failed request is tried again, and how long to wait before it.

Retried: 429, any 5xx but 501, and transport failures (connection errors, timeouts), up
to ``max_retries`` times, with exponential backoff and full jitter (a random wait between
0 and ``base * 2**attempt``, capped), or at least the ``Retry-After`` the platform asked
for. A ``Retry-After`` longer than ``max_retry_after`` (a spent daily quota) is raised at
once rather than slept through.

Which requests: GET, PUT, PATCH and DELETE always (they are idempotent). A POST creates
something, so it is retried only when the caller says a repeat is safe
(``retry_safe=True``), or when the platform provably did not act on it: a 429 (refused
before any handler ran) or a failure to connect (nothing was sent).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from ulplan.client.errors import (
    InternalError,
    PlatformConnectionError,
    PlatformError,
    PlatformTimeoutError,
    PlatformUnreachableError,
    RateLimitedError,
)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})


@dataclass
class RetryPolicy:
    """Backoff parameters; ``rng`` is injectable so tests can pin the jitter."""

    max_retries: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    # A Retry-After beyond this (a spent daily quota) is reported, not slept through.
    max_retry_after: float = 300.0
    rng: random.Random = field(default_factory=random.Random)

    def should_retry(self, error: PlatformError, method: str, attempt: int, retry_safe: bool) -> bool:
        """Whether attempt number ``attempt`` (0-based) that failed with ``error`` is retried."""
        if attempt >= self.max_retries or not is_retryable(error):
            return False
        if (error.retry_after or 0.0) > self.max_retry_after:
            return False
        if method in IDEMPOTENT_METHODS or retry_safe:
            return True
        return isinstance(error, RateLimitedError | PlatformUnreachableError)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry ``attempt + 1``: full jitter, at least Retry-After."""
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        jittered = self.rng.uniform(0.0, ceiling)
        if retry_after is not None:
            # Honour the platform's wait, with a little jitter so waiters do not stampede.
            return retry_after + self.rng.uniform(0.0, min(1.0, self.base_delay))
        return jittered


_RETRYABLE = (RateLimitedError, InternalError, PlatformConnectionError, PlatformTimeoutError)


def is_retryable(error: PlatformError) -> bool:
    """429, 5xx and transport failures may succeed when tried again; nothing else will."""
    # 501 Not Implemented will not start working on a second try.
    return isinstance(error, _RETRYABLE) and error.status != 501


def parse_retry_after(value: str | None, now: float) -> float | None:
    """``Retry-After`` in seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None
