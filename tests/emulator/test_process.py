"""``ulplan serve`` as a real process: state survives a restart and a crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.emulator.helpers import checkpoint, data, make_model, make_project
from tests.support.emulator import start_process_emulator, wait_ready
from ulplan.emulator.server import free_port


def test_state_survives_restart_and_kill(tmp_path: Path) -> None:
    emulator = start_process_emulator(tmp_path)
    try:
        weights = checkpoint(b"persist" * 1000)
        with emulator.client() as client:
            project = make_project(client, "Kept")
            model = make_model(client, project["id"], "weights", weights)
            key = data(client.post("/api/api-keys", json={"name": "later"}), 201)["key"]
        emulator.stop()
        emulator.restart()
        with emulator.client(key) as client:
            assert data(client.get(f"/api/projects/{project['id']}"))["name"] == "Kept"
            url = data(client.get(f"/api/models/{model['id']}/files"))["files"][0]["url"]
        emulator.kill()
        emulator.restart()
        assert httpx.get(url).content == weights  # signed URLs stay valid across restarts
        with emulator.client() as client:
            assert [e["action"] for e in data(client.get("/api/activity"))][-1] == "created"
    finally:
        emulator.stop()


def test_first_start_without_seed_key_prints_a_key_once(tmp_path: Path) -> None:
    def start() -> tuple[subprocess.Popen[bytes], str]:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "ulplan", "serve", "--port", str(port), "--db", str(tmp_path / "e.db")],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
        )
        wait_ready(f"http://127.0.0.1:{port}")
        return process, f"http://127.0.0.1:{port}"

    process, url = start()
    process.terminate()
    _, first_err = process.communicate(timeout=10)
    key = next(word for word in first_err.decode().split() if word.startswith("ul_"))
    process, url = start()
    try:
        summary = httpx.get(f"{url}/api/account/summary", headers={"Authorization": f"Bearer {key}"})
        assert data(summary)["username"] == "user1"
    finally:
        process.terminate()
        _, second_err = process.communicate(timeout=10)
    assert "ul_" not in second_err.decode()
