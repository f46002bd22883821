"""Many clients driving jobs at once while the ticker advances them: no errors, no lost work."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.emulator.helpers import data
from tests.emulator.jobs.jobkit import (
    finished,
    get,
    model_with_weights,
    start_training,
    untrained_model,
    wait_for,
)
from tests.support.emulator import Emulator

CLIENTS = 16


def _drive(emulator: Emulator, n: int) -> dict[str, Any]:
    """One client's work: train a model, export it, deploy it, reading all the way."""
    with emulator.client() as client:
        model, dataset = untrained_model(client, f"m{n}")
        data(start_training(client, model["id"], dataset["id"], epochs=3), 201)
        wait_for(
            lambda: get(client, f"/api/models/{model['id']}/training"), finished("completed"), timeout=30
        )
        weighted = model_with_weights(client, f"w{n}")
        export = data(client.post("/api/exports", json={"modelId": weighted["id"], "format": "onnx"}), 201)
        body = {"modelId": weighted["id"], "name": f"api {n}", "region": "us-west1"}
        deployment = data(client.post("/api/deployments", json=body), 201)
        done = wait_for(
            lambda: get(client, f"/api/exports/{export['id']}"), finished("completed"), timeout=30
        )
        wait_for(lambda: get(client, f"/api/deployments/{deployment['id']}"), finished("ready"), timeout=30)
        return done


def test_sixteen_clients_drive_jobs_concurrently(emulator: Emulator) -> None:
    with ThreadPoolExecutor(CLIENTS) as pool:
        exports = list(pool.map(lambda n: _drive(emulator, n), range(CLIENTS)))
    with emulator.client() as client:
        balance = get(client, "/api/billing/balance")
        listed = client.get("/api/exports", params={"status": "completed", "limit": 100}).json()["meta"][
            "total"
        ]
    assert all(export["file"]["size"] > 0 for export in exports)
    assert listed == CLIENTS and balance["reservedAmount"] == 0
