"""Waiting for jobs: polls until settled, on the fake clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.client.client_fakes import FakeClock, Recorder, ok
from ulplan.client import PlatformClient
from ulplan.client.errors import WaitTimeoutError

Build = Callable[..., PlatformClient]


def test_training_wait_polls_until_completed_and_reports_progress(
    make_client: Build, clock: FakeClock
) -> None:
    running = [ok({"status": "running", "progress": {"currentEpoch": n, "totalEpochs": 3}}) for n in (1, 2)]
    platform = Recorder(*running, ok({"status": "completed", "progress": {"currentEpoch": 3}}))
    epochs: list[int | None] = []
    client = make_client(platform)
    final = client.training.wait(
        "model_1", interval=5.0, on_progress=lambda s: epochs.append(s.progress and s.progress.currentEpoch)
    )
    assert final is not None and final.status == "completed"
    assert epochs == [1, 2, 3]
    assert clock.sleeps == [5.0, 5.0]


def test_training_wait_of_a_model_never_trained_is_none(make_client: Build, clock: FakeClock) -> None:
    assert make_client(Recorder(ok(None))).training.wait("model_1") is None
    assert clock.sleeps == []


@pytest.mark.parametrize("status", ["failed", "cancelled"])
def test_export_wait_stops_on_failure_too(make_client: Build, status: str) -> None:
    platform = Recorder(ok({"id": "export_1", "status": "running"}), ok({"id": "export_1", "status": status}))
    assert make_client(platform).exports.wait("export_1", interval=1).status == status


def test_deployment_wait_can_wait_for_stopped(make_client: Build) -> None:
    platform = Recorder(ok({"id": "d1", "status": "stopping"}), ok({"id": "d1", "status": "stopped"}))
    assert make_client(platform).deployments.wait("d1", "stopped", interval=1).status == "stopped"


def test_a_wait_gives_up_after_its_timeout(make_client: Build, clock: FakeClock) -> None:
    client = make_client(Recorder(ok({"id": "d1", "status": "deploying"})))
    with pytest.raises(WaitTimeoutError, match="deploying"):
        client.deployments.wait("d1", timeout=10, interval=3)
    assert clock.sleeps == [3, 3, 3]
