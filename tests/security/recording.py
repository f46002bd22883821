"""An emulator that records every request it receives, for tests of what ulplan sends."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.support.emulator import make_config, new_key
from ulplan.emulator.app import create_app
from ulplan.emulator.server import free_port


@dataclass
class Recorder:
    """Pure ASGI wrapper: notes (method, path) of each HTTP request, then passes it on."""

    app: ASGIApp
    seen: list[tuple[str, str]] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)

    def api_requests(self) -> list[tuple[str, str]]:
        """The /api requests seen so far (not the health checks)."""
        return [(m, p) for m, p in self.seen if p.startswith("/api/")]


@dataclass
class RecordingEmulator:
    """A running emulator whose requests are recorded."""

    url: str
    key: str
    recorder: Recorder


@contextmanager
def recording_emulator(folder: Path) -> Iterator[RecordingEmulator]:
    """Serve a fresh emulator (fast jobs, no rate limit) behind a Recorder, in a thread."""
    key = new_key()
    app = create_app(make_config(folder, [f"{key}:pro:user1"]))
    app.state.store.seed()
    recorder = Recorder(app)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(recorder, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the emulator did not start"
        time.sleep(0.01)
    try:
        yield RecordingEmulator(f"http://127.0.0.1:{port}", key, recorder)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.store.close()
