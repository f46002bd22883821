"""Trash (30-day retention, restore, empty) and the activity log."""

from __future__ import annotations

import httpx

from tests.emulator.helpers import checkpoint, data, error, make_dataset, make_model, make_project
from tests.support.emulator import Emulator

DAY = 86_400


def test_project_goes_to_trash_with_its_models_and_comes_back(emulator: Emulator) -> None:
    with emulator.client() as client:
        project = make_project(client)
        model = make_model(client, project["id"])
        assert data(client.delete(f"/api/projects/{project['id']}"))["cascadedModels"] == 1
        error(client.get(f"/api/models/{model['id']}"), 404, "NOT_FOUND")
        items = data(client.get("/api/trash"))
        assert [(i["type"], i["id"], i["cascadedModels"], i["daysRemaining"]) for i in items] == [
            ("project", project["id"], 1, 30)
        ]
        data(client.post("/api/trash", json={"itemId": project["id"], "type": "project"}))
        assert data(client.get(f"/api/models/{model['id']}"))["projectId"] == project["id"]
        assert data(client.get("/api/trash")) == []


def test_restore_is_409_when_the_slug_was_taken(emulator: Emulator) -> None:
    with emulator.client() as client:
        dataset = make_dataset(client, "Cars")
        data(client.delete(f"/api/datasets/{dataset['id']}"))
        make_dataset(client, "Cars")
        error(client.post("/api/trash", json={"itemId": dataset["id"], "type": "dataset"}), 409, "CONFLICT")


def test_model_restore_needs_its_project(emulator: Emulator) -> None:
    with emulator.client() as client:
        project = make_project(client)
        model = make_model(client, project["id"])
        data(client.delete(f"/api/models/{model['id']}"))
        data(client.delete(f"/api/projects/{project['id']}"))
        error(client.post("/api/trash", json={"itemId": model["id"], "type": "model"}), 409, "CONFLICT")
        types = sorted(i["type"] for i in data(client.get("/api/trash")))
        assert types == ["model", "project"]
        assert [i["type"] for i in data(client.get("/api/trash", params={"type": "model"}))] == ["model"]


def test_empty_deletes_for_good_and_frees_storage(emulator: Emulator) -> None:
    with emulator.client() as client:
        project = make_project(client)
        model = make_model(client, project["id"], weights=checkpoint())
        url = data(client.get(f"/api/models/{model['id']}/files"))["files"][0]["url"]
        data(client.delete(f"/api/projects/{project['id']}"))
        assert data(client.post("/api/trash/empty")) == {"deleted": 1}
        assert data(client.get("/api/trash")) == []
        assert data(client.get("/api/storage"))["used"] == 0
        error(client.post("/api/trash", json={"itemId": project["id"], "type": "project"}), 404, "NOT_FOUND")
    error(httpx.get(url), 404, "NOT_FOUND")


def test_items_expire_after_30_days(emulator: Emulator) -> None:
    assert emulator.server is not None
    clock = emulator.server.store.ctx.clock
    with emulator.client() as client:
        dataset = make_dataset(client)
        data(client.delete(f"/api/datasets/{dataset['id']}"))
        start = clock.now()
        clock.now = lambda: start + 29.5 * DAY  # type: ignore[method-assign]
        assert [i["daysRemaining"] for i in data(client.get("/api/trash"))] == [1]
        clock.now = lambda: start + 30 * DAY + 1  # type: ignore[method-assign]
        assert data(client.get("/api/trash")) == []
        error(client.post("/api/trash", json={"itemId": dataset["id"], "type": "dataset"}), 404, "NOT_FOUND")


def test_activity_records_changes_newest_first(emulator: Emulator) -> None:
    with emulator.client() as client:
        project = make_project(client, "Alpha")
        client.patch(f"/api/projects/{project['id']}", json={"description": "x"})
        client.delete(f"/api/projects/{project['id']}")
        events = data(client.get("/api/activity"))
    assert [(e["action"], e["resourceType"], e["resourceName"]) for e in events] == [
        ("trashed", "project", "Alpha"),
        ("updated", "project", "Alpha"),
        ("created", "project", "Alpha"),
    ]
    assert all(e["id"].startswith("event_") and not e["seen"] for e in events)


def test_activity_search_dates_and_paging(emulator: Emulator) -> None:
    with emulator.client() as client:
        make_project(client, "Alpha")
        make_dataset(client, "Beta")
        assert [e["resourceName"] for e in data(client.get("/api/activity", params={"search": "beta"}))] == [
            "Beta"
        ]
        today = data(client.get("/api/activity"))[0]["timestamp"][:10]
        assert len(data(client.get("/api/activity", params={"startDate": today, "endDate": today}))) == 2
        assert data(client.get("/api/activity", params={"endDate": "2000-01-01"})) == []
        page = client.get("/api/activity", params={"limit": 1, "page": 2}).json()
        assert page["meta"] == {"page": 2, "limit": 1, "total": 2}
        error(client.get("/api/activity", params={"startDate": "yesterday"}), 400, "VALIDATION_ERROR")


def test_mark_seen_and_archive(emulator: Emulator) -> None:
    with emulator.client() as client:
        make_project(client, "a")
        make_project(client, "b")
        newest, oldest = data(client.get("/api/activity"))
        assert data(client.post("/api/activity/mark-seen", json={"eventIds": [newest["id"]]})) == {
            "updated": 1
        }
        assert [e["seen"] for e in data(client.get("/api/activity"))] == [True, False]
        assert data(client.post("/api/activity/archive", json={"all": True})) == {"updated": 2}
        assert data(client.get("/api/activity")) == []
        assert len(data(client.get("/api/activity", params={"archived": True}))) == 2
        error(client.post("/api/activity/archive", json={}), 400, "VALIDATION_ERROR")


def test_activity_is_per_account(emulator: Emulator) -> None:
    with emulator.client() as client, emulator.client(emulator.keys[1]) as other:
        make_project(client)
        event = data(client.get("/api/activity"))[0]
        assert data(other.get("/api/activity")) == []
        assert data(other.post("/api/activity/mark-seen", json={"eventIds": [event["id"]]})) == {"updated": 0}


def test_activity_search_is_literal(emulator: Emulator) -> None:
    with emulator.client() as client:
        make_project(client, "a_b")
        make_project(client, "axb")
        make_project(client, "100%")
        assert [e["resourceName"] for e in data(client.get("/api/activity", params={"search": "a_b"}))] == [
            "a_b"
        ]
        assert [e["resourceName"] for e in data(client.get("/api/activity", params={"search": "0%"}))] == [
            "100%"
        ]


def test_expired_trash_stops_counting_against_storage(emulator: Emulator) -> None:
    assert emulator.server is not None
    clock = emulator.server.store.ctx.clock
    with emulator.client() as client:
        model = make_model(client, make_project(client)["id"], weights=checkpoint())
        data(client.delete(f"/api/models/{model['id']}"))
        assert data(client.get("/api/storage"))["used"] > 0  # trashed files still count
        start = clock.now()
        clock.now = lambda: start + 31 * DAY  # type: ignore[method-assign]
        assert data(client.get("/api/storage"))["used"] == 0
