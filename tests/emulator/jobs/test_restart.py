"""Jobs are driven by recorded times, so they carry on across an emulator restart."""

from __future__ import annotations

from pathlib import Path

from tests.emulator.helpers import data
from tests.emulator.jobs.jobkit import (
    finished,
    get,
    model_with_weights,
    start_training,
    untrained_model,
    wait_for,
)
from tests.support.emulator import start_process_emulator


def test_training_export_and_deployment_finish_after_a_kill_and_restart(tmp_path: Path) -> None:
    emulator = start_process_emulator(tmp_path)
    try:
        with emulator.client() as client:
            model, dataset = untrained_model(client)
            data(start_training(client, model["id"], dataset["id"], epochs=30), 201)
            weighted = model_with_weights(client, "weighted")
            export = data(
                client.post("/api/exports", json={"modelId": weighted["id"], "format": "onnx"}), 201
            )
            body = {"modelId": weighted["id"], "name": "Survivor", "region": "us-east1"}
            deployment = data(client.post("/api/deployments", json=body), 201)
        emulator.kill()
        emulator.restart()
        with emulator.client() as client:
            job = wait_for(lambda: get(client, f"/api/models/{model['id']}/training"), finished("completed"))
            exported = wait_for(lambda: get(client, f"/api/exports/{export['id']}"), finished("completed"))
            deployed = wait_for(
                lambda: get(client, f"/api/deployments/{deployment['id']}"), finished("ready")
            )
            balance = get(client, "/api/billing/balance")
            downloaded = client.get(exported["file"]["url"])
    finally:
        emulator.stop()
    assert job["progress"]["currentEpoch"] == 30 and balance["reservedAmount"] == 0
    assert downloaded.status_code == 200 and len(downloaded.content) == exported["file"]["size"]
    assert deployed["url"] == deployment["url"]
