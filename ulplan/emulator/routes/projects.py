"""Routes: projects."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok, paged
from ulplan.emulator.routes.common import Body, Description, License, Name, Slug, Tags, Visibility, paging
from ulplan.emulator.store.accounts import Principal
from ulplan.emulator.store.base import PageRequest

router = APIRouter(tags=["projects"])
scope = requires("projects")


class ProjectCreate(Body):
    """``POST /api/projects``."""

    name: Name
    slug: Slug | None = None
    description: Description | None = None
    visibility: Visibility | None = None
    tags: Tags | None = None
    license: License | None = None


class ProjectUpdate(Body):
    """``PATCH /api/projects/{projectId}``: only the fields given change."""

    name: Name | None = None
    description: Description | None = None
    visibility: Visibility | None = None
    tags: Tags | None = None
    license: License | None = None


@router.get("/projects", summary="List projects")
def list_projects(
    request: Request, page: PageRequest = Depends(paging), principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """The caller's projects (not those in the trash)."""
    return paged(store_of(request).projects.list_page(principal.account_id, page))


@router.post("/projects", status_code=201, summary="Create a project")
def create_project(
    request: Request, body: ProjectCreate, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """A new project; 409 when the slug is taken."""
    fields = body.model_dump(exclude_none=True)
    return ok(store_of(request).projects.create(principal.account_id, fields))


@router.get("/projects/{projectId}", summary="Get a project")
def get_project(request: Request, projectId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """One project."""
    return ok(store_of(request).projects.get(principal.account_id, projectId))


@router.patch("/projects/{projectId}", summary="Update a project")
def update_project(
    request: Request, projectId: str, body: ProjectUpdate, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """Change the given fields."""
    fields = body.model_dump(exclude_unset=True)
    return ok(store_of(request).projects.update(principal.account_id, projectId, fields))


@router.delete("/projects/{projectId}", summary="Move a project (and its models) to the trash")
def delete_project(request: Request, projectId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """Soft delete: the project and its models stay in the trash for 30 days."""
    return ok(store_of(request).projects.trash(principal.account_id, projectId))
