"""Routes: emulated deployments (inference endpoints), their lifecycle, metrics and logs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok, paged
from ulplan.emulator.jobs.regions import REGIONS
from ulplan.emulator.jobs.sizing import BOUNDS, Resources
from ulplan.emulator.routes.common import Body, Name, paging
from ulplan.emulator.store.accounts import Principal
from ulplan.emulator.store.base import PageRequest
from ulplan.emulator.store.deployments import DEFAULT_LOG_ENTRIES, MAX_LOG_ENTRIES

router = APIRouter(tags=["deployments"])
scope = requires("deployments")
EMULATED = (
    "Emulated: nothing is served and the URL is not routable; the lifecycle"
    " (creating, deploying, ready, stopping, stopped), rollouts, metrics and logs are simulated."
)
ModelId = Annotated[str, Field(min_length=1, max_length=128)]
Region = Literal[REGIONS]  # type: ignore[valid-type]
Severity = Literal["INFO", "WARNING", "ERROR"]


Cpu = Annotated[int, Field(ge=BOUNDS["cpu"][0], le=BOUNDS["cpu"][1], description="vCPUs, 1-8 (default 1)")]
MemoryGi = Annotated[
    int, Field(ge=BOUNDS["memoryGi"][0], le=BOUNDS["memoryGi"][1], description="GiB, 1-32 (default 2)")
]
MinInstances = Annotated[
    int, Field(ge=BOUNDS["minInstances"][0], le=BOUNDS["minInstances"][1], description="0-10 (default 0)")
]
MaxInstances = Annotated[
    int, Field(ge=BOUNDS["maxInstances"][0], le=BOUNDS["maxInstances"][1], description="1-100 (default 1)")
]


class DeploymentCreate(Body):
    """``POST /api/deployments``."""

    modelId: ModelId
    name: Name
    region: Region
    minInstances: MinInstances | None = None
    maxInstances: MaxInstances | None = None
    cpu: Cpu | None = None
    memoryGi: MemoryGi | None = None


class DeploymentUpdate(Body):
    """``PATCH /api/deployments/{id}``: another model rolls out; resources resize in place."""

    modelId: ModelId | None = None
    name: Name | None = None
    minInstances: MinInstances | None = None
    maxInstances: MaxInstances | None = None
    cpu: Cpu | None = None
    memoryGi: MemoryGi | None = None


@router.get("/deployments", summary="List deployments", description=EMULATED)
def list_deployments(
    request: Request,
    modelId: str | None = None,
    page: PageRequest = Depends(paging),
    principal: Principal = Depends(scope),
) -> dict[str, Any]:
    """The caller's deployments, optionally of one model."""
    return paged(store_of(request).deployments.list_page(principal.account_id, page, modelId))


@router.get("/deployments/{deploymentId}", summary="One deployment", description=EMULATED)
def get_deployment(
    request: Request, deploymentId: str, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """Status, status message, URL and resources."""
    return ok(store_of(request).deployments.get(principal.account_id, deploymentId))


@router.post("/deployments", status_code=201, summary="Deploy a model", description=EMULATED)
def create_deployment(
    request: Request, body: DeploymentCreate, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """A new deployment, ``creating``; 409 when its name's slug is taken."""
    deployments = store_of(request).deployments
    resources = Resources.checked(
        body.model_dump(include={"cpu", "memoryGi", "minInstances", "maxInstances"})
    )
    deployment_id = deployments.create(principal.account_id, body.name, body.modelId, body.region, resources)
    return ok(deployments.get(principal.account_id, deployment_id))


@router.patch(
    "/deployments/{deploymentId}",
    summary="Roll out another model, rename or resize",
    description=EMULATED,
    responses={202: {"description": "A new model is rolling out; the old one serves until it is ready"}},
)
def update_deployment(
    request: Request,
    deploymentId: str,
    body: DeploymentUpdate,
    response: Response,
    principal: Principal = Depends(scope),
) -> dict[str, Any]:
    """202 while a new model rolls out (same id and URL); 200 for a rename or resize."""
    deployments = store_of(request).deployments
    if deployments.update(principal.account_id, deploymentId, body.model_dump(exclude_none=True)):
        response.status_code = 202
    return ok(deployments.get(principal.account_id, deploymentId))


@router.post("/deployments/{deploymentId}/start", summary="Start a stopped deployment", description=EMULATED)
def start_deployment(
    request: Request, deploymentId: str, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """Stopped (or failed) to deploying, then ready; 409 from any other status."""
    deployments = store_of(request).deployments
    deployments.start(principal.account_id, deploymentId)
    return ok(deployments.get(principal.account_id, deploymentId))


@router.post("/deployments/{deploymentId}/stop", summary="Stop a ready deployment", description=EMULATED)
def stop_deployment(
    request: Request, deploymentId: str, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """Ready to stopping, then stopped; 409 from any other status."""
    deployments = store_of(request).deployments
    deployments.stop(principal.account_id, deploymentId)
    return ok(deployments.get(principal.account_id, deploymentId))


@router.delete("/deployments/{deploymentId}", summary="Delete a deployment", description=EMULATED)
def delete_deployment(
    request: Request, deploymentId: str, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """Removes the deployment and its logs, whatever its status."""
    return ok(store_of(request).deployments.delete(principal.account_id, deploymentId))


@router.get("/deployments/{deploymentId}/metrics", summary="Deployment metrics", description=EMULATED)
def deployment_metrics(
    request: Request, deploymentId: str, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """Requests, error rate, latency and instances; zero unless the deployment is ready."""
    return ok(store_of(request).deployments.metrics(principal.account_id, deploymentId))


@router.get("/deployments/{deploymentId}/logs", summary="Deployment logs", description=EMULATED)
def deployment_logs(
    request: Request,
    deploymentId: str,
    severity: Severity | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LOG_ENTRIES)] = DEFAULT_LOG_ENTRIES,
    principal: Principal = Depends(scope),
) -> dict[str, Any]:
    """Entries newest first; ``severity`` keeps that level and above."""
    return ok(store_of(request).deployments.logs(principal.account_id, deploymentId, severity, limit))
