"""The real files emulated jobs leave behind: trained weights and exported models.

Emulation: a trained model's weights are a small zip laid out like a torch checkpoint
(``best/data.pkl``, ``best/version``, ``best/byteorder``) whose pickle holds only plain
data describing the emulated run; an export is a short text file naming the format and
the sha256 of the weights it came from. Both are byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from typing import Any

# Formats the platform exports to, with the file or folder name Ultralytics gives each.
EXPORT_SUFFIXES: dict[str, str] = {
    "onnx": ".onnx",
    "torchscript": ".torchscript",
    "openvino": "_openvino_model",
    "tensorrt": ".engine",
    "coreml": ".mlpackage",
    "tflite": ".tflite",
    "saved_model": "_saved_model",
    "graphdef": ".pb",
    "paddle": "_paddle_model",
    "ncnn": "_ncnn_model",
    "edgetpu": "_edgetpu.tflite",
    "tfjs": "_web_model",
    "mnn": ".mnn",
    "rknn": "_rknn_model",
    "imx": "_imx_model",
    "axelera": "_axelera_model",
    "executorch": "_executorch_model",
}
EXPORT_FORMATS = tuple(EXPORT_SUFFIXES)
_FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # zip entries carry no wall-clock time: same input, same bytes


def export_filename(stem: str, export_format: str) -> str:
    """The download name of an export: a file, or a zip for formats that are folders."""
    suffix = EXPORT_SUFFIXES[export_format]
    return f"{stem}{suffix}" if suffix.startswith(".") else f"{stem}{suffix}.zip"


def export_bytes(export_format: str, source_sha256: str, args: dict[str, Any], model_id: str) -> bytes:
    """The content of an emulated export: what it would have been converted from, and how."""
    lines = [
        "ulplan emulator export (emulation: no model was converted)",
        f"format: {export_format}",
        f"source-model: {model_id}",
        f"source-sha256: {source_sha256}",
        f"args: {json.dumps(args, sort_keys=True)}",
    ]
    return ("\n".join(lines) + "\n").encode()


def checkpoint_bytes(model_id: str, job_id: str, epochs: int, metrics: dict[str, float]) -> bytes:
    """A small zip laid out like a torch checkpoint, holding the emulated run's summary."""
    summary = {
        "emulated": True,
        "model": model_id,
        "training_job": job_id,
        "epoch": epochs - 1,
        "train_metrics": dict(sorted(metrics.items())),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("best/data.pkl", pickle.dumps(summary, protocol=2)),
            ("best/byteorder", b"little"),
            ("best/version", b"3\n"),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), data)
    return buffer.getvalue()
