"""Fault injection and added latency for reliability tests, as pure ASGI middleware.

Applies to ``/api`` routes only (``/health`` always answers). With ``fault_rate`` F, a
share F of requests fail with 500 INTERNAL_ERROR: ``before`` fails without doing the
work; ``after`` does the work and then loses the answer (the hard case for a client:
the create happened, the client does not know); ``both`` picks one of the two at random.
"""

from __future__ import annotations

import asyncio
import random

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ulplan.emulator.config import EmulatorConfig
from ulplan.emulator.envelope import error_body
from ulplan.emulator.ratelimit import send_json


class FaultMiddleware:
    """Adds ``latency`` seconds to each /api request and fails a share of them."""

    def __init__(self, app: ASGIApp, config: EmulatorConfig, rng: random.Random | None = None) -> None:
        self.app = app
        self.config = config
        self.rng = rng or random.Random()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if self.config.latency > 0:
            await asyncio.sleep(self.config.latency)
        if self.config.fault_rate <= 0 or self.rng.random() >= self.config.fault_rate:
            await self.app(scope, receive, send)
            return
        mode = self.config.fault_mode
        if mode == "both":
            mode = self.rng.choice(("before", "after"))
        if mode == "after":
            await self.app(scope, receive, _discard)
        message = (
            "Injected fault (emulator --fault-rate): the request was not performed"
            if mode == "before"
            else "Injected fault (emulator --fault-rate): the request was performed but its answer was lost"
        )
        await send_json(send, 500, error_body("INTERNAL_ERROR", message, {"injected": True, "mode": mode}))


async def _discard(_message: Message) -> None:
    """The real answer of a request failed ``after`` it was done goes nowhere."""
