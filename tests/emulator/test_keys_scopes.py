"""API keys and the scope rules of API.md, table-driven."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.emulator.helpers import data, error
from tests.support.emulator import Emulator, make_config, new_key, start_thread_emulator
from ulplan.emulator.store import Store

# (method, path, body, scopes that may call it); any other scope must get 403.
ENDPOINTS: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/api/projects", None, {"projects", "read", "write", "admin"}),
    ("POST", "/api/projects", {"name": "p"}, {"projects", "write", "admin"}),
    ("GET", "/api/datasets", None, {"datasets", "read", "write", "admin"}),
    ("POST", "/api/datasets", {"name": "d", "task": "detect"}, {"datasets", "write", "admin"}),
    ("GET", "/api/models", None, {"models", "read", "write", "admin"}),
    ("GET", "/api/trash", None, {"read", "write", "admin"}),
    ("POST", "/api/trash/empty", None, {"write", "admin"}),
    ("GET", "/api/activity", None, {"read", "write", "admin"}),
    ("GET", "/api/storage", None, {"read", "write", "admin"}),
    ("GET", "/api/billing/usage-summary", None, {"read", "write", "admin"}),
    ("GET", "/api/billing/balance", None, {"read", "write", "admin"}),
    ("POST", "/api/billing/checkout-session", {"amount": 10}, {"admin"}),
    ("GET", "/api/api-keys", None, {"admin"}),
    ("POST", "/api/gdpr", {"action": "export"}, {"admin"}),
]
SCOPES = ["datasets", "projects", "models", "training", "exports", "deployments", "read", "write", "admin"]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """One emulator for the whole scope table (the calls do not disturb one another)."""
    emulator = start_thread_emulator(tmp_path_factory.mktemp("scopes"))
    yield emulator
    emulator.stop()


@pytest.fixture(scope="module")
def scoped_keys(shared: Emulator) -> dict[str, str]:
    """One key per single scope, all in the first account."""
    with shared.client() as client:
        return {
            scope: data(client.post("/api/api-keys", json={"name": scope, "scopes": [scope]}), 201)["key"]
            for scope in SCOPES
        }


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS]
)
def test_scopes(
    shared: Emulator, scoped_keys: dict[str, str], method: str, path: str, body: Any, allowed: set[str]
) -> None:
    for scope, key in scoped_keys.items():
        with shared.client(key) as client:
            response = client.request(method, path, json=body)
        if scope in allowed:
            # Allowed: whatever the answer (a repeated create may be 409), it is not a refusal.
            assert response.status_code not in (401, 403) and response.status_code < 500, (
                scope,
                response.text,
            )
        else:
            assert error(response, 403, "FORBIDDEN")["message"], scope


def test_keys_are_listed_without_the_key_and_can_be_revoked(emulator: Emulator) -> None:
    with emulator.client() as client:
        created = data(client.post("/api/api-keys", json={"name": "ci"}), 201)
        assert created["key"].startswith("ul_") and len(created["key"]) == 43
        assert created["id"].startswith("key_")
        assert created["scopes"] == SCOPES  # no scopes given: all of them
        page = client.get("/api/api-keys").json()
        assert page["meta"] == {"page": 1, "limit": 20, "total": 2}  # the seed key and this one
        listed = page["data"]
        assert created["id"] in [k["id"] for k in listed]
        assert created["key"] not in str(listed)
        assert all(set(k) == {"id", "name", "prefix", "scopes", "createdAt", "lastUsedAt"} for k in listed)
        with emulator.client(created["key"]) as new:
            data(new.get("/api/projects"))
        used = {k["id"]: k for k in data(client.get("/api/api-keys"))}[created["id"]]
        assert used["lastUsedAt"] is not None
        data(client.delete(f"/api/api-keys/{created['id']}"))
        with emulator.client(created["key"]) as revoked:
            error(revoked.get("/api/projects"), 401, "UNAUTHORIZED")


def test_unknown_scopes_are_refused(emulator: Emulator) -> None:
    with emulator.client() as client:
        error(client.post("/api/api-keys", json={"name": "x", "scopes": ["root"]}), 400, "VALIDATION_ERROR")


def test_another_accounts_key_cannot_be_deleted(emulator: Emulator) -> None:
    with emulator.client() as client, emulator.client(emulator.keys[1]) as other:
        key_id = data(client.post("/api/api-keys", json={"name": "mine"}), 201)["id"]
        error(other.delete(f"/api/api-keys/{key_id}"), 404, "NOT_FOUND")


def test_gdpr_export_holds_the_accounts_data_and_no_secrets(emulator: Emulator) -> None:
    with emulator.client() as client:
        client.post("/api/projects", json={"name": "Mine"})
        document = data(client.post("/api/gdpr", json={"action": "export"}))
    assert document["account"]["username"] == "user1"
    assert [p["name"] for p in document["projects"]] == ["Mine"]
    assert document["activity"] and document["balance"]["totalBalance"] == 5_000_000
    assert emulator.key not in str(document)
    assert "key_hash" not in str(document)
    downloaded = httpx.get(document["url"])  # the same document as a file, no key needed
    assert downloaded.status_code == 200
    assert downloaded.json()["projects"] == document["projects"]


def test_gdpr_delete_removes_everything_and_the_keys_stop_working(emulator: Emulator) -> None:
    with emulator.client() as client, emulator.client(emulator.keys[1]) as other:
        client.post("/api/projects", json={"name": "Mine"})
        other_project = data(other.post("/api/projects", json={"name": "Theirs"}), 201)
        export_url = data(client.post("/api/gdpr", json={"action": "export"}))["url"]
        assert data(client.post("/api/gdpr", json={"action": "delete"}))["deleted"] is True
        error(client.get("/api/account/summary"), 401, "UNAUTHORIZED")
        error(httpx.get(export_url), 404, "NOT_FOUND")
        assert data(other.get(f"/api/projects/{other_project['id']}"))["name"] == "Theirs"
    assert emulator.server is not None
    rows = emulator.server.store.ctx.db.query("SELECT COUNT(*) AS n FROM projects")
    assert rows[0]["n"] == 1


def test_gdpr_rejects_unknown_actions(emulator: Emulator) -> None:
    with emulator.client() as client:
        error(client.post("/api/gdpr", json={"action": "forget"}), 400, "VALIDATION_ERROR")
    assert httpx.get(f"{emulator.url}/health").status_code == 200


def test_seeding_after_a_gdpr_delete_picks_a_free_username(tmp_path: Path) -> None:
    first, second, third = new_key(), new_key(), new_key()
    store = Store(make_config(tmp_path, [first, second]))
    store.seed()
    store.gdpr.delete(store.accounts.account_of_key(first) or "")
    store.close()
    # A restart with the first key again, and a third key naming the existing user2.
    store = Store(make_config(tmp_path, [first, f"{third}::user2"]))
    try:
        store.seed()
        assert store.accounts.summary(store.accounts.account_of_key(first) or "")["username"] == "user3"
        assert store.accounts.account_of_key(third) == store.accounts.account_of_key(second)
    finally:
        store.close()
