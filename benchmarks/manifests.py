"""Generated manifests of N resources in a realistic mix of all five kinds.

A few projects and datasets, many models (uploaded from one tiny checkpoint-layout
file; only a handful trained, so apply stays fast), exports of some models and
deployments of others. Resources are spread over several files because the manifest
loader caps the values of one YAML document (a hostile-input guard).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

EXPORT_FORMATS = ("onnx", "torchscript", "openvino", "coreml", "tflite", "ncnn")
REGIONS = ("us-central1", "europe-west4", "asia-east1")
PER_FILE = 200  # resources per generated file
WEIGHTS = "weights/tiny.pt"


@dataclass(frozen=True)
class Mix:
    """How many resources of each kind a manifest of ``total`` resources holds."""

    projects: int
    datasets: int
    models: int
    exports: int
    deployments: int
    trained: int

    @property
    def total(self) -> int:
        """All resources."""
        return self.projects + self.datasets + self.models + self.exports + self.deployments

    @classmethod
    def of(cls, total: int, trained: int = 3) -> Mix:
        """1% projects, 2% datasets, then models 55%, exports 25%, deployments the rest."""
        projects = max(2, total // 100)
        datasets = max(2, total // 50)
        rest = max(0, total - projects - datasets)
        models = max(1, round(rest * 0.55))
        exports = min(round(rest * 0.25), models * len(EXPORT_FORMATS))
        deployments = max(0, rest - models - exports)
        return cls(projects, datasets, models, exports, deployments, min(trained, models))


def checkpoint_bytes() -> bytes:
    """A tiny file with a torch checkpoint's zip layout (the emulator checks the layout)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in (("tiny/data.pkl", b"\x80\x02}q\x00."), ("tiny/version", b"3\n")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def resources(mix: Mix) -> dict[str, dict[str, Any]]:
    """The resources of ``mix`` by kind (plural section name) and manifest key."""
    projects = {
        f"proj-{i}": {"description": f"Project {i}", "visibility": "private"} for i in range(mix.projects)
    }
    datasets = {f"data-{i}": {"task": "detect", "classNames": ["car", "bus"]} for i in range(mix.datasets)}
    models: dict[str, Any] = {}
    for i in range(mix.models):
        model: dict[str, Any] = {
            "project": f"proj-{i % mix.projects}",
            "file": WEIGHTS,
            "description": f"m{i}",
        }
        if i < mix.trained:
            model["training"] = {"dataset": f"data-{i % mix.datasets}", "epochs": 1, "imageSize": 320}
        models[f"model-{i}"] = model
    exports = {
        f"export-{i}": {
            "model": f"model-{i % mix.models}",
            "format": EXPORT_FORMATS[(i // mix.models) % len(EXPORT_FORMATS)],
        }
        for i in range(mix.exports)
    }
    deployments = {
        f"deploy-{i}": {
            "model": f"model-{(mix.models - 1 - i) % mix.models}",
            "region": REGIONS[i % len(REGIONS)],
            "maxInstances": 2,
        }
        for i in range(mix.deployments)
    }
    return {
        "projects": projects,
        "datasets": datasets,
        "models": models,
        "exports": exports,
        "deployments": deployments,
    }


def write_manifests(folder: Path, total: int, trained: int = 3) -> Mix:
    """Write manifests of ``total`` resources (and the weights file) into ``folder``."""
    mix = Mix.of(total, trained)
    (folder / "weights").mkdir(parents=True, exist_ok=True)
    (folder / WEIGHTS).write_bytes(checkpoint_bytes())
    chunk: dict[str, dict[str, Any]] = {}
    count = number = 0
    for section, items in resources(mix).items():
        for key, body in items.items():
            chunk.setdefault(section, {})[key] = body
            count += 1
            if count == PER_FILE:
                number = _flush(folder, number, chunk)
                chunk, count = {}, 0
    if chunk:
        _flush(folder, number, chunk)
    return mix


def _flush(folder: Path, number: int, chunk: dict[str, dict[str, Any]]) -> int:
    text = yaml.safe_dump({"version": 1, **chunk}, sort_keys=False)
    (folder / f"part-{number:04d}.yaml").write_text(text, encoding="utf-8")
    return number + 1
