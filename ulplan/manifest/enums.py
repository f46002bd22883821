"""Closed vocabularies and numeric bounds of the Platform API, shared by specs and others.

One place for these lists so the manifest schema, the planner and the renderers agree.
The emulator keeps its own copy (it may not import the reconciler), so a change here is
a change to the API contract and must be made there too.
"""

from __future__ import annotations

from typing import Final

KINDS: Final = ("project", "dataset", "model", "export", "deployment")
"""Resource kinds in dependency order; also the tie-break order of the graph."""

SECTIONS: Final = {
    "projects": "project",
    "datasets": "dataset",
    "models": "model",
    "exports": "export",
    "deployments": "deployment",
}
"""Manifest top-level sections and the kind of resource each one holds."""

TASKS: Final = ("detect", "segment", "semantic", "classify", "pose", "obb")
VISIBILITIES: Final = ("public", "private")
DEPLOYMENT_STATES: Final = ("running", "stopped")

EXPORT_FORMATS: Final = (
    "onnx",
    "torchscript",
    "openvino",
    "tensorrt",
    "coreml",
    "tflite",
    "saved_model",
    "graphdef",
    "paddle",
    "ncnn",
    "edgetpu",
    "tfjs",
    "mnn",
    "rknn",
    "imx",
    "axelera",
    "executorch",
)

DEFAULT_GPU_TYPE: Final = "rtx-4090"
GPU_TYPES: Final = (
    "t4",
    "v100",
    "l4",
    "l40s",
    "rtx-3090",
    "rtx-4090",
    "rtx-6000-ada",
    "a100-40gb",
    "a100-80gb",
    "h100",
    "h200",
    "b200",
)

# The 42 Google Cloud regions a deployment can run in.
REGIONS: Final = (
    "africa-south1",
    "asia-east1",
    "asia-east2",
    "asia-northeast1",
    "asia-northeast2",
    "asia-northeast3",
    "asia-south1",
    "asia-south2",
    "asia-southeast1",
    "asia-southeast2",
    "australia-southeast1",
    "australia-southeast2",
    "europe-central2",
    "europe-north1",
    "europe-north2",
    "europe-southwest1",
    "europe-west1",
    "europe-west2",
    "europe-west3",
    "europe-west4",
    "europe-west6",
    "europe-west8",
    "europe-west9",
    "europe-west10",
    "europe-west12",
    "me-central1",
    "asia-southeast3",
    "me-west1",
    "northamerica-northeast1",
    "northamerica-northeast2",
    "northamerica-south1",
    "southamerica-east1",
    "southamerica-west1",
    "us-central1",
    "us-east1",
    "us-east4",
    "us-east5",
    "us-south1",
    "us-west1",
    "us-west2",
    "us-west3",
    "us-west4",
)

SLUG_PATTERN: Final = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX_LENGTH: Final = 100
NAME_MAX_LENGTH: Final = 100

CPU_RANGE: Final = (1, 8)
MEMORY_GI_RANGE: Final = (1, 32)
MIN_INSTANCES_RANGE: Final = (0, 10)
MAX_INSTANCES_RANGE: Final = (1, 100)
EPOCHS_RANGE: Final = (1, 10_000)
IMAGE_SIZE_RANGE: Final = (32, 4096)
IMAGE_SIZE_MULTIPLE: Final = 32

DEFAULT_CPU: Final = 1
DEFAULT_MEMORY_GI: Final = 2
DEFAULT_MIN_INSTANCES: Final = 0
DEFAULT_MAX_INSTANCES: Final = 1
DEFAULT_IMAGE_SIZE: Final = 640

# Live attributes a `${<kind>.<name>.<attr>}` reference may read: the API object's
# fields plus `uri` for datasets and models. A dotted path may go deeper (`resources.cpu`).
ATTRIBUTES: Final[dict[str, tuple[str, ...]]] = {
    "project": (
        "id", "name", "slug", "description", "visibility", "tags", "license", "modelCount",
        "createdAt", "updatedAt",
    ),
    "dataset": (
        "id", "name", "slug", "task", "description", "visibility", "imageCount", "classCount",
        "classNames", "tags", "license", "uri", "createdAt", "updatedAt",
    ),
    "model": (
        "id", "name", "slug", "projectId", "task", "status", "description", "fileSize",
        "fileSha256", "datasetId", "epochs", "metrics", "uri", "createdAt", "updatedAt",
    ),
    "export": ("id", "modelId", "format", "args", "status", "file", "error", "createdAt", "completedAt"),
    "deployment": (
        "id", "name", "slug", "modelId", "projectId", "region", "status", "statusMessage", "url",
        "resources", "createdAt", "updatedAt", "deployedAt",
    ),
}  # fmt: skip
