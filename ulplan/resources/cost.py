"""Preflight pricing of what a plan starts. AN ESTIMATE, not a quote.

The platform bills training by GPU time: hourly price x hours. The price is the
platform's (``GET /api/training/gpu-types``); the hours are our guess, from a simple
formula documented here so a user can judge it:

    seconds per epoch = 60 s x (images / 1000) x (imageSize / 640)^2 / gpu speed
    training seconds  = 120 s start-up + epochs x seconds per epoch

60 s per 1,000 images at 640 px is roughly a small YOLO model on an RTX 4090 (speed
1.0); other GPUs scale by their relative speed (from the API when it gives one, else the
table below). A dataset with fewer than 100 images (or one created by this plan, whose
images are not known yet) is counted as 100. The real cost depends on the model size,
augmentation and early stopping; the platform reports the actual cost as it trains.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

SECONDS_PER_1000_IMAGES = 60.0
REFERENCE_IMAGE_SIZE = 640
STARTUP_SECONDS = 120.0
MIN_IMAGES = 100

# Relative training speed (RTX 4090 = 1.0), used when the API gives no speed.
RELATIVE_SPEED: dict[str, float] = {
    "t4": 0.25,
    "v100": 0.5,
    "l4": 0.45,
    "l40s": 1.1,
    "rtx-3090": 0.6,
    "rtx-4090": 1.0,
    "rtx-6000-ada": 1.05,
    "a100-40gb": 1.3,
    "a100-80gb": 1.4,
    "h100": 2.2,
    "h200": 2.4,
    "b200": 3.5,
}


@dataclass(frozen=True)
class GpuPrice:
    """One GPU type: its hourly price in micro-USD and its relative speed."""

    name: str
    price_per_hour_micro_usd: int
    speed: float


def gpu_prices(gpu_types: Iterable[Mapping[str, Any]]) -> dict[str, GpuPrice]:
    """The API's GPU types by id/name, prices normalised to micro-USD per hour."""
    prices: dict[str, GpuPrice] = {}
    for item in gpu_types:
        name = str(item.get("id") or item.get("name") or item.get("type") or "")
        if not name:
            continue
        speed = item.get("relativeSpeed") or item.get("speed") or RELATIVE_SPEED.get(name, 1.0)
        prices[name] = GpuPrice(name, _micro_usd_per_hour(item), float(speed))
    return prices


def _micro_usd_per_hour(item: Mapping[str, Any]) -> int:
    for key in ("pricePerHourMicroUsd", "hourlyPriceMicroUsd", "priceMicroUsdPerHour"):
        if item.get(key) is not None:
            return int(item[key])
    dollars = item.get("pricePerHour", item.get("hourlyPrice", 0)) or 0
    # The API states money in micro-USD; a small number here can only be dollars.
    return int(dollars) if float(dollars) >= 1000 else int(round(float(dollars) * 1_000_000))


def estimate_training_seconds(epochs: int, image_size: int, images: int | None, speed: float) -> float:
    """The estimated wall time of one training (see the module docstring)."""
    counted = max(images or 0, MIN_IMAGES)
    per_epoch = SECONDS_PER_1000_IMAGES * (counted / 1000) * (image_size / REFERENCE_IMAGE_SIZE) ** 2
    return STARTUP_SECONDS + epochs * per_epoch / max(speed, 0.01)


def estimate_training_cost(
    training: Mapping[str, Any], images: int | None, prices: Mapping[str, GpuPrice]
) -> int:
    """Micro-USD a training is expected to cost; 0 when its GPU's price is unknown."""
    price = prices.get(str(training.get("gpuType")))
    if price is None:
        return 0
    seconds = estimate_training_seconds(
        int(training.get("epochs") or 1),
        int(training.get("imageSize") or REFERENCE_IMAGE_SIZE),
        images,
        price.speed,
    )
    return int(round(price.price_per_hour_micro_usd * seconds / 3600))


def dollars(micro_usd: int) -> str:
    """``1234567`` -> ``$1.23``."""
    return f"${micro_usd / 1_000_000:,.2f}"
