"""Refresh: what exists on the platform, read with as few GET requests as possible.

The planner sees the platform only through :class:`LiveSource`, a read-only protocol: one
listing per kind for the whole plan (every page), a training status only for the models
that have training, and the account, balance, storage and GPU prices read once. Tests
hand the planner a fake source; :class:`ClientLiveSource` reads through the client.
"""

from __future__ import annotations

import builtins
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from ulplan.resources import resource_type
from ulplan.resources.base import Raw, dump

if TYPE_CHECKING:
    from ulplan.client import PlatformClient


class LiveSource(Protocol):
    """Read-only access to the platform, as the planner needs it."""

    def list(self, kind: str) -> builtins.list[Raw]:
        """Every live object of ``kind`` (camelCase dicts)."""
        ...

    def training_status(self, model_id: str) -> Raw | None:
        """A model's training status, or None when it was never trained."""
        ...

    def username(self) -> str | None:
        """The account's username (the owner in ``ul://`` URIs)."""
        ...

    def balance_micro_usd(self) -> int | None:
        """The account's total balance, or None when it cannot be read."""
        ...

    def storage(self) -> Raw | None:
        """``{used, limit, percentage}`` in bytes, or None."""
        ...

    def gpu_types(self) -> builtins.list[Raw]:
        """The GPU types training can use, with their hourly prices."""
        ...


class ClientLiveSource:
    """A LiveSource over the API client; every read is cached for the plan's lifetime."""

    def __init__(self, client: PlatformClient) -> None:
        self.client = client
        self._lists: dict[str, builtins.list[Raw]] = {}
        self._account: Raw | None = None
        self._locks: dict[str, threading.Lock] = defaultdict(threading.Lock)

    def list(self, kind: str) -> builtins.list[Raw]:
        """One listing per kind, every page (the client pages with limit=100); kinds may be
        listed from several threads at once."""
        with self._locks[kind]:
            if kind not in self._lists:
                self._lists[kind] = list(resource_type(kind).list_live(self.client))
            return self._lists[kind]

    def training_status(self, model_id: str) -> Raw | None:
        """GET /api/models/{id}/training."""
        status = self.client.training.status(model_id)
        return dump(status) if status is not None else None

    def username(self) -> str | None:
        """From GET /api/account/summary, read once."""
        if self._account is None:
            self._account = dump(self.client.account.summary())
        value = self._account.get("username")
        return str(value) if value else None

    def balance_micro_usd(self) -> int | None:
        """GET /api/billing/balance: the total balance (None when the key may not read it)."""
        from ulplan.client.errors import APIError

        try:
            value = dump(self.client.billing.balance()).get("totalBalance")
        except APIError:
            return None
        return int(value) if value is not None else None

    def storage(self) -> Raw | None:
        """GET /api/storage (None when it cannot be read)."""
        from ulplan.client.errors import APIError

        try:
            return dump(self.client.storage.get())
        except APIError:
            return None

    def gpu_types(self) -> builtins.list[Raw]:
        """GET /api/training/gpu-types: an emulator extension, so a platform without it
        gives an empty list (the plan then says it could not price the training)."""
        from ulplan.client.errors import APIError

        try:
            return [dump(item) for item in _as_list(self.client.training.gpu_types())]
        except APIError:
            return []


class StaticLiveSource:
    """A LiveSource of fixed data: for tests, and for plans that must not touch the network."""

    def __init__(
        self,
        objects: dict[str, list[Raw]] | None = None,
        training: dict[str, Raw | None] | None = None,
        username: str | None = "user",
        balance_micro_usd: int | None = None,
        storage: Raw | None = None,
        gpu_types: list[Raw] | None = None,
    ) -> None:
        self.objects = objects or {}
        self.training = training or {}
        self._username = username
        self._balance = balance_micro_usd
        self._storage = storage
        self._gpu_types = gpu_types or []
        self.reads: list[str] = []  # what the planner asked for, so tests can check it

    def list(self, kind: str) -> builtins.list[Raw]:
        """The fixed objects of ``kind``."""
        self.reads.append(f"list {kind}")
        return list(self.objects.get(kind, []))

    def training_status(self, model_id: str) -> Raw | None:
        """The fixed training status of ``model_id``."""
        self.reads.append(f"training {model_id}")
        return self.training.get(model_id)

    def username(self) -> str | None:
        """The fixed username."""
        return self._username

    def balance_micro_usd(self) -> int | None:
        """The fixed balance."""
        return self._balance

    def storage(self) -> Raw | None:
        """The fixed storage numbers."""
        return self._storage

    def gpu_types(self) -> builtins.list[Raw]:
        """The fixed GPU types."""
        return list(self._gpu_types)


def _as_list(value: Any) -> Iterable[Any]:
    """The client may return a list or an object holding one (``{gpuTypes: [...]}``)."""
    if isinstance(value, list | tuple):
        return value
    raw = dump(value)
    for key in ("gpuTypes", "items", "data", "types"):
        if isinstance(raw.get(key), list):
            return list(raw[key])
    return []
