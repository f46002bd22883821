"""What the route modules share: paging parameters, the caller's base URL, field types."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request
from pydantic import BaseModel, ConfigDict, Field

from ulplan.emulator.store.base import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageRequest

Task = Literal["detect", "segment", "semantic", "classify", "pose", "obb"]
Visibility = Literal["public", "private"]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Slug = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Description = Annotated[str, Field(max_length=1000)]
Tags = Annotated[list[Annotated[str, Field(min_length=1, max_length=50)]], Field(max_length=50)]
License = Annotated[str, Field(min_length=1, max_length=64)]


class Body(BaseModel):
    """Request bodies refuse unknown fields, so a typo is a VALIDATION_ERROR, not silence."""

    model_config = ConfigDict(extra="forbid")


def paging(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page (at most 100)")] = (
        DEFAULT_PAGE_SIZE
    ),
) -> PageRequest:
    """The ``page`` and ``limit`` query parameters every list takes."""
    return PageRequest(page=page, limit=limit)


def base_url(request: Request) -> str:
    """The scheme and host the caller used, for URLs the emulator hands out."""
    return str(request.base_url).rstrip("/")
