"""Webhook events with an HMAC-SHA256 signature, posted to ``--webhook`` (an extension).

The platform posts ``training.started``, ``training.epoch``, ``training.completed``,
``training.failed`` and ``export.completed`` to an enterprise account's URL. The
reference documents no endpoint to configure that, so the emulator takes one URL and
secret from its configuration and posts every account's events there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ulplan.emulator.jobs.webhook_sender import WebhookSender, encode_event
from ulplan.emulator.store.base import StoreContext, SubStore

if TYPE_CHECKING:
    from ulplan.emulator.store import Store

EVENTS = ("training.started", "training.epoch", "training.completed", "training.failed", "export.completed")


class WebhookStore(SubStore):
    """Posts job events to the configured URL, never blocking the caller."""

    def __init__(self, ctx: StoreContext, store: Store) -> None:
        super().__init__(ctx, store)
        url = ctx.config.webhook_url
        self._sender = WebhookSender(url, ctx.config.webhook_secret) if url else None

    @property
    def enabled(self) -> bool:
        """True when a webhook URL is configured."""
        return self._sender is not None

    def emit(self, event: str, data: dict[str, Any]) -> None:
        """Queue ``event`` with ``data`` for delivery (nothing happens without a URL).

        Call it as the last step of the transaction that made the change: events then
        leave in order, and a change rolled back before that point never announces itself.
        """
        if event not in EVENTS:
            raise ValueError(f"unknown webhook event {event!r}")
        if self._sender is not None:
            self._sender.send(encode_event(event, self.clock.iso(), data))

    def close(self) -> None:
        """Deliver what is queued (briefly) and stop the sender thread."""
        if self._sender is not None:
            self._sender.close()
