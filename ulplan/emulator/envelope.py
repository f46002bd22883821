"""The API's JSON envelope: ``{"success": true, "data": ...}`` and its error twin."""

from __future__ import annotations

from typing import Any

from ulplan.emulator.store.base import Page


def ok(data: Any) -> dict[str, Any]:
    """A success envelope around one object (or list, or null)."""
    return {"success": True, "data": data}


def paged(page: Page) -> dict[str, Any]:
    """A success envelope around one page of a list, with its ``meta``."""
    return {"success": True, "data": page.items, "meta": page.meta}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """A failure envelope."""
    return {"success": False, "error": {"code": code, "message": message, "details": details or {}}}
