"""Every emulator endpoint, from the served OpenAPI document: no key is 401, a key without the
route's scope is 403, and another account's id is 404 (never its data, never a 5xx)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability.helpers import checkpoint
from tests.support.emulator import Emulator, start_thread_emulator
from ulplan.emulator.app import create_app
from ulplan.emulator.config import EmulatorConfig

# Signed download links (everything under /api/files/) and the emulated payment pages are
# reached from a browser: no key by design; the signature or session id is the secret.
PAYMENT_LINKS = {"/api/billing/checkout/{sessionId}", "/api/billing/portal/{sessionId}"}


def _is_public(path: str) -> bool:
    return path.startswith("/api/files/") or path in PAYMENT_LINKS


# Any valid key may read the summary: `yolo login KEY` calls it to check a key.
ANY_KEY = {("GET", "/api/account/summary")}
# Bodies that pass validation, so the answer is about the id, not about the body.
PATCH_BODY: dict[str, Any] = {"name": "renamed"}
PARAM_KIND = {
    "projectId": "project",
    "datasetId": "dataset",
    "modelId": "model",
    "exportId": "export",
    "deploymentId": "deployment",
    "keyId": "key",
}


def _routes() -> list[tuple[str, str]]:
    """(method, path) of every /api route, from the app's OpenAPI document."""
    app = create_app(EmulatorConfig(db_path=":memory:"))
    try:
        document = app.openapi()
    finally:
        app.state.store.close()
    return sorted(
        (method.upper(), path)
        for path, operations in document["paths"].items()
        if path.startswith("/api/")
        for method in operations
    )


ROUTES = _routes()
PROTECTED = [(m, p) for m, p in ROUTES if not _is_public(p)]
PUBLIC = sorted(p for _, p in ROUTES if _is_public(p))
WITH_IDS = [(m, p) for m, p in PROTECTED if re.search(r"\{(\w+)\}", p)]


def _wrong_scope(path: str) -> str:
    """A resource scope that is not this route's (and is neither read, write nor admin)."""
    return "datasets" if path.startswith("/api/deployments") else "deployments"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """One emulator for the module: two accounts, no rate limit."""
    with tempfile.TemporaryDirectory(prefix="ulplan-auth-") as tmp:
        running = start_thread_emulator(Path(tmp))
        yield running
        running.stop()


def _data(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201, 202), response.text
    return response.json()["data"]


@pytest.fixture(scope="module")
def others(emulator: Emulator) -> dict[str, str]:
    """One object of each kind in the *second* account: kind -> id."""
    with emulator.client(emulator.keys[1]) as other:
        project = _data(other.post("/api/projects", json={"name": "Theirs"}))["id"]
        dataset = _data(other.post("/api/datasets", json={"name": "Theirs", "task": "detect"}))["id"]
        files = {"file": ("best.pt", checkpoint(), "application/octet-stream")}
        model = _data(other.post("/api/models", data={"projectId": project, "name": "theirs"}, files=files))[
            "id"
        ]
        export = _data(other.post("/api/exports", json={"modelId": model, "format": "onnx"}))["id"]
        body = {"modelId": model, "name": "theirs", "region": "us-central1"}
        deployment = _data(other.post("/api/deployments", json=body))["id"]
        key = _data(other.post("/api/api-keys", json={"name": "theirs"}))["id"]
    return {"project": project, "dataset": dataset, "model": model, "export": export,
            "deployment": deployment, "key": key}  # fmt: skip


@pytest.fixture(scope="module")
def scoped(emulator: Emulator) -> dict[str, str]:
    """Keys of the first account holding a single scope each."""
    with emulator.client() as client:
        return {
            scope: _data(client.post("/api/api-keys", json={"name": scope, "scopes": [scope]}))["key"]
            for scope in ("datasets", "deployments")
        }


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(PARAM_KIND.get(m.group(1), ""), "missing_0"), path)


