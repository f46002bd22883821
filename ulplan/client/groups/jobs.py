"""The long-running parts: training, exports and deployments."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ulplan.client.errors import NotFoundError
from ulplan.client.files import FileSink, Progress
from ulplan.client.groups.base import CrudGroup, Group, body, parse, parse_list, segment
from ulplan.client.models import (
    Deployment,
    DeploymentMetrics,
    Export,
    GpuType,
    LogEntry,
    TrainingStart,
    TrainingStatus,
)
from ulplan.client.transport import Transport
from ulplan.client.waiting import poll

TRAINING_SETTLED = frozenset({"completed", "failed", "cancelled"})
EXPORT_SETTLED = frozenset({"completed", "failed", "cancelled"})
DEPLOYMENT_FAILED = "failed"


class TrainingGroup(Group):
    """Training of models on datasets (``/api/training``, ``/api/models/{id}/training``)."""

    def start(
        self,
        *,
        model_id: str,
        dataset_id: str,
        epochs: int,
        image_size: int | None = None,
        gpu_type: str | None = None,
        train_args: dict[str, Any] | None = None,
        retry_safe: bool = False,
    ) -> TrainingStart:
        """Start training; ``InsufficientCreditsError`` when the balance cannot cover it,
        ``ConflictError`` when one is already active."""
        fields = {"model_id": model_id, "dataset_id": dataset_id, "epochs": epochs}
        fields |= {"image_size": image_size, "gpu_type": gpu_type, "train_args": train_args}
        response = self._post("/api/training/start", body(fields), retry_safe=retry_safe)
        return parse(TrainingStart, response.data)

    def status(self, model_id: str) -> TrainingStatus | None:
        """The model's training, or None when it was never trained."""
        data = self._get(_training_path(model_id)).data
        return None if data is None else parse(TrainingStatus, data)

    def cancel(self, model_id: str) -> TrainingStatus | None:
        """Cancel the active training (``ConflictError`` when none is active).

        Returns the cancelled run's status, or None when a retried cancel found the run
        already gone.
        """
        data = self._transport.request("DELETE", _training_path(model_id)).data
        return parse(TrainingStatus, data) if isinstance(data, dict) and "status" in data else None

    def wait(
        self,
        model_id: str,
        *,
        timeout: float | None = None,
        interval: float = 5.0,
        on_progress: Callable[[TrainingStatus], None] | None = None,
    ) -> TrainingStatus | None:
        """Poll until the training completed, failed or was cancelled; return its status.

        None when the model was never trained. ``on_progress`` sees every status read.
        """

        def report(status: TrainingStatus | None) -> None:
            if status is not None and on_progress is not None:
                on_progress(status)

        return poll(
            lambda: self.status(model_id),
            lambda status: status is None or status.status in TRAINING_SETTLED,
            sleep=self._transport.sleep,
            interval=interval,
            timeout=timeout,
            what=f"training of {model_id}",
            on_poll=report,
        )

    def gpu_types(self) -> builtins.list[GpuType]:
        """The GPUs training can use, with hourly prices."""
        data = self._get("/api/training/gpu-types").data
        if isinstance(data, dict):
            data = data.get("gpuTypes", data.get("items"))
        return parse_list(GpuType, data)


def _training_path(model_id: str) -> str:
    return f"/api/models/{segment(model_id)}/training"


class ExportsGroup(CrudGroup[Export]):
    """Exports of models to other formats (filters ``model_id=``, ``status=``)."""

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport, "/api/exports", Export)

    def create(
        self,
        *,
        model_id: str,
        format: str,
        args: dict[str, Any] | None = None,
        retry_safe: bool = False,
    ) -> Export:
        """Queue an export (``ConflictError`` when the same one is already running)."""
        return self._create({"model_id": model_id, "format": format, "args": args}, retry_safe)

    def wait(self, id: str, *, timeout: float | None = None, interval: float = 2.0) -> Export:
        """Poll until the export completed, failed or was cancelled; return it."""
        return poll(
            lambda: self.get(id),
            lambda export: export.status in EXPORT_SETTLED,
            sleep=self._transport.sleep,
            interval=interval,
            timeout=timeout,
            what=f"export {id}",
        )

    def download(self, id: str, dest: Path | str, progress: Progress | None = None) -> Path:
        """Stream a completed export's file to ``dest`` (a file path or a directory)."""
        export = self.get(id)
        url = export.file.url if export.file else None
        if not url:
            raise NotFoundError(f"export {id} has no file to download (status {export.status})", status=404)
        target = Path(dest)
        if target.is_dir():
            assert export.file is not None
            target = target / Path(export.file.name or f"{id}.{export.format}").name
        self._transport.download(url, FileSink(target, sha256=None, progress=progress))
        return target


class DeploymentsGroup(CrudGroup[Deployment]):
    """Deployments of models to regions (filter ``model_id=``)."""

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport, "/api/deployments", Deployment)

    def create(
        self,
        *,
        model_id: str,
        name: str,
        region: str,
        min_instances: int | None = None,
        max_instances: int | None = None,
        cpu: int | None = None,
        memory_gi: int | None = None,
        retry_safe: bool = False,
    ) -> Deployment:
        """Create a deployment; it goes ``creating`` -> ``deploying`` -> ``ready``."""
        fields = {"model_id": model_id, "name": name, "region": region, "cpu": cpu}
        fields |= {"min_instances": min_instances, "max_instances": max_instances, "memory_gi": memory_gi}
        return self._create(fields, retry_safe)

    def start(self, id: str, *, retry_safe: bool = False) -> Deployment:
        """Start a stopped deployment."""
        return parse(Deployment, self._post(self._item(id, "start"), retry_safe=retry_safe).data)

    def stop(self, id: str, *, retry_safe: bool = False) -> Deployment:
        """Stop a running deployment (it keeps its id and URL)."""
        return parse(Deployment, self._post(self._item(id, "stop"), retry_safe=retry_safe).data)

    def wait(
        self, id: str, until: str = "ready", *, timeout: float | None = None, interval: float = 2.0
    ) -> Deployment:
        """Poll until the deployment's status is ``until`` (or ``failed``); return it."""
        return poll(
            lambda: self.get(id),
            lambda deployment: deployment.status in (until, DEPLOYMENT_FAILED),
            sleep=self._transport.sleep,
            interval=interval,
            timeout=timeout,
            what=f"deployment {id}",
        )

    def metrics(self, id: str) -> DeploymentMetrics:
        """Traffic and health figures."""
        return parse(DeploymentMetrics, self._get(self._item(id, "metrics")).data)

    def logs(self, id: str, severity: str | None = None, limit: int | None = None) -> builtins.list[LogEntry]:
        """Recent log entries, optionally only of one severity (INFO, WARNING, ERROR)."""
        data = self._get(self._item(id, "logs"), body({"severity": severity, "limit": limit})).data
        return parse_list(LogEntry, data.get("entries") if isinstance(data, dict) else data)
