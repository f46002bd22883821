"""Rate limits: headers on every /api response, 429 with Retry-After, honest reset."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from tests.emulator.helpers import error
from tests.support.emulator import Emulator, new_key
from ulplan.emulator.ratelimit import FixedWindows


def test_headers_count_down_then_429(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(rate_limit="5/1h")
    with emulator.client() as client:
        answers = [client.get("/api/projects") for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert [int(a.headers["X-RateLimit-Remaining"]) for a in answers] == [4, 3, 2, 1, 0, 0]
    assert {a.headers["X-RateLimit-Limit"] for a in answers} == {"5"}
    refused = answers[-1]
    error(refused, 429, "RATE_LIMITED")
    reset = int(refused.headers["X-RateLimit-Reset"])
    assert reset % 3600 == 0 and 0 < reset - time.time() <= 3600
    assert 0 < int(refused.headers["Retry-After"]) <= 3600


def test_limits_are_per_key(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(rate_limit="2/1h")
    with emulator.client() as first, emulator.client(emulator.keys[1]) as second:
        assert [first.get("/api/projects").status_code for _ in range(3)] == [200, 200, 429]
        assert second.get("/api/projects").status_code == 200


def test_errors_carry_the_headers_too(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(rate_limit="10/1h")
    with emulator.client() as client:
        response = client.get("/api/projects/project_missing")
    assert response.status_code == 404
    assert response.headers["X-RateLimit-Remaining"] == "9"


def test_unauthenticated_requests_are_limited_by_address(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(rate_limit="2/1h")
    statuses = [httpx.get(f"{emulator.url}/api/projects").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    health = httpx.get(f"{emulator.url}/health")
    assert health.status_code == 200 and "X-RateLimit-Limit" not in health.headers


def test_waiting_until_reset_is_enough(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(rate_limit="3/1s")
    with emulator.client() as client:
        # Within a few requests one window fills up (a window boundary may pass meanwhile).
        responses = [client.get("/api/storage") for _ in range(7)]
        response = next(r for r in responses if r.status_code == 429)
        time.sleep(max(0.0, int(response.headers["X-RateLimit-Reset"]) - time.time()))
        assert client.get("/api/storage").status_code == 200


def test_plan_limits(emulator_factory: Callable[..., Emulator]) -> None:
    free, enterprise = new_key(), new_key()
    emulator = emulator_factory(rate_limit="plan", seed_keys=[f"{free}:free:a", f"{enterprise}:enterprise:b"])
    with emulator.client(free) as client:
        assert client.get("/api/projects").headers["X-RateLimit-Limit"] == "60"
    with emulator.client(enterprise) as client:
        assert "X-RateLimit-Limit" not in client.get("/api/projects").headers


@pytest.mark.parametrize(
    ("earlier", "now", "expected"),
    [
        ([], 0.0, (True, 2, 60.0)),
        ([1.0], 59.9, (True, 1, 60.0)),
        ([1.0, 2.0], 60.0, (True, 2, 120.0)),
        ([1.0, 2.0, 3.0], 4.0, (False, 0, 60.0)),
    ],
)
def test_fixed_windows_align_to_the_epoch(
    earlier: list[float], now: float, expected: tuple[bool, int, float]
) -> None:
    windows = FixedWindows()
    for moment in earlier:
        windows.hit("k", [(3, 60.0)], moment)
    verdict = windows.hit("k", [(3, 60.0)], now)
    assert (verdict.allowed, verdict.remaining, verdict.reset) == expected


def test_the_day_window_reports_when_it_is_the_tighter() -> None:
    windows = FixedWindows()
    for second in range(3):
        windows.hit("k", [(10, 60.0), (3, 86_400.0)], float(second))
    verdict = windows.hit("k", [(10, 60.0), (3, 86_400.0)], 5.0)
    assert (verdict.allowed, verdict.limit, verdict.reset) == (False, 3, 86_400.0)