def _call(emulator: Emulator, method: str, path: str, key: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = PATCH_BODY if method == "PATCH" else None
    with httpx.Client(base_url=emulator.url, timeout=10) as client:
        return client.request(method, path, headers=headers, json=body)


def _error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == code, body


def test_the_served_document_lists_these_routes(emulator: Emulator) -> None:
    served = httpx.get(f"{emulator.url}/api/openapi.json").json()["paths"]
    assert {(m.upper(), p) for p, ops in served.items() if p.startswith("/api/") for m in ops} == set(ROUTES)
    assert len(PROTECTED) > 40


@pytest.mark.parametrize(("method", "path"), PROTECTED, ids=[f"{m} {p}" for m, p in PROTECTED])
def test_no_key_is_401(emulator: Emulator, others: dict[str, str], method: str, path: str) -> None:
    _error(_call(emulator, method, _fill(path, others), None), 401, "UNAUTHORIZED")
    _error(_call(emulator, method, _fill(path, others), "ul_" + "0" * 40), 401, "UNAUTHORIZED")


@pytest.mark.parametrize(("method", "path"), PROTECTED, ids=[f"{m} {p}" for m, p in PROTECTED])
def test_a_key_without_the_scope_is_403(
    emulator: Emulator, scoped: dict[str, str], others: dict[str, str], method: str, path: str
) -> None:
    response = _call(emulator, method, _fill(path, others), scoped[_wrong_scope(path)])
    if (method, path) in ANY_KEY:
        assert response.status_code == 200, response.text
    else:
        _error(response, 403, "FORBIDDEN")


@pytest.mark.parametrize(("method", "path"), WITH_IDS, ids=[f"{m} {p}" for m, p in WITH_IDS])
def test_another_accounts_id_is_404(
    emulator: Emulator, others: dict[str, str], method: str, path: str
) -> None:
    response = _call(emulator, method, _fill(path, others), emulator.key)
    _error(response, 404, "NOT_FOUND")
    assert "Theirs" not in response.text and "theirs" not in response.text


BODY_IDS: list[tuple[str, str, str]] = [
    ("/api/training/start", "model", '{"modelId": "%s", "datasetId": "%s", "epochs": 1}'),
    ("/api/exports", "model", '{"modelId": "%s", "format": "onnx"}'),
    ("/api/deployments", "model", '{"modelId": "%s", "name": "mine", "region": "us-central1"}'),
    ("/api/trash", "project", '{"itemId": "%s", "type": "project"}'),
]


@pytest.mark.parametrize(("path", "kind", "template"), BODY_IDS, ids=[p for p, _, _ in BODY_IDS])
def test_another_accounts_id_in_a_body_is_404(
    emulator: Emulator, others: dict[str, str], path: str, kind: str, template: str
) -> None:
    values = (others[kind], others["dataset"])[: template.count("%s")]
    with emulator.client() as client:
        response = client.post(path, content=template % values, headers={"Content-Type": "application/json"})
    _error(response, 404, "NOT_FOUND")


def test_a_model_cannot_be_uploaded_into_another_accounts_project(
    emulator: Emulator, others: dict[str, str]
) -> None:
    files = {"file": ("best.pt", checkpoint(), "application/octet-stream")}
    with emulator.client() as client:
        response = client.post("/api/models", data={"projectId": others["project"], "name": "x"}, files=files)
    _error(response, 404, "NOT_FOUND")


@pytest.mark.parametrize("path", PUBLIC)
def test_public_links_need_a_valid_signature_or_session(emulator: Emulator, path: str) -> None:
    url = re.sub(r"\{(\w+)\}", lambda m: f"{m.group(1).removesuffix('Id')}_0", path)
    for params in ({}, {"expires": "9999999999", "signature": "0" * 64}):
        response = httpx.get(f"{emulator.url}{url}", params=params)
        assert 400 <= response.status_code < 500, (url, params, response.text)


LISTS = [p for m, p in PROTECTED if m == "GET" and "{" not in p]


@pytest.mark.parametrize("path", LISTS)
def test_reads_never_show_another_accounts_objects(
    emulator: Emulator, others: dict[str, str], path: str
) -> None:
    response = _call(emulator, "GET", path, emulator.key)
    assert response.status_code == 200, response.text
    leaked = [object_id for object_id in others.values() if object_id in response.text]
    assert not leaked, leaked
