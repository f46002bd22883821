"""Small helpers for manifest tests: write a manifest folder, load it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ulplan.manifest import LoadedManifests, LoadOptions, load_manifests

VALID = """\
projects:
  detection: {}
datasets:
  traffic: {task: detect}
models:
  yolo:
    project: detection
    training: {dataset: traffic, epochs: 3}
exports:
  onnx: {model: yolo, format: onnx}
deployments:
  api: {model: yolo, region: us-central1}
outputs:
  url: ${deployment.api.url}
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``folder`` (text is dedented) and return it."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def load(folder: Path, **options: object) -> LoadedManifests:
    """Load ``folder`` with an empty environment unless one is given."""
    options.setdefault("environ", {})
    return load_manifests([folder], LoadOptions(**options))  # type: ignore[arg-type]


def errors(loaded: LoadedManifests) -> list[str]:
    """The error summaries, in order."""
    return [d.summary for d in loaded.diagnostics if d.severity.value == "error"]
