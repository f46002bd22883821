"""Webhook events with an HMAC-SHA256 signature, posted to --webhook."""

from __future__ import annotations

from ulplan.emulator.store.base import SubStore


class WebhookStore(SubStore):
    """Webhook events with an HMAC-SHA256 signature, posted to --webhook.."""

    SCHEMA = ""
