"""Routes: emulated training (start, progress, cancel) and the GPU catalogue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from ulplan.emulator.deps import requires, store_of
from ulplan.emulator.envelope import ok
from ulplan.emulator.jobs import gpus
from ulplan.emulator.routes.common import Body
from ulplan.emulator.store import training
from ulplan.emulator.store.accounts import Principal

router = APIRouter(tags=["training"])
scope = requires("training")
EMULATED = "Emulated: no model is trained; status, epochs, metrics and billing follow the clock."


class TrainingStart(Body):
    """``POST /api/training/start``."""

    modelId: Annotated[str, Field(min_length=1, max_length=128)]
    datasetId: Annotated[str, Field(min_length=1, max_length=128)]
    epochs: Annotated[int, Field(ge=training.MIN_EPOCHS, le=training.MAX_EPOCHS)]
    imageSize: Annotated[int, Field(ge=training.MIN_IMAGE_SIZE, le=training.MAX_IMAGE_SIZE)] = (
        training.DEFAULT_IMAGE_SIZE
    )
    gpuType: Annotated[str, Field(description=f"One of {', '.join(gpus.GPU_IDS)}")] = gpus.DEFAULT_GPU
    trainArgs: dict[str, Any] | None = None


@router.get("/training/gpu-types", summary="GPU types and hourly prices (extension)", description=EMULATED)
def gpu_types(request: Request, _principal: Principal = Depends(scope)) -> dict[str, Any]:
    """The GPUs training can use, with price per hour (USD) and relative speed."""
    return ok(store_of(request).training.gpu_types())


@router.post("/training/start", status_code=201, summary="Start training a model", description=EMULATED)
def start_training(
    request: Request, body: TrainingStart, principal: Principal = Depends(scope)
) -> dict[str, Any]:
    """Reserves the estimated cost (402 when the balance cannot cover it); 409 when already training."""
    job = training.TrainingRequest(
        model_id=body.modelId,
        dataset_id=body.datasetId,
        epochs=body.epochs,
        image_size=body.imageSize,
        gpu_type=body.gpuType,
        train_args=body.trainArgs,
    )
    return ok(store_of(request).training.start(principal.account_id, job))


@router.get("/models/{modelId}/training", summary="Training progress of a model", description=EMULATED)
def training_status(request: Request, modelId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """Progress, timing, ETA, metrics and cost of the latest run; ``data: null`` if never trained."""
    return ok(store_of(request).training.status(principal.account_id, modelId))


@router.delete("/models/{modelId}/training", summary="Cancel training", description=EMULATED)
def cancel_training(request: Request, modelId: str, principal: Principal = Depends(scope)) -> dict[str, Any]:
    """Stops the active run, billing the GPU time used; 409 when no run is active."""
    return ok(store_of(request).training.cancel(principal.account_id, modelId))
