"""Emulated deployments over HTTP: lifecycle, rolling updates, resize, start/stop, metrics, logs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx

from tests.emulator.helpers import data, error
from tests.emulator.jobs.jobkit import finished, get, model_with_weights, untrained_model, wait_for
from tests.support.emulator import Emulator


def deploy(client: httpx.Client, model_id: str, name: str = "Traffic API", **fields: Any) -> httpx.Response:
    """``POST /api/deployments``."""
    return client.post(
        "/api/deployments", json={"modelId": model_id, "name": name, "region": "europe-west4", **fields}
    )


def deployment(client: httpx.Client, deployment_id: str) -> Any:
    return get(client, f"/api/deployments/{deployment_id}")


def ready(client: httpx.Client, deployment_id: str) -> Any:
    return wait_for(lambda: deployment(client, deployment_id), finished("ready"))


def test_a_deployment_goes_creating_deploying_ready(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        created = data(deploy(client, model["id"]), 201)
        statuses: list[str] = []
        done = wait_for(
            lambda: deployment(client, created["id"]),
            lambda item: statuses.append(item["status"]) or item["status"] == "ready",
        )
    assert created["status"] == "creating" and created["deployedAt"] is None
    assert statuses == sorted(statuses, key=["creating", "deploying", "ready"].index)
    assert created["resources"] == {"cpu": 1, "memoryGi": 2, "minInstances": 0, "maxInstances": 1}
    assert (created["slug"], created["region"], created["projectId"]) == (
        "traffic-api",
        "europe-west4",
        model["projectId"],
    )
    assert re.fullmatch(r"https://traffic-api-[0-9a-f]{8}\.europe-west4\.run\.ulplan\.local", created["url"])
    assert done["url"] == created["url"] and done["deployedAt"] is not None
    assert done["servingModelId"] == model["id"] and model["id"] in done["statusMessage"]


def test_patching_the_model_rolls_out_keeping_id_and_url(emulator: Emulator) -> None:
    with emulator.client() as client:
        old, new = model_with_weights(client, "old"), model_with_weights(client, "new")
        first = ready(client, data(deploy(client, old["id"]), 201)["id"])
        rolling = client.patch(f"/api/deployments/{first['id']}", json={"modelId": new["id"]})
        during = data(rolling, 202)
        after = ready(client, first["id"])
        listed = client.get("/api/deployments", params={"modelId": new["id"]}).json()["data"]
    assert (during["status"], during["modelId"], during["servingModelId"]) == (
        "deploying",
        new["id"],
        old["id"],
    )
    assert new["id"] in during["statusMessage"] and old["id"] in during["statusMessage"]
    assert (after["id"], after["url"], after["servingModelId"]) == (first["id"], first["url"], new["id"])
    assert after["projectId"] == new["projectId"]
    assert [item["id"] for item in listed] == [first["id"]]


def test_resize_and_rename_happen_in_place(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        first = ready(client, data(deploy(client, model["id"]), 201)["id"])
        patch = {"cpu": 4, "memoryGi": 8, "minInstances": 1, "maxInstances": 5, "name": "Renamed"}
        resized = data(client.patch(f"/api/deployments/{first['id']}", json=patch))
        logs = get(client, f"/api/deployments/{first['id']}/logs")["entries"]
    assert (
        resized["status"] == "ready" and resized["url"] == first["url"] and resized["slug"] == first["slug"]
    )
    assert resized["resources"] == {"cpu": 4, "memoryGi": 8, "minInstances": 1, "maxInstances": 5}
    assert resized["name"] == "Renamed"
    assert any("Resized" in entry["message"] for entry in logs)


def test_stop_and_start_with_409_on_invalid_transitions(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        item = ready(client, data(deploy(client, model["id"]), 201)["id"])
        path = f"/api/deployments/{item['id']}"
        error(client.post(f"{path}/start"), 409, "CONFLICT")
        assert data(client.post(f"{path}/stop"))["status"] == "stopping"
        stopped = wait_for(lambda: deployment(client, item["id"]), finished("stopped"))
        error(client.post(f"{path}/stop"), 409, "CONFLICT")
        metrics = get(client, f"{path}/metrics")
        assert data(client.post(f"{path}/start"))["status"] == "deploying"
        restarted = ready(client, item["id"])
    assert stopped["servingModelId"] is None
    assert (metrics["totalRequests"], metrics["instanceCount"]) == (0, 0)
    assert restarted["url"] == item["url"]


def test_a_stopped_deployment_takes_a_new_model_without_rolling(emulator: Emulator) -> None:
    with emulator.client() as client:
        old, new = model_with_weights(client, "old"), model_with_weights(client, "new")
        item = ready(client, data(deploy(client, old["id"]), 201)["id"])
        data(client.post(f"/api/deployments/{item['id']}/stop"))
        wait_for(lambda: deployment(client, item["id"]), finished("stopped"))
        swapped = data(client.patch(f"/api/deployments/{item['id']}", json={"modelId": new["id"]}))
    assert (swapped["status"], swapped["modelId"]) == ("stopped", new["id"])


def test_changing_the_model_mid_transition_is_409(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(job_seconds=0.5)
    with emulator.client() as client:
        old, new = model_with_weights(client, "old"), model_with_weights(client, "new")
        created = data(deploy(client, old["id"]), 201)
        error(client.patch(f"/api/deployments/{created['id']}", json={"modelId": new["id"]}), 409, "CONFLICT")


def test_bad_deployment_requests(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        untrained, _ = untrained_model(client)
        field_of = {
            "region": deploy(client, model["id"], region="mars-north1"),
            "cpu": deploy(client, model["id"], cpu=9),
            "memoryGi": deploy(client, model["id"], memoryGi=0),
            "maxInstances": deploy(client, model["id"], minInstances=5, maxInstances=2),
            "modelId": deploy(client, untrained["id"]),
        }
        for field, response in field_of.items():
            fields = error(response, 400, "VALIDATION_ERROR")["details"]["fields"]
            assert field in [item["field"] for item in fields], (field, fields)
        data(deploy(client, model["id"], "Same Name"), 201)
        error(deploy(client, model["id"], "same name"), 409, "CONFLICT")
        error(deploy(client, "model_nope"), 404, "NOT_FOUND")


def test_metrics_show_traffic_only_while_ready(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        created = data(deploy(client, model["id"], minInstances=1, maxInstances=3), 201)
        early = get(client, f"/api/deployments/{created['id']}/metrics")
        busy = wait_for(
            lambda: get(client, f"/api/deployments/{created['id']}/metrics"), lambda m: m["totalRequests"] > 0
        )
    assert early["totalRequests"] == 0 and early["instanceCount"] == 0
    assert 1 <= busy["instanceCount"] <= 3
    assert 0 <= busy["errorRate"] <= 100 and busy["avgLatencyMs"] > 0
    assert busy["p50LatencyMs"] <= busy["p95LatencyMs"] <= busy["p99LatencyMs"]


def test_logs_follow_the_history_with_severity_filter_and_limit(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        item = ready(client, data(deploy(client, model["id"]), 201)["id"])
        path = f"/api/deployments/{item['id']}/logs"
        everything = get(client, path)["entries"]
        warnings = client.get(path, params={"severity": "WARNING"}).json()["data"]["entries"]
        newest = client.get(path, params={"limit": 1}).json()["data"]["entries"]
        bad = client.get(path, params={"severity": "LOUD"})
    messages = [entry["message"] for entry in reversed(everything)]
    assert messages[0].startswith("Deployment 'Traffic API' created in europe-west4")
    assert any(message.startswith("Ready: serving model") for message in messages)
    assert warnings and {entry["severity"] for entry in warnings} <= {"WARNING", "ERROR"}
    assert newest == everything[:1]
    error(bad, 400, "VALIDATION_ERROR")


def test_delete_and_isolation(emulator: Emulator) -> None:
    with emulator.client() as client, emulator.client(emulator.keys[1]) as other:
        model = model_with_weights(client)
        created = data(deploy(client, model["id"]), 201)
        for method, suffix in (
            ("GET", ""),
            ("DELETE", ""),
            ("POST", "/stop"),
            ("GET", "/logs"),
            ("GET", "/metrics"),
        ):
            error(other.request(method, f"/api/deployments/{created['id']}{suffix}"), 404, "NOT_FOUND")
        assert other.get("/api/deployments").json()["meta"]["total"] == 0
        assert data(client.delete(f"/api/deployments/{created['id']}")) == {
            "id": created["id"],
            "deleted": True,
        }
        error(client.get(f"/api/deployments/{created['id']}"), 404, "NOT_FOUND")
        assert data(deploy(client, model["id"]), 201)["slug"] == "traffic-api"  # the slug is free again


def test_a_deployment_keeps_serving_when_its_model_is_trashed(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        item = ready(client, data(deploy(client, model["id"]), 201)["id"])
        data(client.delete(f"/api/models/{model['id']}"))
        after = deployment(client, item["id"])
    assert after["status"] == "ready" and "deleted" in after["statusMessage"]
