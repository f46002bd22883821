"""Prefixed opaque ids, keys and slugs."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def new_id(prefix: str) -> str:
    """An opaque id with its kind prefix, e.g. ``project_1f0c9a...``."""
    return f"{prefix}_{secrets.token_hex(12)}"


def new_api_key() -> str:
    """A fresh key in the platform's format: ``ul_`` and 40 hex characters."""
    return "ul_" + secrets.token_hex(20)


def hash_key(key: str) -> str:
    """Keys are stored only as this hash; the key itself is shown once, at creation."""
    return hashlib.sha256(key.encode()).hexdigest()


def slugify(name: str) -> str:
    """Derive a slug from a display name the way the platform does (lowercase, dashes)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:100].rstrip("-") or "untitled"


def is_slug(value: str) -> bool:
    """True for a valid slug: lowercase words joined by single dashes, 1-100 characters."""
    return 0 < len(value) <= 100 and SLUG_PATTERN.match(value) is not None


def is_name(value: str) -> bool:
    """True for a display name: 1-100 printable characters, not only spaces."""
    return 0 < len(value) <= 100 and value.isprintable() and not value.isspace()
