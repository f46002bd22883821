"""Emulated training over HTTP: state machine, progress, billing, failure and cancel."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import httpx

from tests.emulator.helpers import data, error, make_dataset
from tests.emulator.jobs.jobkit import finished, get, start_training, training, untrained_model, wait_for
from tests.support.emulator import Emulator

GPU_IDS = {
    "rtx-3090", "rtx-4090", "rtx-6000-ada", "l4", "l40s", "a100-40gb",
    "a100-80gb", "h100", "h200", "b200", "t4", "v100",
}  # fmt: skip


def test_gpu_catalogue_lists_the_agreed_types_with_rtx_4090_as_default(emulator: Emulator) -> None:
    with emulator.client() as client:
        catalogue = get(client, "/api/training/gpu-types")
    assert {gpu["id"] for gpu in catalogue} == GPU_IDS
    assert [gpu["id"] for gpu in catalogue if gpu["default"]] == ["rtx-4090"]
    assert all(gpu["pricePerHour"] > 0 and gpu["memoryGb"] > 0 for gpu in catalogue)


def test_training_runs_from_starting_to_completed_and_the_model_follows(emulator: Emulator) -> None:
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        assert training(client, model["id"]) is None
        started = data(start_training(client, model["id"], dataset["id"], epochs=8, imageSize=320), 201)
        assert (started["modelId"], started["status"], started["gpuType"]) == (
            model["id"],
            "starting",
            "rtx-4090",
        )
        seen = []
        done = wait_for(
            lambda: training(client, model["id"]),
            lambda job: seen.append(job) or job["status"] == "completed",
        )
        trained = get(client, f"/api/models/{model['id']}")
        files = get(client, f"/api/models/{model['id']}/files")["files"]
        weights = client.get(files[0]["url"]).content
    assert {job["status"] for job in seen} <= {"starting", "running", "completed"}
    epochs = [job["progress"]["currentEpoch"] for job in seen]
    assert epochs == sorted(epochs)
    assert done["progress"] == {"currentEpoch": 8, "totalEpochs": 8, "percentage": 100.0}
    assert done["timing"]["etaMs"] == 0 and done["completedAt"] is not None
    assert (done["epochs"], done["imageSize"], done["datasetId"]) == (8, 320, dataset["id"])
    assert 0 < done["metrics"]["mAP50"] <= 1
    assert (trained["status"], trained["epochs"], trained["datasetId"]) == ("completed", 8, dataset["id"])
    assert trained["metrics"]["mAP50"] == done["metrics"]["mAP50"]
    assert trained["fileSize"] == len(weights) and files[0]["sha256"] == trained["fileSha256"]
    assert any(name.endswith("/data.pkl") for name in zipfile.ZipFile(io.BytesIO(weights)).namelist())


def test_running_training_reports_progress_and_a_shrinking_eta(
    emulator_factory: Callable[..., Emulator],
) -> None:
    emulator = emulator_factory(epoch_seconds=0.1, job_seconds=0.05)
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        data(start_training(client, model["id"], dataset["id"], epochs=40), 201)
        first = wait_for(
            lambda: training(client, model["id"]), lambda job: job["progress"]["currentEpoch"] >= 1
        )
        later = wait_for(
            lambda: training(client, model["id"]),
            lambda job: job["progress"]["currentEpoch"] > first["progress"]["currentEpoch"],
        )
        data(client.delete(f"/api/models/{model['id']}/training"))
    assert first["status"] == later["status"] == "running"
    assert 0 < first["progress"]["percentage"] < later["progress"]["percentage"] < 100
    assert later["timing"]["etaMs"] < first["timing"]["etaMs"]
    assert later["timing"]["elapsedMs"] > first["timing"]["elapsedMs"]
    assert 0 < first["costMicroUsd"] < later["costMicroUsd"] < later["estimatedCostMicroUsd"]


def test_training_reserves_its_estimate_and_settles_the_actual_cost(emulator: Emulator) -> None:
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        before = get(client, "/api/billing/balance")
        price = {gpu["id"]: gpu for gpu in get(client, "/api/training/gpu-types")}["h100"]["pricePerHour"]
        started = data(start_training(client, model["id"], dataset["id"], epochs=6, gpuType="h100"), 201)
        estimate = started["estimatedCost"]["costMicroUsd"]
        during = get(client, "/api/billing/balance")
        done = wait_for(lambda: training(client, model["id"]), finished("completed"))
        after = get(client, "/api/billing/balance")
    assert started["estimatedCost"]["pricePerHour"] == price
    assert estimate > 0 and during["reservedAmount"] == estimate
    assert during["totalBalance"] == before["totalBalance"] - estimate
    assert done["costMicroUsd"] == estimate
    assert after["reservedAmount"] == 0
    assert after["totalBalance"] == before["totalBalance"] - estimate


def test_training_the_balance_cannot_cover_is_refused_with_402(emulator: Emulator) -> None:
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        refused = start_training(
            client, model["id"], dataset["id"], epochs=5000, imageSize=1280, gpuType="b200"
        )
        err = error(refused, 402, "INSUFFICIENT_CREDITS")
        balance = get(client, "/api/billing/balance")
        assert training(client, model["id"]) is None
        assert get(client, f"/api/models/{model['id']}")["status"] == "untrained"
    assert err["details"]["requiredMicroUsd"] > err["details"]["availableMicroUsd"]
    assert balance["reservedAmount"] == 0


def test_a_second_start_while_active_is_409(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(epoch_seconds=0.5)
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        data(start_training(client, model["id"], dataset["id"], epochs=20), 201)
        error(start_training(client, model["id"], dataset["id"], epochs=20), 409, "CONFLICT")
        data(client.delete(f"/api/models/{model['id']}/training"))


def test_bad_training_requests_name_the_field(emulator: Emulator) -> None:
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        segment = make_dataset(client, "Masks", task="segment")
        cases = {
            "gpuType": start_training(client, model["id"], dataset["id"], epochs=3, gpuType="tpu-v9"),
            "epochs": start_training(client, model["id"], dataset["id"], epochs=0),
            "imageSize": start_training(client, model["id"], dataset["id"], epochs=3, imageSize=8),
            "datasetId": start_training(client, model["id"], segment["id"], epochs=3),
        }
        for field, response in cases.items():
            fields = error(response, 400, "VALIDATION_ERROR")["details"]["fields"]
            assert [item["field"] for item in fields] == [field]
        error(start_training(client, "model_nope", dataset["id"], epochs=3), 404, "NOT_FOUND")
        error(start_training(client, model["id"], "dataset_nope", epochs=3), 404, "NOT_FOUND")


def test_another_accounts_model_is_not_found(emulator: Emulator) -> None:
    with emulator.client() as client, emulator.client(emulator.keys[1]) as other:
        model, dataset = untrained_model(client)
        _, theirs = untrained_model(other, "theirs")
        error(start_training(other, model["id"], theirs["id"], epochs=2), 404, "NOT_FOUND")
        error(other.get(f"/api/models/{model['id']}/training"), 404, "NOT_FOUND")
        error(other.delete(f"/api/models/{model['id']}/training"), 404, "NOT_FOUND")


def test_with_fail_rate_one_every_run_fails_and_is_billed_for_what_ran(
    emulator_factory: Callable[..., Emulator],
) -> None:
    emulator = emulator_factory(fail_training_rate=1.0)
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        before = get(client, "/api/billing/balance")["totalBalance"]
        started = data(start_training(client, model["id"], dataset["id"], epochs=10), 201)
        failed = wait_for(lambda: training(client, model["id"]), finished("failed"))
        after = get(client, "/api/billing/balance")
        assert get(client, f"/api/models/{model['id']}")["status"] == "failed"
        data(
            start_training(client, model["id"], dataset["id"], epochs=10), 201
        )  # a failed run can start again
        wait_for(lambda: training(client, model["id"]), finished("failed"))
    assert failed["error"]["message"] and 1 <= failed["error"]["epoch"] <= 10
    assert failed["progress"]["currentEpoch"] == failed["error"]["epoch"] - 1
    assert 0 < failed["costMicroUsd"] <= started["estimatedCost"]["costMicroUsd"]
    assert after == {**after, "reservedAmount": 0, "totalBalance": before - failed["costMicroUsd"]}


def test_cancel_bills_the_elapsed_part_and_a_second_cancel_is_409(
    emulator_factory: Callable[..., Emulator],
) -> None:
    emulator = emulator_factory(epoch_seconds=0.2, job_seconds=0.05)
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        before = get(client, "/api/billing/balance")["totalBalance"]
        estimate = data(start_training(client, model["id"], dataset["id"], epochs=50), 201)["estimatedCost"]
        wait_for(lambda: training(client, model["id"]), lambda job: job["progress"]["currentEpoch"] >= 1)
        cancelled = data(client.delete(f"/api/models/{model['id']}/training"))
        again = training(client, model["id"])
        error(client.delete(f"/api/models/{model['id']}/training"), 409, "CONFLICT")
        balance = get(client, "/api/billing/balance")
        status = get(client, f"/api/models/{model['id']}")["status"]
        activity = client.get("/api/activity", params={"search": "Training"}).json()["data"]
    assert cancelled["status"] == "cancelled" and again == cancelled
    assert 0 < cancelled["costMicroUsd"] < estimate["costMicroUsd"]
    assert balance["reservedAmount"] == 0 and balance["totalBalance"] == before - cancelled["costMicroUsd"]
    assert status == "cancelled"
    assert {"started", "cancelled"} <= {event["action"] for event in activity}


def test_cancel_without_a_run_is_409(emulator: Emulator) -> None:
    with emulator.client() as client:
        model, _ = untrained_model(client)
        error(client.delete(f"/api/models/{model['id']}/training"), 409, "CONFLICT")


def test_training_needs_the_training_scope(emulator: Emulator) -> None:
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        key = data(client.post("/api/api-keys", json={"name": "models only", "scopes": ["models"]}), 201)[
            "key"
        ]
    with httpx.Client(base_url=emulator.url, headers={"Authorization": f"Bearer {key}"}) as limited:
        error(start_training(limited, model["id"], dataset["id"], epochs=2), 403, "FORBIDDEN")


def test_trashing_a_model_cancels_its_training(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(epoch_seconds=0.2)
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        data(start_training(client, model["id"], dataset["id"], epochs=50), 201)
        data(client.delete(f"/api/models/{model['id']}"))
        wait_for(lambda: get(client, "/api/billing/balance"), lambda balance: balance["reservedAmount"] == 0)
        data(client.post("/api/trash", json={"itemId": model["id"], "type": "model"}))
        job = training(client, model["id"])
    assert job["status"] == "cancelled" and job["costMicroUsd"] < job["estimatedCostMicroUsd"]


def test_a_run_whose_weights_do_not_fit_in_storage_fails(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(storage_limit=100)  # bytes: less than the trained weights need
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        data(start_training(client, model["id"], dataset["id"], epochs=2), 201)
        failed = wait_for(lambda: training(client, model["id"]), finished("failed"))
        after = get(client, f"/api/models/{model['id']}")
    assert failed["error"]["code"] == "PAYLOAD_TOO_LARGE" and failed["progress"]["currentEpoch"] == 2
    assert (after["status"], after["fileSha256"]) == ("failed", None)
