"""Routes: the activity log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field, model_validator

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok, paged
from ulplan.emulator.routes.common import Body, paging
from ulplan.emulator.store.accounts import Principal
from ulplan.emulator.store.activity import ActivityFilter
from ulplan.emulator.store.base import PageRequest

router = APIRouter(tags=["activity"])
scope = requires(None)  # read for GET, write for the rest
Instant = Annotated[
    str | None,
    Query(
        pattern=r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?Z?)?$",
        description="ISO 8601 date or UTC date-time",
    ),
]


class EventSelection(Body):
    """Which events to mark: some by id, or ``all``."""

    eventIds: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=1000)] | None = None
    all: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> EventSelection:
        if not self.all and self.eventIds is None:
            raise ValueError("give eventIds or all: true")
        return self


@router.get("/activity", summary="The account's activity log, newest first")
def list_activity(
    request: Request,
    startDate: Instant = None,
    endDate: Instant = None,
    search: Annotated[str | None, Query(max_length=200)] = None,
    archived: bool = False,
    page: PageRequest = Depends(paging),
    principal: Principal = Depends(scope),
) -> dict[str, Any]:
    """Events from ``startDate`` to ``endDate`` matching ``search``; ``archived=true`` for archived ones."""
    filters = ActivityFilter(start=startDate, end=endDate, search=search, archived=archived)
    return paged(store_of(request).activity.list_page(principal.account_id, filters, page))


@router.post("/activity/mark-seen", summary="Mark events as seen")
def mark_seen(
    request: Request, body: EventSelection, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """``{updated: n}``."""
    count = store_of(request).activity.mark(principal.account_id, "seen", body.eventIds, bool(body.all))
    return ok({"updated": count})


@router.post("/activity/archive", summary="Archive events")
def archive(request: Request, body: EventSelection, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """``{updated: n}``; archived events are listed with ``archived=true``."""
    count = store_of(request).activity.mark(principal.account_id, "archived", body.eventIds, bool(body.all))
    return ok({"updated": count})
