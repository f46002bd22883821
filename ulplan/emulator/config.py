"""The emulator's settings: what ``ulplan serve`` flags and embedders choose."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

PLANS = ("free", "pro", "enterprise")
KEY_PATTERN = re.compile(r"^ul_[0-9a-f]{40}$")
WINDOW_PATTERN = re.compile(r"^(\d+)/(\d+(?:\.\d+)?)(s|m|h)?$")

FaultMode = Literal["before", "after", "both"]

# Requests per minute and per day for each plan (API.md "Basics"); enterprise: no limit.
PLAN_RATE_LIMITS: dict[str, tuple[int, int] | None] = {
    "free": (60, 1_000),
    "pro": (300, 50_000),
    "enterprise": None,
}


@dataclass(frozen=True)
class SeedKey:
    """An account to create at start-up, with a key that holds every scope."""

    key: str
    plan: str = "pro"
    username: str | None = None

    @classmethod
    def parse(cls, text: str) -> SeedKey:
        """Parse ``ul_KEY[:PLAN[:USERNAME]]``; raise ValueError with a clear message."""
        key, _, rest = text.partition(":")
        plan, _, username = rest.partition(":")
        if not KEY_PATTERN.match(key):
            raise ValueError("a seed key must be 'ul_' followed by 40 lowercase hex characters")
        if plan and plan not in PLANS:
            raise ValueError(f"unknown plan {plan!r}: choose one of {', '.join(PLANS)}")
        return cls(key=key, plan=plan or "pro", username=username or None)


@dataclass(frozen=True)
class RateWindow:
    """``limit`` requests per ``seconds``, for every key (overrides the plans' windows)."""

    limit: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> RateWindow | None:
        """Parse ``off`` (None) or ``N/W[s|m|h]`` such as ``20/5s`` or ``60/1m``."""
        if text == "off":
            return None
        match = WINDOW_PATTERN.match(text)
        if not match:
            raise ValueError("expected 'off' or N/W with W in seconds, e.g. 20/5s or 60/1m")
        unit = {"s": 1, "m": 60, "h": 3600}[match.group(3) or "s"]
        limit, seconds = int(match.group(1)), float(match.group(2)) * unit
        if limit < 1 or seconds <= 0:
            raise ValueError("a rate window needs at least 1 request and a positive length")
        return cls(limit=limit, seconds=seconds)


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything that shapes one emulator instance.

    ``rate_limit``: ``"plan"`` applies each account's plan limits (the real platform's
    behaviour); ``None`` turns limits off; a RateWindow applies one window to every key.
    ``epoch_seconds`` and ``job_seconds`` set the pace of the emulated jobs.
    ``storage_limit`` (bytes) replaces every plan's storage limit, so 413 can be tested.
    """

    db_path: Path | Literal[":memory:"] = Path("ulplan-emulator.db")
    seed_keys: tuple[SeedKey, ...] = ()
    rate_limit: RateWindow | Literal["plan"] | None = "plan"
    fault_rate: float = 0.0
    fault_mode: FaultMode = "both"
    latency: float = 0.0
    epoch_seconds: float = 0.5
    job_seconds: float = 1.0
    fail_training_rate: float = 0.0
    webhook_url: str | None = None
    webhook_secret: str = "ulplan-emulator-webhook-secret"
    files_dir: Path | None = None  # default: "<db file>.files" beside the database
    storage_limit: int | None = None  # bytes per account; None: each plan's limit
    extra: dict[str, str] = field(default_factory=dict)

    def resolved_files_dir(self, temp_root: Path) -> Path:
        """Where uploaded and exported files live: beside the database file."""
        if self.files_dir is not None:
            return self.files_dir
        if self.db_path == ":memory:":
            return temp_root / "files"
        return self.db_path.with_name(self.db_path.name + ".files")
