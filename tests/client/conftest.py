"""Fixtures of the client's unit tests: a fake clock and clients on a mock transport."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.client.client_fakes import BASE, KEY, FakeClock, Handler
from ulplan.client import PlatformClient
from ulplan.client.pacing import RateLimiter


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client(clock: FakeClock) -> Callable[..., PlatformClient]:
    """Build a client whose requests go to ``handler`` and whose waits use the fake clock."""
    clients: list[PlatformClient] = []

    def build(handler: Handler, **options: Any) -> PlatformClient:
        options.setdefault("limiter", RateLimiter(clock=clock.time, sleep=clock.sleep))
        client = PlatformClient(
            api_key=options.pop("api_key", KEY),
            base_url=options.pop("base_url", BASE),
            transport=httpx.MockTransport(handler),
            sleep=clock.sleep,
            rng=random.Random(7),
            **options,
        )
        clients.append(client)
        return client

    return build
