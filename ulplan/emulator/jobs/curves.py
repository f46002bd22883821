"""Plausible training metrics, deterministic per model (emulation: nothing is trained).

Each model gets its own curve shape from a hash of its id: accuracy metrics rise towards
a plateau, losses fall towards a floor, with a little seeded jitter so curves look real
yet the same model always shows the same numbers at the same epoch.
"""

from __future__ import annotations

import hashlib
import math
import random

CLASSIFY = "classify"


def _rng(seed: str, *parts: object) -> random.Random:
    """A random generator seeded by text, stable across processes (unlike ``hash``)."""
    digest = hashlib.sha256("/".join([seed, *map(str, parts)]).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _progress(epoch: int, epochs: int, rate: float) -> float:
    """A saturating 0..1 curve: fast early gains, a plateau near the end."""
    if epochs <= 0 or epoch <= 0:
        return 0.0
    return (1 - math.exp(-rate * epoch / epochs)) / (1 - math.exp(-rate))


def metrics_at(seed: str, epoch: int, epochs: int, task: str = "detect") -> dict[str, float]:
    """The metrics after ``epoch`` of ``epochs`` (0: before the first epoch ends).

    Keys follow the platform's model metrics: ``mAP50``, ``mAP50-95``, ``precision``,
    ``recall`` (``accuracy_top1``/``accuracy_top5`` for classify) plus training losses.
    """
    shape = _rng(seed, "shape")
    final_map50 = shape.uniform(0.55, 0.88)
    rate = shape.uniform(3.0, 6.0)
    jitter = _rng(seed, "epoch", epoch)
    p = min(max(_progress(epoch, epochs, rate) + jitter.uniform(-0.015, 0.015), 0.0), 1.0)
    losses = {
        "box_loss": round(1.6 - 0.7 * p + jitter.uniform(-0.02, 0.02), 4),
        "cls_loss": round(2.6 - 1.9 * p + jitter.uniform(-0.03, 0.03), 4),
        "dfl_loss": round(1.5 - 0.45 * p + jitter.uniform(-0.01, 0.01), 4),
    }
    if task == CLASSIFY:
        top1 = final_map50 * p
        return {"accuracy_top1": round(top1, 4), "accuracy_top5": round(min(top1 + 0.12 * p, 1.0), 4)} | {
            "cls_loss": losses["cls_loss"]
        }
    map50 = final_map50 * p
    return {
        "mAP50": round(map50, 4),
        "mAP50-95": round(map50 * shape.uniform(0.6, 0.72), 4),
        "precision": round(min(map50 * shape.uniform(1.02, 1.12), 1.0), 4),
        "recall": round(map50 * shape.uniform(0.85, 0.97), 4),
    } | losses
