"""What every part of the store shares: the database, the clock, the settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ulplan.emulator.clock import Clock
from ulplan.emulator.config import EmulatorConfig
from ulplan.emulator.db import Database

if TYPE_CHECKING:
    from ulplan.emulator.store import Store

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    """One page of a list, with the numbers the envelope's ``meta`` shows."""

    items: list[dict[str, Any]]
    page: int
    limit: int
    total: int

    @property
    def meta(self) -> dict[str, int]:
        """The envelope's pagination ``meta``."""
        return {"page": self.page, "limit": self.limit, "total": self.total}


@dataclass(frozen=True)
class StoreContext:
    """Shared by every sub-store: one database, one clock, one configuration."""

    db: Database
    clock: Clock
    config: EmulatorConfig
    files_dir: Path


class SubStore:
    """Base of each part of the store. ``SCHEMA`` holds its CREATE TABLE statements."""

    SCHEMA = ""

    def __init__(self, ctx: StoreContext, store: Store) -> None:
        self.ctx = ctx
        self.store = store  # the other parts, for rules that span them (billing, activity)
        self.db = ctx.db
        self.clock = ctx.clock
        self.config = ctx.config
