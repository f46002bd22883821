"""Fault injection: before (nothing done), after (done, answer lost), latency, /health spared."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.emulator.helpers import data, error
from tests.support.emulator import Emulator


def test_before_fails_without_doing_the_work(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(fault_rate=1.0, fault_mode="before")
    with emulator.client() as client:
        err = error(client.post("/api/projects", json={"name": "p"}), 500, "INTERNAL_ERROR")
    assert err["details"] == {"injected": True, "mode": "before"}
    assert emulator.server is not None
    assert emulator.server.store.ctx.db.query("SELECT COUNT(*) AS n FROM projects")[0]["n"] == 0


def test_after_does_the_work_and_loses_the_answer(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(fault_rate=1.0, fault_mode="after")
    with emulator.client() as client:
        error(client.post("/api/projects", json={"name": "p"}), 500, "INTERNAL_ERROR")
    assert emulator.server is not None
    assert emulator.server.store.ctx.db.query("SELECT name FROM projects")[0]["name"] == "p"


def test_health_is_never_faulted(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(fault_rate=1.0)
    assert data(httpx.get(f"{emulator.url}/health"))["status"] == "ok"


def test_both_mixes_modes_at_the_given_rate(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(fault_rate=0.5, fault_mode="both")
    modes = []
    with emulator.client() as client:
        for _ in range(60):
            response = client.get("/api/storage")
            if response.status_code == 500:
                modes.append(response.json()["error"]["details"]["mode"])
            else:
                assert response.status_code == 200
    # With 60 tries at 50%, every outcome below has a probability under 1e-6 of not showing.
    assert 5 < len(modes) < 55
    assert set(modes) == {"before", "after"}


def test_latency_is_added(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(latency=0.2)
    with emulator.client() as client:
        response = client.get("/api/storage")
    assert response.status_code == 200
    assert response.elapsed.total_seconds() >= 0.2
