"""Running the emulator: in the foreground (``ulplan serve``) or in a thread (tests, --local)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn

from ulplan.emulator.app import create_app
from ulplan.emulator.config import EmulatorConfig
from ulplan.emulator.store import Store


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningServer:
    """An emulator serving in a background thread; ``stop()`` shuts it down cleanly."""

    url: str
    store: Store
    server: uvicorn.Server
    thread: threading.Thread
    new_keys: list[str]

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for it, and release the database."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.store.close()


def start_in_thread(
    config: EmulatorConfig, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0
) -> RunningServer:
    """Start an emulator on ``host:port`` (0: a free port) and wait until it serves."""
    app = create_app(config)
    new_keys = app.state.store.seed()
    port = port or free_port(host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, name=f"emulator-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the emulator did not start on {host}:{port}")
        time.sleep(0.01)
    return RunningServer(
        url=f"http://{host}:{port}", store=app.state.store, server=server, thread=thread, new_keys=new_keys
    )
