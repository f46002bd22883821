"""``PlatformClient``: the one object through which everything talks to the platform."""

from __future__ import annotations

import random
import time
from types import TracebackType
from typing import TYPE_CHECKING

from ulplan.client.config import resolve_api_key, resolve_base_url
from ulplan.client.groups.account import (
    AccountGroup,
    ActivityGroup,
    ApiKeysGroup,
    BillingGroup,
    GdprGroup,
    StorageGroup,
    TrashGroup,
)
from ulplan.client.groups.catalog import DatasetsGroup, ProjectsGroup
from ulplan.client.groups.jobs import DeploymentsGroup, ExportsGroup, TrainingGroup
from ulplan.client.groups.models import ModelsGroup
from ulplan.client.pacing import RateLimiter, Sleep, shared_limiter
from ulplan.client.retry import RetryPolicy
from ulplan.client.stats import RequestStats
from ulplan.client.transport import OnRequest, Transport

if TYPE_CHECKING:
    import httpx


class PlatformClient:
    """A client of the Ultralytics Platform REST API.

    ``api_key`` defaults to ``ULTRALYTICS_API_KEY``, then to the key ``yolo login``
    saved; ``base_url`` to ``ULTRALYTICS_PLATFORM_URL``, then the public platform.
    Thread-safe: share one client between threads. Requests are paced by the key's
    rate-limit window (shared by every client of the key in this process) and failed
    reads are retried up to ``max_retries`` times.

    For tests and tools, keyword-only extras: ``transport`` (an httpx transport, e.g.
    ``httpx.MockTransport``), ``limiter`` (a private ``RateLimiter``, e.g. on a fake
    clock), ``sleep`` (used between retries), ``rng`` (backoff jitter) and
    ``on_request(method, path, status)``, called after every request sent (status 0
    when no answer came back).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 5,
        *,
        on_request: OnRequest | None = None,
        transport: httpx.BaseTransport | None = None,
        limiter: RateLimiter | None = None,
        sleep: Sleep = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        key = resolve_api_key(api_key)
        self.base_url = resolve_base_url(base_url)
        self.stats = RequestStats()
        retry = RetryPolicy(max_retries=max_retries, rng=rng or random.Random())
        self._transport = Transport(
            base_url=self.base_url,
            api_key=key,
            timeout=timeout,
            retry=retry,
            limiter=limiter or shared_limiter(self.base_url, key.reveal()),
            stats=self.stats,
            on_request=on_request,
            http_transport=transport,
            sleep=sleep,
        )
        self.projects = ProjectsGroup(self._transport)
        self.datasets = DatasetsGroup(self._transport)
        self.models = ModelsGroup(self._transport)
        self.training = TrainingGroup(self._transport)
        self.exports = ExportsGroup(self._transport)
        self.deployments = DeploymentsGroup(self._transport)
        self.activity = ActivityGroup(self._transport)
        self.trash = TrashGroup(self._transport)
        self.billing = BillingGroup(self._transport)
        self.storage = StorageGroup(self._transport)
        self.gdpr = GdprGroup(self._transport)
        self.api_keys = ApiKeysGroup(self._transport)
        self.account = AccountGroup(self._transport)

    def close(self) -> None:
        """Close the connection pool; the client cannot be used afterwards."""
        self._transport.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PlatformClient(base_url={self.base_url!r}, api_key=***)"
