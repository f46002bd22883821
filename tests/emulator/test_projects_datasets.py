"""Projects and datasets: CRUD, slugs, pagination, filters, isolation."""

from __future__ import annotations

import httpx
import pytest

from tests.emulator.helpers import data, error, make_dataset, make_project
from tests.support.emulator import Emulator


def test_project_lifecycle(emulator: Emulator) -> None:
    with emulator.client() as client:
        project = make_project(client, "Traffic Cams", description="d", tags=["a"], visibility="public")
        assert project["id"].startswith("project_")
        assert project["slug"] == "traffic-cams"
        assert project["modelCount"] == 0
        fetched = data(client.get(f"/api/projects/{project['id']}"))
        assert fetched == project
        updated = data(
            client.patch(f"/api/projects/{project['id']}", json={"description": "new", "license": "MIT"})
        )
        assert (updated["description"], updated["license"], updated["name"]) == ("new", "MIT", "Traffic Cams")
        assert updated["updatedAt"] >= project["updatedAt"]
        assert data(client.delete(f"/api/projects/{project['id']}"))["cascadedModels"] == 0
        error(client.get(f"/api/projects/{project['id']}"), 404, "NOT_FOUND")


def test_slugs_are_unique_per_account(emulator: Emulator) -> None:
    with emulator.client() as client, emulator.client(emulator.keys[1]) as other:
        make_project(client, "Same", slug="same")
        error(client.post("/api/projects", json={"name": "Again", "slug": "same"}), 409, "CONFLICT")
        assert make_project(other, "Same", slug="same")["slug"] == "same"


@pytest.mark.parametrize("slug", ["Upper", "double--dash", "-edge", "sp ace", "x" * 101])
def test_bad_slugs_are_validation_errors(emulator: Emulator, slug: str) -> None:
    with emulator.client() as client:
        err = error(client.post("/api/projects", json={"name": "n", "slug": slug}), 400, "VALIDATION_ERROR")
    assert err["details"]["fields"][0]["field"] == "slug"


def test_unprintable_names_are_refused(emulator: Emulator) -> None:
    with emulator.client() as client:
        err = error(client.post("/api/projects", json={"name": "bad\x07name"}), 400, "VALIDATION_ERROR")
    assert err["details"]["fields"][0]["field"] == "name"


def test_unknown_body_fields_are_refused(emulator: Emulator) -> None:
    with emulator.client() as client:
        error(client.post("/api/projects", json={"name": "n", "colour": "red"}), 400, "VALIDATION_ERROR")


def test_pagination_meta(emulator: Emulator) -> None:
    with emulator.client() as client:
        for index in range(5):
            make_project(client, f"p{index}")
        first = client.get("/api/projects", params={"limit": 2}).json()
        last = client.get("/api/projects", params={"limit": 2, "page": 3}).json()
    assert first["meta"] == {"page": 1, "limit": 2, "total": 5}
    assert [p["name"] for p in first["data"]] == ["p0", "p1"]
    assert [p["name"] for p in last["data"]] == ["p4"]


def test_another_accounts_project_is_404(emulator: Emulator) -> None:
    with emulator.client() as client, emulator.client(emulator.keys[1]) as other:
        project = make_project(client)
        error(other.get(f"/api/projects/{project['id']}"), 404, "NOT_FOUND")
        error(other.patch(f"/api/projects/{project['id']}", json={"name": "x"}), 404, "NOT_FOUND")
        error(other.delete(f"/api/projects/{project['id']}"), 404, "NOT_FOUND")
        assert data(other.get("/api/projects")) == []


def test_dataset_lifecycle_and_task_filter(emulator: Emulator) -> None:
    with emulator.client() as client:
        dataset = make_dataset(client, "Cars", "detect", classNames=["car", "bus"])
        make_dataset(client, "Poses", "pose")
        assert dataset["id"].startswith("dataset_")
        assert (dataset["classCount"], dataset["imageCount"]) == (2, 0)
        listed = data(client.get("/api/datasets", params={"task": "pose"}))
        assert [d["name"] for d in listed] == ["Poses"]
        patched = data(client.patch(f"/api/datasets/{dataset['id']}", json={"classNames": ["car"]}))
        assert patched["classNames"] == ["car"] and patched["classCount"] == 1
        err = error(
            client.patch(f"/api/datasets/{dataset['id']}", json={"task": "pose"}), 400, "VALIDATION_ERROR"
        )
        assert err["details"]["fields"][0]["field"] == "task"
        data(client.delete(f"/api/datasets/{dataset['id']}"))
        error(client.get(f"/api/datasets/{dataset['id']}"), 404, "NOT_FOUND")


def test_dataset_export_is_a_signed_ndjson_download(emulator: Emulator) -> None:
    with emulator.client() as client:
        dataset = make_dataset(client, "Cars", "segment", classNames=["car"])
        link = data(client.post(f"/api/datasets/{dataset['id']}/export"))
    assert link["expiresAt"].endswith("Z")
    response = httpx.get(link["url"])  # no key: the signature is the authorisation
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert lines[0] == '{"type": "dataset", "task": "segment", "name": "Cars", "class_names": ["car"]}'
    tampered = link["url"].replace("signature=", "signature=0")
    error(httpx.get(tampered), 404, "NOT_FOUND")
