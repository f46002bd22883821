"""Typed results: the objects of API.md as pydantic models.

Field names are the API's own camelCase names, so ``obj.model_dump()`` is the raw JSON
object again. Every model accepts fields the platform adds later (``extra="allow"``,
kept in the dump); every field but the identity is optional and defaults to None.
Timestamps stay ISO 8601 strings, exactly as sent, so dumps compare equal to the wire.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class ApiObject(BaseModel):
    """Base of every result: tolerant of extra fields, dumps by the API's names."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, serialize_by_alias=True, defer_build=True)


class PageMeta(ApiObject):
    """Pagination of one list answer."""

    page: int = 1
    limit: int = 20
    total: int | None = None


T = TypeVar("T", bound=ApiObject)


class Page(BaseModel, Generic[T]):
    """One page of a list: its items and its ``meta``."""

    items: list[T]
    meta: PageMeta


class Deleted(ApiObject):
    """What a DELETE answers (e.g. ``cascadedModels`` of a project sent to the trash)."""

    id: str | None = None
    cascadedModels: int | list[Any] | None = None


class Project(ApiObject):
    """A project: a folder of models."""

    id: str
    name: str | None = None
    slug: str | None = None
    description: str | None = None
    visibility: str | None = None
    tags: list[str] | None = None
    license: str | None = None
    modelCount: int | None = None
    createdAt: str | None = None
    updatedAt: str | None = None


class Dataset(ApiObject):
    """A dataset of labelled images for one task."""

    id: str
    name: str | None = None
    slug: str | None = None
    task: str | None = None
    description: str | None = None
    visibility: str | None = None
    imageCount: int | None = None
    classCount: int | None = None
    classNames: list[str] | None = None
    tags: list[str] | None = None
    license: str | None = None
    createdAt: str | None = None
    updatedAt: str | None = None


class DatasetExport(ApiObject):
    """A download link of a dataset as NDJSON."""

    url: str
    expiresAt: str | None = None


class Model(ApiObject):
    """A model in a project: uploaded weights or trained from a dataset."""

    id: str
    name: str | None = None
    slug: str | None = None
    projectId: str | None = None
    task: str | None = None
    status: str | None = None
    description: str | None = None
    license: str | None = None
    fileSize: int | None = None
    fileSha256: str | None = None
    datasetId: str | None = None
    epochs: int | None = None
    metrics: dict[str, Any] | None = None
    createdAt: str | None = None
    updatedAt: str | None = None


class ModelFile(ApiObject):
    """One downloadable file of a model, behind a signed URL."""

    name: str
    size: int | None = None
    sha256: str | None = None
    url: str


class Box(ApiObject):
    """A bounding box in pixels."""

    x1: float
    y1: float
    x2: float
    y2: float


class Prediction(ApiObject):
    """One detection of ``models.predict``."""

    class_: str | int | None = Field(default=None, alias="class")
    confidence: float | None = None
    box: Box | None = None


class EstimatedCost(ApiObject):
    """What a training is expected to cost."""

    pricePerHour: float | None = None
    costMicroUsd: int | None = None


class TrainingStart(ApiObject):
    """The answer to ``training.start``."""

    modelId: str
    status: str | None = None
    gpuType: str | None = None
    estimatedCost: EstimatedCost | None = None


class TrainingProgress(ApiObject):
    """How far a training has come."""

    currentEpoch: int | None = None
    totalEpochs: int | None = None
    percentage: float | None = None


class TrainingTiming(ApiObject):
    """Elapsed time and estimate of a training, in milliseconds."""

    elapsedMs: int | None = None
    etaMs: int | None = None


class TrainingStatus(ApiObject):
    """The training of one model: state, progress, cost."""

    status: str
    progress: TrainingProgress | None = None
    timing: TrainingTiming | None = None
    gpuType: str | None = None
    datasetId: str | None = None
    epochs: int | None = None
    imageSize: int | None = None
    metrics: dict[str, Any] | None = None
    error: str | dict[str, Any] | None = None
    costMicroUsd: int | None = None
    startedAt: str | None = None
    completedAt: str | None = None


