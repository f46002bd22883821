"""Small helpers for the emulator's contract tests (plain HTTP, no ulplan.client)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx


def data(response: httpx.Response, status: int = 200) -> Any:
    """The ``data`` of a success envelope, after checking the status."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is True
    return body["data"]


def error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The ``error`` of a failure envelope, after checking status and code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    err: dict[str, Any] = body["error"]
    return err


def checkpoint(payload: bytes = b"weights", folder: str = "model") -> bytes:
    """Bytes laid out like a torch checkpoint: a zip holding ``<folder>/data.pkl``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{folder}/data.pkl", b"\x80\x02}q\x00.")
        archive.writestr(f"{folder}/data/0", payload)
    return buffer.getvalue()


def make_project(client: httpx.Client, name: str = "Detection", **fields: Any) -> dict[str, Any]:
    """Create a project and return it."""
    result: dict[str, Any] = data(client.post("/api/projects", json={"name": name, **fields}), 201)
    return result


def make_dataset(
    client: httpx.Client, name: str = "Traffic", task: str = "detect", **fields: Any
) -> dict[str, Any]:
    """Create a dataset and return it."""
    result: dict[str, Any] = data(
        client.post("/api/datasets", json={"name": name, "task": task, **fields}), 201
    )
    return result


def make_model(
    client: httpx.Client, project_id: str, name: str = "yolo", weights: bytes | None = None, **fields: Any
) -> dict[str, Any]:
    """Create a model (uploading ``weights`` when given) and return it."""
    files = {"file": ("best.pt", weights, "application/octet-stream")} if weights is not None else None
    form = {"projectId": project_id, "name": name, **fields}
    response = client.post("/api/models", data=form, files=files)
    result: dict[str, Any] = data(response, 201)
    return result
