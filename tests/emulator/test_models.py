"""Models: multipart upload, checkpoint validation, signed downloads, storage limit, predict."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import httpx

from tests.emulator.helpers import checkpoint, data, error, make_model, make_project
from tests.support.emulator import Emulator


def test_upload_then_download_byte_for_byte(emulator: Emulator) -> None:
    weights = checkpoint(bytes(range(256)) * 5000)
    with emulator.client() as client:
        project = make_project(client)
        model = make_model(client, project["id"], "yolo", weights)
        assert model["id"].startswith("model_")
        assert (model["status"], model["fileSize"]) == ("completed", len(weights))
        assert model["fileSha256"] == hashlib.sha256(weights).hexdigest()
        files = data(client.get(f"/api/models/{model['id']}/files"))["files"]
    assert [(f["name"], f["size"]) for f in files] == [("best.pt", len(weights))]
    download = httpx.get(files[0]["url"])
    assert download.status_code == 200
    assert download.content == weights


def test_without_file_the_model_is_untrained(emulator: Emulator) -> None:
    with emulator.client() as client:
        project = make_project(client)
        model = make_model(client, project["id"], "base", task="segment")
        assert (model["status"], model["task"], model["fileSize"]) == ("untrained", "segment", None)
        assert data(client.get(f"/api/models/{model['id']}/files")) == {"files": []}
        assert data(client.get(f"/api/projects/{project['id']}"))["modelCount"] == 1


def test_files_that_are_not_checkpoints_are_refused(emulator: Emulator) -> None:
    with emulator.client() as client:
        project = make_project(client)
        for content in (b"not a zip", checkpoint(folder="a/b")):
            files = {"file": ("best.pt", content, "application/octet-stream")}
            response = client.post("/api/models", data={"projectId": project["id"], "name": "m"}, files=files)
            assert error(response, 400, "VALIDATION_ERROR")["details"]["fields"][0]["field"] == "file"
        assert data(client.get("/api/models")) == []
        assert data(client.get("/api/storage"))["used"] == 0


def test_model_slugs_are_unique_per_project(emulator: Emulator) -> None:
    with emulator.client() as client:
        first, second = make_project(client, "a"), make_project(client, "b")
        make_model(client, first["id"], "yolo")
        make_model(client, second["id"], "yolo")
        response = client.post("/api/models", data={"projectId": first["id"], "name": "yolo"})
        error(response, 409, "CONFLICT")
        assert len(data(client.get("/api/models", params={"projectId": first["id"]}))) == 1


def test_model_in_another_accounts_project_is_404(emulator: Emulator) -> None:
    with emulator.client() as client, emulator.client(emulator.keys[1]) as other:
        project = make_project(client)
        model = make_model(client, project["id"])
        error(other.post("/api/models", data={"projectId": project["id"], "name": "x"}), 404, "NOT_FOUND")
        error(other.get(f"/api/models/{model['id']}/files"), 404, "NOT_FOUND")


def test_patch_and_delete(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = make_model(client, make_project(client)["id"])
        patched = data(client.patch(f"/api/models/{model['id']}", json={"name": "Renamed", "license": "MIT"}))
        assert (patched["name"], patched["slug"], patched["license"]) == ("Renamed", model["slug"], "MIT")
        data(client.delete(f"/api/models/{model['id']}"))
        error(client.get(f"/api/models/{model['id']}"), 404, "NOT_FOUND")


def test_predict_says_inference_is_not_available(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = make_model(client, make_project(client)["id"], weights=checkpoint())
        err = error(client.post(f"/api/models/{model['id']}/predict"), 501, "NOT_IMPLEMENTED")
        assert "not available" in err["message"]
        error(client.post("/api/models/model_missing/predict"), 404, "NOT_FOUND")


def test_uploads_past_the_storage_limit_are_413(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(storage_limit=20_000)
    with emulator.client() as client:
        project = make_project(client)
        make_model(client, project["id"], "small", checkpoint(b"x" * 5_000))
        files = {"file": ("big.pt", checkpoint(b"y" * 30_000), "application/octet-stream")}
        response = client.post("/api/models", data={"projectId": project["id"], "name": "big"}, files=files)
        error(response, 413, "PAYLOAD_TOO_LARGE")
        storage = data(client.get("/api/storage"))
    assert storage["limit"] == 20_000
    assert 5_000 < storage["used"] < 20_000
    assert storage["percentage"] == round(100 * storage["used"] / 20_000, 2)


def test_expired_download_links_are_refused(emulator: Emulator) -> None:
    with emulator.client() as client:
        model = make_model(client, make_project(client)["id"], weights=checkpoint())
        url = data(client.get(f"/api/models/{model['id']}/files"))["files"][0]["url"]
    base, _, query = url.partition("?")
    params = dict(part.split("=") for part in query.split("&"))
    error(httpx.get(base, params={**params, "expires": "1"}), 404, "NOT_FOUND")


def test_untrained_model_from_a_multipart_form_without_file(emulator: Emulator) -> None:
    with emulator.client() as client:
        project = make_project(client)
        parts = [("projectId", (None, project["id"])), ("name", (None, "bare")), ("task", (None, "pose"))]
        model = data(client.post("/api/models", files=parts), 201)
    assert (model["status"], model["task"]) == ("untrained", "pose")
