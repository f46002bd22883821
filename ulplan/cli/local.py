"""``--local``: an embedded emulator, so ulplan runs on a fresh machine without an account.

The only module of the reconciler that imports ``ulplan.emulator``. The emulator's
database and a key made once for it live in ``<manifest root>/.ulplan/emulator/``; the key
is an emulator key (it opens nothing but this local database) kept in a 0600 file. Jobs
run fast (an epoch every half second) so the quickstart shows real progress in seconds.
The state of a ``--local`` run is kept apart, in the same folder, so it never mixes ids
of the embedded platform with those of the real one.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOCAL_DIR = Path(".ulplan") / "emulator"
KEY_FILE = "api-key"
DB_FILE = "emulator.db"
STATE_FILE = "state.json"
LOCAL_USERNAME = "local"
EPOCH_SECONDS = 0.5
JOB_SECONDS = 0.5


@dataclass
class LocalPlatform:
    """A running embedded emulator: its URL, its key, and how to stop it."""

    url: str
    api_key: str = ""
    state_path: Path = Path()
    _server: Any = None

    def __repr__(self) -> str:  # the key is never shown
        return f"LocalPlatform(url={self.url!r})"

    def stop(self) -> None:
        """Shut the emulator down and release its database."""
        if self._server is not None:
            self._server.stop()
            self._server = None


def local_folder(manifest_root: Path) -> Path:
    """``<root>/.ulplan/emulator`` (the root of a single manifest file is its folder)."""
    root = manifest_root.parent if manifest_root.is_file() else manifest_root
    return root / LOCAL_DIR


def local_key(folder: Path) -> str:
    """The embedded emulator's key: made once, then read back (file mode 0600)."""
    path = folder / KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = "ul_" + secrets.token_hex(20)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def start_local(manifest_root: Path) -> LocalPlatform:
    """Start the embedded emulator on a free loopback port."""
    from ulplan.emulator.config import EmulatorConfig, SeedKey
    from ulplan.emulator.server import start_in_thread

    folder = local_folder(manifest_root)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = local_key(folder)
    config = EmulatorConfig(
        db_path=folder / DB_FILE,
        seed_keys=(SeedKey(key=key, plan="pro", username=LOCAL_USERNAME),),
        rate_limit=None,
        epoch_seconds=EPOCH_SECONDS,
        job_seconds=JOB_SECONDS,
    )
    server = start_in_thread(config, host="127.0.0.1", port=0)
    return LocalPlatform(url=server.url, api_key=key, state_path=folder / STATE_FILE, _server=server)
