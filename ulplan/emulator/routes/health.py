"""Routes: an unauthenticated readiness check for CI."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

router = APIRouter()


@router.get("/health", tags=["emulator"], summary="Readiness check (no key needed)")
def health() -> dict[str, Any]:
    """Answers as soon as the emulator serves requests."""
    return {"success": True, "data": {"status": "ok", "emulator": True}}
