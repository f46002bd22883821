"""Balances in micro-USD, reservations for training, emulated checkout."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class BillingStore(SubStore):
    """Balances in micro-USD, reservations for training, emulated checkout.."""

    SCHEMA = ""
