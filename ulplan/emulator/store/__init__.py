"""The emulator's store: SQLite and the platform's rules, and no HTTP.

``Store`` composes one sub-store per part of the API. Routes call it; it raises
``ulplan.emulator.errors.PlatformFault`` subclasses that the app renders as envelopes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ulplan.emulator import ids
from ulplan.emulator.clock import Clock
from ulplan.emulator.config import EmulatorConfig
from ulplan.emulator.db import Database
from ulplan.emulator.store.accounts import AccountStore
from ulplan.emulator.store.activity import ActivityStore
from ulplan.emulator.store.base import StoreContext
from ulplan.emulator.store.billing import BillingStore
from ulplan.emulator.store.blobs import BlobStore
from ulplan.emulator.store.datasets import DatasetStore
from ulplan.emulator.store.deployments import DeploymentStore
from ulplan.emulator.store.exports import ExportStore
from ulplan.emulator.store.gdpr import GdprStore
from ulplan.emulator.store.models import ModelStore
from ulplan.emulator.store.projects import ProjectStore
from ulplan.emulator.store.storage import StorageStore
from ulplan.emulator.store.training import TrainingStore
from ulplan.emulator.store.trash import TrashStore
from ulplan.emulator.store.webhooks import WebhookStore

_PARTS = (
    AccountStore,
    ProjectStore,
    DatasetStore,
    ModelStore,
    BlobStore,
    ActivityStore,
    TrashStore,
    BillingStore,
    StorageStore,
    GdprStore,
    TrainingStore,
    ExportStore,
    DeploymentStore,
    WebhookStore,
)


class Store:
    """Every part of the emulated platform, over one database."""

    def __init__(self, config: EmulatorConfig, clock: Clock | None = None) -> None:
        self._temp = (
            tempfile.TemporaryDirectory(prefix="ulplan-emulator-") if config.db_path == ":memory:" else None
        )
        files_dir = config.resolved_files_dir(Path(self._temp.name) if self._temp else Path("."))
        files_dir.mkdir(parents=True, exist_ok=True)
        db = Database(config.db_path, [part.SCHEMA for part in _PARTS])
        ctx = StoreContext(db=db, clock=clock or Clock(), config=config, files_dir=files_dir)
        self.ctx = ctx
        self.accounts = AccountStore(ctx, self)
        self.projects = ProjectStore(ctx, self)
        self.datasets = DatasetStore(ctx, self)
        self.models = ModelStore(ctx, self)
        self.blobs = BlobStore(ctx, self)
        self.activity = ActivityStore(ctx, self)
        self.trash = TrashStore(ctx, self)
        self.billing = BillingStore(ctx, self)
        self.storage = StorageStore(ctx, self)
        self.gdpr = GdprStore(ctx, self)
        self.training = TrainingStore(ctx, self)
        self.exports = ExportStore(ctx, self)
        self.deployments = DeploymentStore(ctx, self)
        self.webhooks = WebhookStore(ctx, self)

    def seed(self) -> list[str]:
        """Create the configured seed accounts (once); with none and an empty database,
        create one account and return its new key so the caller can print it once."""
        for seed in self.ctx.config.seed_keys:
            if self.accounts.account_of_key(seed.key) is not None:
                continue
            # A seed key naming an existing user joins that account (a second key for it).
            account_id = seed.username and self.accounts.account_of_username(seed.username)
            if not account_id:
                account_id = self.accounts.create_account(seed.plan, seed.username)
            self.accounts.add_key(account_id, seed.key, name="seed")
        if self.ctx.config.seed_keys or self.accounts.count() > 0:
            return []
        key = ids.new_api_key()
        self.accounts.add_key(self.accounts.create_account("pro"), key, name="default")
        return [key]

    def tick(self) -> None:
        """Advance the emulated jobs to the present (called periodically and before reads)."""
        self.training.tick()
        self.exports.tick()
        self.deployments.tick()

    def close(self) -> None:
        """Stop the webhook sender, release the database (and an in-memory instance's files)."""
        self.webhooks.close()
        self.ctx.db.close()
        if self._temp is not None:
            self._temp.cleanup()
