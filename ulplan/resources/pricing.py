"""Preflight: what a plan will cost and whether the account can carry it.

The balance, the storage and the GPU prices are each read at most once per plan, and
only when the plan needs them (a training to price, a file to upload).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ulplan.changes import UNKNOWN, Action, FieldDiff, ResourceChange
from ulplan.resources.base import Raw
from ulplan.resources.cost import GpuPrice, dollars, estimate_training_cost, gpu_prices

if TYPE_CHECKING:
    from ulplan.manifest.loaded import ResourceSpec
    from ulplan.refresh import LiveSource


class Pricer:
    """Prices the trainings a plan starts and checks balance and storage."""

    def __init__(self, source: LiveSource) -> None:
        self.source = source
        self.balance: int | None = None
        self._prices: dict[str, GpuPrice] | None = None

    def training_cost(
        self,
        spec: ResourceSpec,
        action: Action,
        after: Raw,
        diffs: Iterable[FieldDiff],
        by_id: Mapping[str, Raw],
    ) -> int:
        """The estimated cost of the training this change starts (0 when it starts none)."""
        training = after.get("training")
        if spec.kind != "model" or not isinstance(training, Mapping):
            return 0
        starts = action in (Action.CREATE, Action.REPLACE) or (
            action is Action.UPDATE and any(d.path.startswith("training") for d in diffs)
        )
        if not starts:
            return 0
        dataset_id = training.get("datasetId")
        images = None if dataset_id is UNKNOWN else by_id.get(str(dataset_id), {}).get("imageCount")
        if self._prices is None:
            self._prices = gpu_prices(self.source.gpu_types())
        return estimate_training_cost(training, images, self._prices)

    def preflight(self, changes: list[ResourceChange], fail_on_cost: bool, warnings: list[str]) -> list[str]:
        """Warnings (appended) and errors (returned) about cost and storage."""
        errors: list[str] = []
        if self._prices == {}:
            warnings.append("GPU prices could not be read from the platform: the trainings are not priced")
        total = sum(c.estimated_cost_micro_usd for c in changes)
        if total > 0:
            self.balance = self.source.balance_micro_usd()
            if self.balance is not None and total > self.balance:
                message = (
                    f"the estimated cost {dollars(total)} is more than the balance {dollars(self.balance)}"
                )
                (errors if fail_on_cost else warnings).append(message)
        upload = sum(_upload_size(c) for c in changes)
        if upload > 0:
            storage = self.source.storage() or {}
            used, limit = storage.get("used"), storage.get("limit")
            if isinstance(used, int) and isinstance(limit, int) and used + upload > limit:
                warnings.append(
                    f"uploading {upload:,} bytes would exceed the storage limit ({used:,} of {limit:,} used)"
                )
        return errors


def _upload_size(change: ResourceChange) -> int:
    path = change.extra.get("filePath")
    if change.action not in (Action.CREATE, Action.REPLACE) or not path:
        return 0
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def mark_waits(changes: list[ResourceChange], resources: Mapping[str, ResourceSpec]) -> list[ResourceChange]:
    """Tell the executor which trainings to wait for.

    A model waits for its training when ``wait: true``; an export or deployment of a
    model with training always waits for that training before it is created or rolled.
    """
    for change in changes:
        spec = resources.get(change.address)
        if spec is None or change.action is Action.DELETE:
            continue
        training = getattr(spec.spec, "training", None)
        if spec.kind == "model" and training is not None:
            change.extra["wait"] = bool(getattr(training, "wait", True))
        model_ref: Any = getattr(spec.spec, "model", None) if spec.kind in ("export", "deployment") else None
        address = model_ref.address("model") if model_ref is not None else None
        model = resources.get(address) if address else None
        if model is not None and getattr(model.spec, "training", None) is not None:
            change.extra["awaitTraining"] = "${" + f"{address}.id" + "}"
    return changes
