"""Sixteen concurrent clients: no "database is locked", no lost writes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.emulator.helpers import checkpoint, data
from tests.support.emulator import Emulator

CLIENTS, ROUNDS = 16, 8


def test_sixteen_clients_write_and_read_at_once(emulator: Emulator) -> None:
    with emulator.client() as client:
        project_id = data(client.post("/api/projects", json={"name": "shared"}), 201)["id"]
    weights = checkpoint(b"w" * 20_000)

    def work(worker: int) -> list[int]:
        statuses = []
        with emulator.client(emulator.keys[worker % 2]) as client:
            for index in range(ROUNDS):
                name = f"w{worker}-{index}"
                statuses.append(
                    client.post("/api/datasets", json={"name": name, "task": "detect"}).status_code
                )
                statuses.append(client.get("/api/activity").status_code)
                if worker % 2 == 0:
                    form = {"projectId": project_id, "name": name}
                    files = {"file": ("m.pt", weights, "application/octet-stream")}
                    statuses.append(client.post("/api/models", data=form, files=files).status_code)
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [status for statuses in pool.map(work, range(CLIENTS)) for status in statuses]
    assert set(results) <= {200, 201}, sorted(set(results))
    with emulator.client() as client:
        assert client.get("/api/datasets").json()["meta"]["total"] == CLIENTS // 2 * ROUNDS
        assert client.get("/api/models").json()["meta"]["total"] == CLIENTS // 2 * ROUNDS
