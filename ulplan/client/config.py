"""Where the client finds its API key and base URL.

Key: the argument, else ``ULTRALYTICS_API_KEY``, else the ``api_key`` saved by
``yolo login`` in the ``ultralytics`` package's ``settings.json``. That file lives in the
package's user config directory: ``$YOLO_CONFIG_DIR`` when set, else the per-OS
directory the package picks (``~/.config/Ultralytics`` on Linux, ``~/Library/Application
Support/Ultralytics`` on macOS, ``~/AppData/Roaming/Ultralytics`` on Windows, and
``/tmp/Ultralytics`` when the home config directory is not writable).

Base URL: the argument, else ``ULTRALYTICS_PLATFORM_URL``, else the public platform.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from ulplan.client.errors import InvalidEndpointError, MissingAPIKeyError, scrub

API_KEY_ENV = "ULTRALYTICS_API_KEY"
BASE_URL_ENV = "ULTRALYTICS_PLATFORM_URL"
CONFIG_DIR_ENV = "YOLO_CONFIG_DIR"
DEFAULT_BASE_URL = "https://platform.ultralytics.com"
SETTINGS_FILENAME = "settings.json"


class Secret:
    """A string that never shows itself in ``repr``/``str`` (so never in logs)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that builds the Authorization header."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


def ultralytics_config_dir(env: Mapping[str, str] | None = None, system: str | None = None) -> Path:
    """The directory where the ``ultralytics`` package keeps ``settings.json``."""
    env = os.environ if env is None else env
    override = env.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    system = system or platform.system()
    home = Path.home()
    if system == "Windows":
        path = home / "AppData" / "Roaming" / "Ultralytics"
    elif system == "Darwin":
        path = home / "Library" / "Application Support" / "Ultralytics"
    else:
        path = home / ".config" / "Ultralytics"
    # The package falls back to /tmp when the home config dir cannot be written
    # (serverless runtimes); a login made there saved its key there.
    if not os.access(path.parent, os.W_OK) and os.access("/tmp", os.W_OK):
        path = Path("/tmp") / "Ultralytics"
    return path


def settings_file(env: Mapping[str, str] | None = None) -> Path:
    """The path of the ``ultralytics`` settings file that ``yolo login`` writes."""
    return ultralytics_config_dir(env) / SETTINGS_FILENAME


def key_from_settings(path: Path) -> str | None:
    """The ``api_key`` stored in an ``ultralytics`` settings file, if any.

    An unreadable or malformed file is treated as holding no key: it belongs to another
    program, and the error for a missing key says where we looked.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    key = data.get("api_key") if isinstance(data, dict) else None
    return key.strip() if isinstance(key, str) and key.strip() else None


def resolve_api_key(api_key: str | None = None, env: Mapping[str, str] | None = None) -> Secret:
    """Find the API key: argument, else environment, else the ultralytics settings file."""
    env = os.environ if env is None else env
    for candidate in (api_key, env.get(API_KEY_ENV)):
        if candidate and candidate.strip():
            return Secret(candidate.strip())
    path = settings_file(env)
    from_file = key_from_settings(path)
    if from_file:
        return Secret(from_file)
    raise MissingAPIKeyError(
        "no Ultralytics Platform API key found: pass api_key= (or --api-key), set the "
        f"{API_KEY_ENV} environment variable, or run `yolo login <KEY>`, which saves "
        f"api_key in {path}"
    )


def resolve_base_url(base_url: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The platform's base URL without a trailing slash or ``/api`` suffix."""
    env = os.environ if env is None else env
    url = (base_url or env.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip().rstrip("/")
    # Users paste the API root as often as the host; both mean the same platform.
    url = url.removesuffix("/api")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidEndpointError(
            f"invalid platform URL {scrub(url)!r}: expected http(s)://host[:port] "
            f"(from the argument, {BASE_URL_ENV}, or the default {DEFAULT_BASE_URL})"
        )
    return url