class GpuType(ApiObject):
    """A GPU the platform trains on, with its hourly price."""

    id: str | None = None
    name: str | None = None
    memoryGb: int | None = None
    pricePerHour: float | None = None
    relativeSpeed: float | None = None
    default: bool | None = None


class ExportFile(ApiObject):
    """The file an export produced."""

    name: str | None = None
    size: int | None = None
    url: str | None = None


class Export(ApiObject):
    """A conversion of a model to a deployment format."""

    id: str
    modelId: str | None = None
    format: str | None = None
    args: dict[str, Any] | None = None
    status: str | None = None
    file: ExportFile | None = None
    error: str | dict[str, Any] | None = None
    createdAt: str | None = None
    completedAt: str | None = None


class DeploymentResources(ApiObject):
    """Size and scaling of a deployment."""

    cpu: int | None = None
    memoryGi: int | None = None
    minInstances: int | None = None
    maxInstances: int | None = None


class Deployment(ApiObject):
    """A model served at a URL in one region."""

    id: str
    name: str | None = None
    slug: str | None = None
    modelId: str | None = None
    projectId: str | None = None
    region: str | None = None
    status: str | None = None
    statusMessage: str | None = None
    url: str | None = None
    resources: DeploymentResources | None = None
    createdAt: str | None = None
    updatedAt: str | None = None
    deployedAt: str | None = None


class DeploymentMetrics(ApiObject):
    """Traffic and health of a deployment."""

    totalRequests: int | None = None
    errorRate: float | None = None
    avgLatencyMs: float | None = None
    instanceCount: int | None = None


class LogEntry(ApiObject):
    """One log line of a deployment."""

    timestamp: str | None = None
    severity: str | None = None
    message: str | None = None


class ActivityEvent(ApiObject):
    """One entry of the account's activity log."""

    id: str
    action: str | None = None
    resourceType: str | None = None
    resourceId: str | None = None
    resourceName: str | None = None
    message: str | None = None
    timestamp: str | None = None
    seen: bool | None = None
    archived: bool | None = None


class TrashItem(ApiObject):
    """A deleted project, dataset or model, restorable for 30 days."""

    id: str
    type: str | None = None
    name: str | None = None
    slug: str | None = None
    trashedAt: str | None = None
    daysRemaining: int | None = None


class Balance(ApiObject):
    """The account's money, in micro-USD."""

    cashBalance: int | None = None
    creditBalance: int | None = None
    reservedAmount: int | None = None
    totalBalance: int | None = None


class UsageSummary(ApiObject):
    """The plan, its limits and the usage so far (shape as the platform sends it)."""

    plan: str | dict[str, Any] | None = None
    limits: dict[str, Any] | None = None
    usage: dict[str, Any] | None = None
    balance: dict[str, Any] | None = None


class CheckoutSession(ApiObject):
    """A payment page to open in a browser."""

    sessionId: str | None = None
    url: str


class Payment(ApiObject):
    """One billing transaction: a payment, a charge (negative) or a credit, in micro-USD."""

    id: str | None = None
    type: str | None = None
    amountMicroUsd: int | None = None
    description: str | None = None
    reference: str | None = None
    createdAt: str | None = None


class Storage(ApiObject):
    """Storage used by the account, in bytes."""

    used: int | None = None
    limit: int | None = None
    percentage: float | None = None


class AccountCounts(ApiObject):
    """How many of each resource the account holds."""

    projects: int | None = None
    datasets: int | None = None
    models: int | None = None
    deployments: int | None = None


class AccountSummary(ApiObject):
    """Who the key belongs to: the ``owner`` of ``ul://`` URIs, plan and balance."""

    username: str
    name: str | None = None
    plan: str | None = None
    totalBalance: int | None = None
    counts: AccountCounts | None = None


class ApiKey(ApiObject):
    """An API key as listed: never the key itself."""

    id: str
    name: str | None = None
    prefix: str | None = None
    scopes: list[str] | None = None
    createdAt: str | None = None
    lastUsedAt: str | None = None


class CreatedApiKey(ApiKey):
    """A new API key: the only time the full key is shown. Its repr hides the key."""

    key: str | None = Field(default=None, repr=False)


class GdprExport(ApiObject):
    """The answer to a GDPR export request (a download of the account's data)."""

    url: str | None = None
    expiresAt: str | None = None
