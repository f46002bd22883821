"""Pacing from X-RateLimit-* headers, on a fake clock: no real sleeps."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.client.client_fakes import FakeClock, fail, ok
from ulplan.client import PlatformClient
from ulplan.client.errors import RateLimitedError
from ulplan.client.pacing import RateLimiter, RateLimitInfo, shared_limiter


def window(limit: int, remaining: int, reset: float) -> RateLimitInfo:
    return RateLimitInfo(limit=limit, remaining=remaining, reset=reset)


class FixedWindowPlatform:
    """A mock platform with a real fixed-window limit on the fake clock."""

    def __init__(self, clock: FakeClock, limit: int, seconds: float) -> None:
        self.clock, self.limit, self.seconds = clock, limit, seconds
        self.window_end = clock.time() + seconds
        self.used = 0
        self.refused = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        now = self.clock.time()
        if now >= self.window_end:
            self.window_end, self.used = now + self.seconds, 0
        headers = {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Reset": str(self.window_end)}
        if self.used >= self.limit:
            self.refused += 1
            retry = str(self.window_end - now)
            return fail(
                429, "RATE_LIMITED", headers={**headers, "X-RateLimit-Remaining": "0", "Retry-After": retry}
            )
        self.used += 1
        headers["X-RateLimit-Remaining"] = str(self.limit - self.used)
        return ok({"id": "project_1"}, headers=headers)


def test_headers_are_parsed_and_missing_ones_ignored() -> None:
    headers = httpx.Headers(
        {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "3", "X-RateLimit-Reset": "99"}
    )
    assert RateLimitInfo.from_headers(headers) == window(60, 3, 99.0)
    assert RateLimitInfo.from_headers(httpx.Headers({"X-RateLimit-Limit": "60"})) is None
    assert RateLimitInfo.from_headers(httpx.Headers({**headers, "X-RateLimit-Remaining": "many"})) is None


def test_a_spent_window_waits_for_its_reset(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep, margin=0.25)
    limiter.acquire()
    limiter.release(window(10, 0, clock.now + 4))
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(4.25)]
    assert limiter.in_flight == 1


def test_a_window_with_room_sends_at_once(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)
    limiter.acquire()
    limiter.release(window(10, 5, clock.now + 4))
    for _ in range(5):
        limiter.acquire()
    assert clock.sleeps == []
    assert limiter.in_flight == 5


def test_out_of_order_answers_keep_the_smallest_remaining(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)
    limiter.acquire()
    limiter.release(window(10, 9, clock.now + 4))
    for _ in range(3):
        limiter.acquire()
    limiter.release(window(10, 5, clock.now + 4))
    limiter.release(window(10, 7, clock.now + 4))  # an older answer arriving late
    assert limiter.remaining == 5
    limiter.release(window(10, 9, clock.now + 64))  # a new window
    assert limiter.remaining == 9


def test_an_answer_from_a_rolled_over_window_is_ignored(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)
    limiter.acquire()
    limiter.release(window(10, 0, clock.now - 30))
    limiter.acquire()
    assert clock.sleeps == []


def test_a_429_holds_everyone_off_for_retry_after(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep, margin=0.0)
    limiter.acquire()
    limiter.release(window(10, 8, clock.now + 1))
    limiter.penalize(6.0)
    limiter.acquire()
    assert sum(clock.sleeps) == pytest.approx(6.0, abs=0.01)


def test_a_wait_beyond_max_wait_raises_instead_of_hanging(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep, max_wait=60)
    limiter.acquire()
    limiter.release(window(1000, 0, clock.now + 86_400))  # daily quota spent
    with pytest.raises(RateLimitedError) as caught:
        limiter.acquire()
    assert caught.value.retry_after is not None and caught.value.retry_after > 60
    assert clock.sleeps == []


def test_ten_threads_do_not_overshoot_the_last_two_permits(clock: FakeClock) -> None:
    parked = threading.Event()
    waiting: list[float] = []
    lock = threading.Lock()

    def blocking_sleep(seconds: float) -> None:
        with lock:
            waiting.append(seconds)
        parked.wait()
        clock.sleep(seconds)

    limiter = RateLimiter(clock=clock.time, sleep=blocking_sleep, margin=0.0)
    limiter.acquire()
    limiter.release(window(10, 2, clock.now + 5))
    acquired: list[int] = []
    threads = [threading.Thread(target=lambda: (limiter.acquire(), acquired.append(1))) for _ in range(10)]
    for thread in threads:
        thread.start()
    _wait_until(lambda: len(acquired) + len(waiting) >= 10)
    assert len(acquired) == 2
    assert len(waiting) == 8
    parked.set()  # time passes: the window resets and refills to 10
    for thread in threads:
        thread.join(timeout=10)
    assert len(acquired) == 10


def test_before_the_first_answer_one_request_goes_out_to_learn_the_window(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)
    limiter.acquire()
    second = threading.Thread(target=limiter.acquire)
    second.start()
    second.join(timeout=0.2)
    assert second.is_alive(), "a second request went out before the window was known"
    limiter.release(window(10, 9, clock.now + 5))
    second.join(timeout=10)
    assert not second.is_alive()


def test_a_client_paced_by_headers_never_meets_a_429(
    make_client: Callable[..., PlatformClient], clock: FakeClock
) -> None:
    platform = FixedWindowPlatform(clock, limit=5, seconds=10)
    client = make_client(platform)
    for _ in range(23):
        client.projects.get("project_1")
    assert platform.refused == 0
    assert client.stats.rate_limited == 0
    assert client.stats.requests_by_method == {"GET": 23}
    assert len(clock.sleeps) == 4  # 23 requests = 4 full windows of 5 and 3 more


def test_a_429_is_retried_after_the_window_resets(
    make_client: Callable[..., PlatformClient], clock: FakeClock
) -> None:
    platform = FixedWindowPlatform(clock, limit=2, seconds=10)
    platform.used = 2  # another process spent the window
    client = make_client(platform)
    assert client.projects.get("project_1").id == "project_1"
    assert platform.refused == 1
    assert client.stats.rate_limited == 1


def test_clients_of_one_key_share_one_limiter() -> None:
    first = shared_limiter("https://a.test", "ul_one")
    assert shared_limiter("https://a.test", "ul_one") is first
    assert shared_limiter("https://a.test", "ul_two") is not first
    assert shared_limiter("https://b.test", "ul_one") is not first


def test_the_limiter_is_shared_between_client_instances() -> None:
    first = PlatformClient(api_key="ul_shared_key_1234", base_url="https://c.test")
    second = PlatformClient(api_key="ul_shared_key_1234", base_url="https://c.test")
    with first, second:
        assert first._transport._limiter is second._transport._limiter


def _wait_until(condition: Callable[[], bool]) -> None:
    event = threading.Event()
    for _ in range(1000):
        if condition():
            return
        event.wait(0.01)
    raise AssertionError("condition never became true")


def test_without_rate_limit_headers_requests_go_in_parallel(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)
    limiter.acquire()
    limiter.release(None)  # answered, but the platform applies no limit
    for _ in range(10):
        limiter.acquire()
    assert limiter.in_flight == 10
    assert clock.sleeps == []


def test_a_window_spent_for_a_day_fails_fast_without_sending(
    make_client: Callable[..., PlatformClient], clock: FakeClock
) -> None:
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)
    limiter.acquire()
    limiter.release(window(1000, 0, clock.now + 86_400))
    platform = FixedWindowPlatform(clock, limit=5, seconds=10)
    client = make_client(platform, limiter=limiter)
    with pytest.raises(RateLimitedError, match="client-side pacing"):
        client.projects.get("project_1")
    assert client.stats.total == 0
    assert clock.sleeps == []


def test_a_retry_after_of_an_hour_is_reported_not_slept_through(
    make_client: Callable[..., PlatformClient], clock: FakeClock
) -> None:
    answer = fail(429, "RATE_LIMITED", headers={"Retry-After": "3600"})
    client = make_client(lambda _request: answer)
    with pytest.raises(RateLimitedError) as caught:
        client.projects.get("project_1")
    assert caught.value.retry_after == 3600
    assert client.stats.total == 1
    assert clock.sleeps == []


@settings(max_examples=40, deadline=None)
@given(limit=st.integers(1, 8), seconds=st.integers(1, 90), requests=st.integers(1, 40))
def test_any_fixed_window_is_never_overshot(limit: int, seconds: int, requests: int) -> None:
    clock = FakeClock()
    platform = FixedWindowPlatform(clock, limit=limit, seconds=seconds)
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep)
    with PlatformClient(
        api_key="ul_property_test_key",
        base_url="https://platform.test",
        transport=httpx.MockTransport(platform),
        limiter=limiter,
        sleep=clock.sleep,
    ) as client:
        for _ in range(requests):
            client.storage.get()
    assert platform.refused == 0
    assert len(clock.sleeps) == (requests - 1) // limit


def test_a_reset_given_as_seconds_from_now_is_understood(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock.time, sleep=clock.sleep, margin=0.0)
    limiter.acquire()
    limiter.release(window(10, 0, 30))  # not an epoch: 30 s from now
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(30.0)]
