"""Refuse to persist anything that looks like a platform API key.

State, saved plans and the intent journal are plain files that people commit, attach to
CI artifacts and paste into issues, so a key must never reach them. The check walks the
value rather than the serialised text so the error can name where the key was found
without ever printing the key itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ulplan.state.errors import SecretRefusedError

# The platform's keys are `ul_` followed by 40 hex digits (API.md, "Auth").
API_KEY_PATTERN = re.compile(r"ul_[0-9a-fA-F]{40}")


def looks_like_secret(text: str) -> bool:
    """True when ``text`` contains something shaped like an API key."""
    return API_KEY_PATTERN.search(text) is not None


def find_secret(value: Any, path: str = "") -> str | None:
    """The path (e.g. ``resources["model.x"].attributes.note``) of the first key-like string, or None."""
    if isinstance(value, str):
        return path or "<value>" if looks_like_secret(value) else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and looks_like_secret(key):
                return f"{path}[<key>]"
            found = find_secret(item, _join(path, key))
            if found is not None:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = find_secret(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def refuse_secrets(value: Any, destination: str) -> None:
    """Raise SecretRefusedError if ``value`` holds a key-like string; the key is never echoed."""
    where = find_secret(value)
    if where is not None:
        raise SecretRefusedError(
            f"refusing to write {destination}: the value at {where} looks like an API key "
            "(ul_ + 40 hex digits). Keys must stay out of state and plan files; "
            "pass them with --api-key or ULTRALYTICS_API_KEY instead."
        )


def _join(path: str, key: Any) -> str:
    text = str(key)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text):
        return f"{path}.{text}" if path else text
    return f'{path}["{text}"]'
