"""GDPR: export all of an account's data, or delete the account irreversibly."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class GdprStore(SubStore):
    """GDPR."""

    SCHEMA = ""
