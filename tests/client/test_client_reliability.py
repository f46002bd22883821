"""The client under a tight rate limit and a flaky network, against the real emulator."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.emulator import Emulator
from ulplan.client import PlatformClient
from ulplan.client.errors import InternalError


def short_sleep(seconds: float) -> None:
    """Backoff shortened for tests: the schedule itself is unit-tested on a fake clock."""
    time.sleep(min(seconds, 0.02))


@pytest.mark.slow
def test_pacing_keeps_parallel_callers_under_the_limit(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(rate_limit="20/5s")
    statuses: list[int] = []
    lock = threading.Lock()

    def record(_method: str, _path: str, status: int) -> None:
        with lock:
            statuses.append(status)

    with PlatformClient(api_key=emulator.key, base_url=emulator.url, on_request=record) as client:
        with ThreadPoolExecutor(max_workers=6) as pool:
            summaries = list(pool.map(lambda _: client.account.summary(), range(30)))
    assert all(s.username == "user1" for s in summaries)
    assert client.stats.rate_limited == 0
    assert 429 not in statuses
    assert client.stats.requests_by_method == {"GET": 30}


@pytest.mark.slow
def test_two_clients_of_one_key_share_the_window(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(rate_limit="20/5s")
    first = PlatformClient(api_key=emulator.key, base_url=emulator.url)
    second = PlatformClient(api_key=emulator.key, base_url=emulator.url)
    with first, second, ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda n: (first if n % 2 else second).storage.get(), range(26)))
    assert first.stats.rate_limited + second.stats.rate_limited == 0
    assert first.stats.total + second.stats.total == 26


def test_reads_survive_a_flaky_platform(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(fault_rate=0.3, fault_mode="before")
    with PlatformClient(
        api_key=emulator.key, base_url=emulator.url, max_retries=12, sleep=short_sleep
    ) as client:
        # "before" faults fail without acting, so creates are safe to repeat here.
        project = client.projects.create("Flaky", retry_safe=True)
        for _ in range(40):
            assert client.projects.get(project.id).name == "Flaky"
        assert [p.id for p in client.projects.list()] == [project.id]
        assert client.stats.retries > 0
        assert client.stats.total == 42 + client.stats.retries  # 42 calls, each attempt counted


def test_a_delete_whose_answer_was_lost_is_still_done(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(fault_rate=0.5, fault_mode="after")
    with PlatformClient(
        api_key=emulator.key, base_url=emulator.url, max_retries=20, sleep=short_sleep
    ) as client:
        ids = []
        for number in range(8):
            # "after" faults act and then lose the answer: find what a failed create made.
            ids.append(_create_once(client, f"P{number}"))
        for project_id in ids:
            client.projects.delete(project_id)
        assert list(client.projects.list()) == []


def _create_once(client: PlatformClient, name: str) -> str:
    try:
        return client.projects.create(name).id
    except InternalError:
        return next(p.id for p in client.projects.list() if p.name == name)
