"""Settings: endpoint, API key, state path and output flags, from flags > environment > defaults.

Read from a plain options object (the CLI's GlobalOptions fits) so this module never
imports click and the library can be driven without the CLI.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from ulplan.errors import ConfigError

DEFAULT_ENDPOINT = "https://platform.ultralytics.com"
ENDPOINT_ENV = "ULTRALYTICS_PLATFORM_URL"  # the variable the `ultralytics` package reads
API_KEY_ENV = "ULTRALYTICS_API_KEY"
STATE_DIR = ".ulplan"
STATE_FILE = "state.json"


class OptionsLike(Protocol):
    """What Settings reads from the command line (ulplan.cli.main.GlobalOptions has these)."""

    endpoint: str | None
    api_key: str | None
    state: str | None
    local: bool
    no_color: bool
    debug: bool


@dataclass(frozen=True)
class Settings:
    """Resolved settings of one invocation. The API key never appears in ``repr``."""

    endpoint: str = DEFAULT_ENDPOINT
    api_key: str | None = field(default=None, repr=False)
    state: Path | None = None  # an explicit --state, else derived by state_path()
    no_color: bool = False
    debug: bool = False
    local: bool = False

    @classmethod
    def resolve(cls, options: OptionsLike | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """Combine ``options`` (flags) over ``env`` (default: os.environ) over the defaults."""
        environ = os.environ if env is None else env
        flag_endpoint = options.endpoint if options else None
        endpoint = _first(flag_endpoint, environ.get(ENDPOINT_ENV)) or DEFAULT_ENDPOINT
        state = options.state if options else None
        return cls(
            endpoint=normalise_endpoint(endpoint),
            api_key=_first(options.api_key if options else None, environ.get(API_KEY_ENV)),
            state=Path(state).expanduser() if state else None,
            no_color=bool(options and options.no_color) or bool(environ.get("NO_COLOR")),
            debug=bool(options and options.debug),
            local=bool(options and options.local),
        )

    def state_path(self, manifest_root: Path | None = None) -> Path:
        """``--state``, else ``<manifest_root>/.ulplan/state.json``, else ``./.ulplan/state.json``.

        A manifest file given as the root puts the state beside it, in its directory.
        """
        if self.state is not None:
            return self.state
        if manifest_root is None:
            return Path(STATE_DIR) / STATE_FILE
        root = manifest_root.parent if manifest_root.is_file() else manifest_root
        return root / STATE_DIR / STATE_FILE

    def color(self, stream_is_tty: bool) -> bool:
        """Whether to colour output: only on a terminal, and never with --no-color or NO_COLOR."""
        return stream_is_tty and not self.no_color

    @property
    def has_api_key(self) -> bool:
        """True when a key came from a flag or the environment (the client may still find one)."""
        return bool(self.api_key)


def normalise_endpoint(url: str) -> str:
    """Check ``url`` is an http(s) URL with a host and drop trailing slashes."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"the platform endpoint {url!r} is not an http(s) URL "
            f"(set --endpoint or {ENDPOINT_ENV}, e.g. {DEFAULT_ENDPOINT})"
        )
    return url.strip().rstrip("/")


def _first(*values: str | None) -> str | None:
    """The first value that is set and not empty (an empty env var counts as unset)."""
    for value in values:
        if value:
            return value
    return None
