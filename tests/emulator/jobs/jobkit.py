"""Helpers for the emulated-job tests: a ready model, and bounded polling."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from tests.emulator.helpers import checkpoint, data, make_dataset, make_model, make_project

POLL_SECONDS = 0.02


def wait_for(read: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 5.0) -> Any:
    """Call ``read`` until ``done(result)`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = read()
        if done(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting; last result: {result!r}")
        time.sleep(POLL_SECONDS)


def get(client: httpx.Client, path: str) -> Any:
    """The ``data`` of a successful GET."""
    return data(client.get(path))


def model_with_weights(client: httpx.Client, name: str = "yolo") -> dict[str, Any]:
    """A project and an uploaded model (status completed) in it."""
    project = make_project(client, f"{name} project")
    return make_model(client, project["id"], name, checkpoint(b"uploaded weights"))


def untrained_model(client: httpx.Client, name: str = "fresh") -> tuple[dict[str, Any], dict[str, Any]]:
    """A project with an untrained model, and a detect dataset to train it on."""
    project = make_project(client, f"{name} project")
    return make_model(client, project["id"], name), make_dataset(client, f"{name} data")


def start_training(client: httpx.Client, model_id: str, dataset_id: str, **fields: Any) -> httpx.Response:
    """``POST /api/training/start`` with the given fields."""
    return client.post("/api/training/start", json={"modelId": model_id, "datasetId": dataset_id, **fields})


def training(client: httpx.Client, model_id: str) -> Any:
    """The model's training status (``None`` when never trained)."""
    return get(client, f"/api/models/{model_id}/training")


def finished(status: str) -> Callable[[Any], bool]:
    """A ``done`` predicate: the object's ``status`` is ``status``."""
    return lambda item: item is not None and item["status"] == status
