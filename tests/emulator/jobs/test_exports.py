"""Emulated exports over HTTP: steps to completion, real files, duplicates, cancel and delete."""

from __future__ import annotations

from collections.abc import Callable

from tests.emulator.helpers import checkpoint, data, error
from tests.emulator.jobs.jobkit import (
    finished,
    get,
    model_with_weights,
    start_training,
    untrained_model,
    wait_for,
)
from tests.support.emulator import Emulator


def test_export_walks_its_steps_and_offers_its_file_byte_for_byte(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        storage_before = get(client, "/api/storage")["used"]
        created = data(client.post("/api/exports", json={"modelId": model["id"], "format": "onnx"}), 201)
        statuses = []
        done = wait_for(
            lambda: get(client, f"/api/exports/{created['id']}"),
            lambda item: statuses.append(item["status"]) or item["status"] == "completed",
        )
        download = client.get(done["file"]["url"], headers={"Authorization": ""})
        storage_after = get(client, "/api/storage")["used"]
        actions = {(e["action"], e["resourceId"]) for e in get(client, "/api/activity")}
    assert created["id"].startswith("export_") and created["status"] == "queued" and created["file"] is None
    assert statuses == sorted(statuses, key=["queued", "starting", "running", "completed"].index)
    assert download.status_code == 200 and len(download.content) == done["file"]["size"]
    text = download.content.decode()
    assert "format: onnx" in text and f"source-sha256: {model['fileSha256']}" in text
    assert storage_after == storage_before + done["file"]["size"]
    assert done["completedAt"] is not None and done["error"] is None
    assert ("exported", created["id"]) in actions


def test_the_same_model_and_format_twice_is_409_until_the_first_ends(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        body = {"modelId": model["id"], "format": "tflite", "args": {"imgsz": 320}}
        first = data(client.post("/api/exports", json=body), 201)
        error(client.post("/api/exports", json={**body, "args": {"half": True}}), 409, "CONFLICT")
        data(client.post("/api/exports", json={**body, "format": "coreml"}), 201)  # another format is fine
        wait_for(lambda: get(client, f"/api/exports/{first['id']}"), finished("completed"))
        second = data(client.post("/api/exports", json=body), 201)
    assert second["id"] != first["id"] and second["args"] == {"imgsz": 320}


def test_a_model_without_weights_cannot_be_exported_until_trained(emulator: Emulator) -> None:
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        refused = client.post("/api/exports", json={"modelId": model["id"], "format": "onnx"})
        assert error(refused, 400, "VALIDATION_ERROR")["details"]["fields"][0]["field"] == "modelId"
        data(start_training(client, model["id"], dataset["id"], epochs=3), 201)
        wait_for(lambda: get(client, f"/api/models/{model['id']}/training"), finished("completed"))
        trained = get(client, f"/api/models/{model['id']}")
        export = data(client.post("/api/exports", json={"modelId": model["id"], "format": "openvino"}), 201)
        done = wait_for(lambda: get(client, f"/api/exports/{export['id']}"), finished("completed"))
        text = client.get(done["file"]["url"]).text
    assert f"source-sha256: {trained['fileSha256']}" in text
    assert done["file"]["name"].endswith("_openvino_model.zip")


def test_bad_export_requests(emulator: Emulator) -> None:
    with emulator.client() as client, emulator.client(emulator.keys[1]) as other:
        model = model_with_weights(client)
        bad_format = client.post("/api/exports", json={"modelId": model["id"], "format": "pickle"})
        assert error(bad_format, 400, "VALIDATION_ERROR")["details"]["fields"][0]["field"] == "format"
        error(client.post("/api/exports", json={"modelId": "model_nope", "format": "onnx"}), 404, "NOT_FOUND")
        error(other.post("/api/exports", json={"modelId": model["id"], "format": "onnx"}), 404, "NOT_FOUND")
        export = data(client.post("/api/exports", json={"modelId": model["id"], "format": "onnx"}), 201)
        error(other.get(f"/api/exports/{export['id']}"), 404, "NOT_FOUND")
        error(other.delete(f"/api/exports/{export['id']}"), 404, "NOT_FOUND")
        assert other.get("/api/exports").json()["meta"]["total"] == 0


def test_list_filters_by_model_and_status_with_paging(emulator: Emulator) -> None:
    with emulator.client() as client:
        one, two = model_with_weights(client, "one"), model_with_weights(client, "two")
        ids = [
            data(client.post("/api/exports", json={"modelId": model["id"], "format": fmt}), 201)["id"]
            for model in (one, two)
            for fmt in ("onnx", "ncnn")
        ]
        for export_id in ids:
            wait_for(
                lambda export_id=export_id: get(client, f"/api/exports/{export_id}"), finished("completed")
            )
        of_one = client.get("/api/exports", params={"modelId": one["id"]}).json()
        completed = client.get("/api/exports", params={"status": "completed", "limit": 3, "page": 2}).json()
        none_queued = client.get("/api/exports", params={"status": "queued"}).json()
        bad_status = client.get("/api/exports", params={"status": "done"})
    assert [item["id"] for item in of_one["data"]] == ids[:2]
    assert completed["meta"] == {"page": 2, "limit": 3, "total": 4} and len(completed["data"]) == 1
    assert none_queued["meta"]["total"] == 0
    error(bad_status, 400, "VALIDATION_ERROR")


def test_delete_cancels_an_active_export_then_deletes_it_and_its_file(
    emulator_factory: Callable[..., Emulator],
) -> None:
    emulator = emulator_factory(job_seconds=0.3)
    with emulator.client() as client:
        model = model_with_weights(client)
        export = data(client.post("/api/exports", json={"modelId": model["id"], "format": "onnx"}), 201)
        cancelled = data(client.delete(f"/api/exports/{export['id']}"))
        assert cancelled["status"] == "cancelled" and cancelled["file"] is None
        data(
            client.post("/api/exports", json={"modelId": model["id"], "format": "onnx"}), 201
        )  # no longer active
        deleted = data(client.delete(f"/api/exports/{export['id']}"))
        error(client.get(f"/api/exports/{export['id']}"), 404, "NOT_FOUND")
    assert deleted == {"id": export["id"], "deleted": True}


def test_deleting_a_completed_export_removes_its_file(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        export = data(client.post("/api/exports", json={"modelId": model["id"], "format": "mnn"}), 201)
        done = wait_for(lambda: get(client, f"/api/exports/{export['id']}"), finished("completed"))
        used = get(client, "/api/storage")["used"]
        data(client.delete(f"/api/exports/{export['id']}"))
        assert client.get(done["file"]["url"]).status_code == 404
        assert get(client, "/api/storage")["used"] == used - done["file"]["size"]


def test_a_trashed_model_hides_its_exports_until_restored(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        export = data(client.post("/api/exports", json={"modelId": model["id"], "format": "onnx"}), 201)
        data(client.delete(f"/api/models/{model['id']}"))
        error(client.get(f"/api/exports/{export['id']}"), 404, "NOT_FOUND")
        assert client.get("/api/exports").json()["meta"]["total"] == 0
        data(client.post("/api/trash", json={"itemId": model["id"], "type": "model"}))
        assert get(client, f"/api/exports/{export['id']}")["modelId"] == model["id"]


def test_purging_a_model_deletes_its_exports_and_their_files(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = model_with_weights(client)
        export = data(client.post("/api/exports", json={"modelId": model["id"], "format": "onnx"}), 201)
        done = wait_for(lambda: get(client, f"/api/exports/{export['id']}"), finished("completed"))
        data(client.delete(f"/api/models/{model['id']}"))
        data(client.post("/api/trash/empty"))
        assert client.get(done["file"]["url"]).status_code == 404
        assert get(client, "/api/storage")["used"] == 0


def test_an_export_whose_file_does_not_fit_in_storage_fails(
    emulator_factory: Callable[..., Emulator],
) -> None:
    emulator = emulator_factory(storage_limit=len(checkpoint(b"uploaded weights")) + 10)
    with emulator.client() as client:
        model = model_with_weights(client)
        export = data(client.post("/api/exports", json={"modelId": model["id"], "format": "onnx"}), 201)
        failed = wait_for(lambda: get(client, f"/api/exports/{export['id']}"), finished("failed"))
    assert failed["error"]["code"] == "PAYLOAD_TOO_LARGE" and failed["file"] is None
