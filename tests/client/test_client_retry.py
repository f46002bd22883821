"""Retries: which failures, which methods, how long between attempts."""

from __future__ import annotations

import random
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.client.client_fakes import FakeClock, Recorder, fail, ok
from ulplan.client import PlatformClient
from ulplan.client import errors as e
from ulplan.client.retry import RetryPolicy, parse_retry_after

Build = Callable[..., PlatformClient]
PROJECT = {"id": "project_1", "name": "P"}


def test_a_5xx_read_is_retried_until_it_succeeds(make_client: Build, clock: FakeClock) -> None:
    platform = Recorder(fail(500, "INTERNAL_ERROR"), fail(503, "INTERNAL_ERROR"), ok(PROJECT))
    client = make_client(platform)
    assert client.projects.get("project_1").id == "project_1"
    assert platform.methods == ["GET", "GET", "GET"]
    assert client.stats.requests_by_method == {"GET": 3}
    assert client.stats.retries == 2
    assert len(clock.sleeps) == 2


def test_retries_stop_after_max_retries_with_the_last_error(make_client: Build) -> None:
    platform = Recorder(fail(500, "INTERNAL_ERROR", "down"))
    client = make_client(platform, max_retries=3)
    with pytest.raises(e.InternalError, match="down"):
        client.projects.get("project_1")
    assert len(platform.requests) == 4
    assert client.stats.retries == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
def test_client_errors_are_not_retried(make_client: Build, status: int) -> None:
    platform = Recorder(fail(status, "X"))
    client = make_client(platform)
    with pytest.raises(e.APIError):
        client.projects.get("project_1")
    assert len(platform.requests) == 1


def test_retry_after_is_honoured(make_client: Build, clock: FakeClock) -> None:
    platform = Recorder(fail(429, "RATE_LIMITED", headers={"Retry-After": "12"}), ok(PROJECT))
    client = make_client(platform)
    client.projects.get("project_1")
    assert sum(clock.sleeps) >= 12
    assert client.stats.rate_limited == 1
    assert client.stats.retries == 1


def test_connection_errors_on_reads_are_retried(make_client: Build) -> None:
    platform = Recorder(httpx.ReadError("reset"), httpx.ReadTimeout("slow"), ok(PROJECT))
    client = make_client(platform)
    assert client.projects.get("project_1").name == "P"
    assert len(platform.requests) == 3


@pytest.mark.parametrize(
    "failure",
    [fail(500, "INTERNAL_ERROR"), fail(502, "BAD_GATEWAY"), httpx.ReadError("reset"), httpx.ReadTimeout("x")],
)
def test_a_post_is_not_retried_when_the_platform_may_have_acted(
    make_client: Build, failure: httpx.Response | Exception
) -> None:
    platform = Recorder(failure, ok(PROJECT, status=201))
    client = make_client(platform)
    with pytest.raises(e.PlatformError):
        client.projects.create("P")
    assert platform.methods == ["POST"]


def test_a_post_is_retried_when_the_caller_says_it_is_safe(make_client: Build) -> None:
    platform = Recorder(fail(500, "INTERNAL_ERROR"), httpx.ReadError("reset"), ok(PROJECT, status=201))
    client = make_client(platform)
    assert client.projects.create("P", retry_safe=True).id == "project_1"
    assert platform.methods == ["POST", "POST", "POST"]


@pytest.mark.parametrize("failure", [fail(429, "RATE_LIMITED"), httpx.ConnectError("refused")])
def test_a_post_the_platform_never_acted_on_is_retried(
    make_client: Build, failure: httpx.Response | Exception
) -> None:
    platform = Recorder(failure, ok(PROJECT, status=201))
    client = make_client(platform)
    assert client.projects.create("P").id == "project_1"
    assert platform.methods == ["POST", "POST"]


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_patch_and_delete_are_retried(make_client: Build, method: str) -> None:
    platform = Recorder(fail(503, "INTERNAL_ERROR"), ok(PROJECT))
    client = make_client(platform)
    if method == "PATCH":
        client.projects.update("project_1", name="Q")
    else:
        client.projects.delete("project_1")
    assert platform.methods == [method, method]


def test_a_delete_answered_404_on_a_retry_counts_as_done(make_client: Build) -> None:
    platform = Recorder(httpx.ReadTimeout("answer lost"), fail(404, "NOT_FOUND"))
    client = make_client(platform)
    deleted = client.projects.delete("project_1")
    assert deleted.id == "project_1"
    assert platform.methods == ["DELETE", "DELETE"]


def test_a_delete_answered_404_at_once_is_not_found(make_client: Build) -> None:
    client = make_client(Recorder(fail(404, "NOT_FOUND")))
    with pytest.raises(e.NotFoundError):
        client.projects.delete("project_1")


def test_on_request_sees_every_attempt(make_client: Build) -> None:
    seen: list[tuple[str, str, int]] = []
    platform = Recorder(fail(500, "INTERNAL_ERROR"), httpx.ReadError("x"), ok(PROJECT))
    client = make_client(platform, on_request=lambda *args: seen.append(args))
    client.projects.get("project_1")
    path = "/api/projects/project_1"
    assert seen == [("GET", path, 500), ("GET", path, 0), ("GET", path, 200)]


@given(attempt=st.integers(0, 20), seed=st.integers(0, 2**32))
def test_backoff_is_full_jitter_below_an_exponential_cap(attempt: int, seed: int) -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=30.0, rng=random.Random(seed))
    delay = policy.delay(attempt)
    assert 0.0 <= delay <= min(30.0, 0.5 * 2**attempt)


@given(retry_after=st.floats(0, 3600), attempt=st.integers(0, 10))
def test_backoff_never_undercuts_retry_after(retry_after: float, attempt: int) -> None:
    policy = RetryPolicy(rng=random.Random(1))
    assert policy.delay(attempt, retry_after) >= retry_after


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("Thu, 01 Jan 2030 00:00:10 GMT", 10.0),
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_accepts_seconds_and_http_dates(value: str | None, expected: float | None) -> None:
    now = 1893456000.0  # 2030-01-01T00:00:00Z
    assert parse_retry_after(value, now) == expected


def test_501_not_implemented_is_not_retried(make_client: Build) -> None:
    platform = Recorder(fail(501, "NOT_IMPLEMENTED", "no inference here"))
    client = make_client(platform)
    with pytest.raises(e.InternalError) as caught:
        client.projects.get("project_1")
    assert caught.value.status == 501
    assert len(platform.requests) == 1


def test_retry_after_on_a_503_is_honoured_too(make_client: Build, clock: FakeClock) -> None:
    platform = Recorder(fail(503, "INTERNAL_ERROR", headers={"Retry-After": "9"}), ok(PROJECT))
    make_client(platform).projects.get("project_1")
    assert clock.sleeps and clock.sleeps[0] >= 9
