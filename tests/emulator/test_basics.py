"""The envelope, auth, routing errors and the account summary."""

from __future__ import annotations

import httpx

from tests.emulator.helpers import data, error
from tests.support.emulator import Emulator


def test_health_needs_no_key(emulator: Emulator) -> None:
    response = httpx.get(f"{emulator.url}/health")
    assert data(response)["status"] == "ok"


def test_missing_and_unknown_keys_are_401(emulator: Emulator) -> None:
    error(httpx.get(f"{emulator.url}/api/projects"), 401, "UNAUTHORIZED")
    with emulator.client("ul_" + "0" * 40) as client:
        err = error(client.get("/api/projects"), 401, "UNAUTHORIZED")
    assert "0" * 40 not in err["message"]


def test_unknown_route_and_wrong_method_use_the_envelope(emulator: Emulator) -> None:
    with emulator.client() as client:
        error(client.get("/api/nothing-here"), 404, "NOT_FOUND")
        error(client.put("/api/projects"), 405, "METHOD_NOT_ALLOWED")


def test_validation_errors_name_each_field(emulator: Emulator) -> None:
    with emulator.client() as client:
        err = error(
            client.post("/api/projects", json={"name": "", "visibility": "secret"}), 400, "VALIDATION_ERROR"
        )
    fields = {item["field"] for item in err["details"]["fields"]}
    assert fields == {"name", "visibility"}


def test_page_limit_is_bounded(emulator: Emulator) -> None:
    with emulator.client() as client:
        err = error(client.get("/api/projects", params={"limit": 101}), 400, "VALIDATION_ERROR")
    assert err["details"]["fields"][0]["field"] == "limit"


def test_account_summary(emulator: Emulator) -> None:
    with emulator.client() as client:
        client.post("/api/projects", json={"name": "One"})
        summary = data(client.get("/api/account/summary"))
    assert summary["username"] == "user1"
    assert summary["plan"] == "pro"
    assert summary["totalBalance"] == 5_000_000
    assert summary["counts"] == {"projects": 1, "datasets": 0, "models": 0, "deployments": 0}


def test_account_summary_satisfies_yolo_login(emulator: Emulator) -> None:
    # `yolo login KEY` (through the `ultralytics_platform` client) sends one GET with the
    # bearer key and accepts the key on a 200; an unknown key must be a 401.
    with emulator.client() as client:
        assert client.get("/api/account/summary").status_code == 200
    with emulator.client("ul_" + "0" * 40) as stranger:
        assert stranger.get("/api/account/summary").status_code == 401


def test_account_summary_accepts_a_key_of_any_scope(emulator: Emulator) -> None:
    with emulator.client() as client:
        key = data(client.post("/api/api-keys", json={"name": "narrow", "scopes": ["datasets"]}), 201)["key"]
    with emulator.client(key) as narrow:
        assert data(narrow.get("/api/account/summary"))["username"] == "user1"


def test_openapi_document_is_served_and_says_emulation(emulator: Emulator) -> None:
    document = httpx.get(f"{emulator.url}/api/openapi.json").json()
    assert "emulat" in document["info"]["description"].lower()
    assert "/api/projects/{projectId}" in document["paths"]


def test_account_summary_is_a_plain_envelope(emulator: Emulator) -> None:
    # `yolo login` needs only the 200; the body keeps the same envelope as every endpoint.
    with emulator.client() as client:
        body = client.get("/api/account/summary").json()
    assert set(body) == {"success", "data"}
