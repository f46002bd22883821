"""The emulated GPU catalogue: ids, memory, hourly prices and relative speed.

Emulation: prices are plausible cloud rates, not the platform's price list. Each type has
a ``relative_speed`` (rtx-4090 = 1.0) used to derive the GPU time an epoch would take on
it; that derived time, not the emulator's fast wall-clock epochs, is what training bills.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MICRO_USD = 1_000_000
DEFAULT_GPU = "rtx-4090"
# An epoch at imageSize 640 on an rtx-4090 is billed as this many GPU seconds (emulation).
BASE_EPOCH_GPU_SECONDS = 60.0
BASE_IMAGE_SIZE = 640


@dataclass(frozen=True)
class GpuType:
    """One GPU type that training can run on."""

    id: str
    name: str
    memory_gb: int
    price_per_hour: float  # US dollars, as estimatedCost.pricePerHour shows it
    relative_speed: float  # throughput relative to an rtx-4090

    @property
    def micro_usd_per_hour(self) -> int:
        """The hourly price in micro-USD, the unit every cost is computed in."""
        return round(self.price_per_hour * MICRO_USD)

    def as_api(self) -> dict[str, Any]:
        """The type as ``GET /api/training/gpu-types`` lists it."""
        return {
            "id": self.id,
            "name": self.name,
            "memoryGb": self.memory_gb,
            "pricePerHour": self.price_per_hour,
            "relativeSpeed": self.relative_speed,
            "default": self.id == DEFAULT_GPU,
        }


GPU_TYPES: tuple[GpuType, ...] = (
    GpuType("rtx-3090", "NVIDIA GeForce RTX 3090", 24, 0.46, 0.7),
    GpuType("rtx-4090", "NVIDIA GeForce RTX 4090", 24, 0.69, 1.0),
    GpuType("rtx-6000-ada", "NVIDIA RTX 6000 Ada", 48, 1.19, 1.1),
    GpuType("l4", "NVIDIA L4", 24, 0.59, 0.55),
    GpuType("l40s", "NVIDIA L40S", 48, 1.29, 1.2),
    GpuType("a100-40gb", "NVIDIA A100 40GB", 40, 1.49, 1.5),
    GpuType("a100-80gb", "NVIDIA A100 80GB", 80, 1.99, 1.6),
    GpuType("h100", "NVIDIA H100 80GB", 80, 2.99, 2.6),
    GpuType("h200", "NVIDIA H200 141GB", 141, 3.99, 3.0),
    GpuType("b200", "NVIDIA B200 180GB", 180, 5.99, 4.5),
    GpuType("t4", "NVIDIA T4", 16, 0.39, 0.35),
    GpuType("v100", "NVIDIA V100 32GB", 32, 0.89, 0.55),
)
GPU_IDS = tuple(gpu.id for gpu in GPU_TYPES)
_BY_ID = {gpu.id: gpu for gpu in GPU_TYPES}


def gpu_type(gpu_id: str) -> GpuType | None:
    """The catalogue entry for ``gpu_id``, or None for an unknown id."""
    return _BY_ID.get(gpu_id)


def epoch_gpu_seconds(gpu: GpuType, image_size: int) -> float:
    """Emulated GPU seconds one epoch takes: quadratic in image size, inverse in speed."""
    return BASE_EPOCH_GPU_SECONDS * (image_size / BASE_IMAGE_SIZE) ** 2 / gpu.relative_speed


def cost_micro_usd(gpu: GpuType, image_size: int, epochs: float) -> int:
    """What ``epochs`` (possibly fractional) epochs cost on ``gpu``, in micro-USD."""
    seconds = epoch_gpu_seconds(gpu, image_size) * max(epochs, 0.0)
    return round(gpu.micro_usd_per_hour * seconds / 3600)
