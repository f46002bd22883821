"""Rate limits per API key, as pure ASGI middleware over ``/api`` routes.

Fixed windows aligned to the epoch (a 60 s window resets at each whole minute), so
``X-RateLimit-Reset`` is exact: the epoch second at which the window's count returns to
zero, and a client that waits until then is never refused. Under ``rate_limit="plan"``
each key has its plan's minute and day windows (free 60/min + 1,000/day, pro 300/min +
50,000/day, enterprise unlimited); a RateWindow applies one window to every key; None
turns limits off. The headers describe the window closest to running out.

Requests without a valid key (the unauthenticated download and checkout links, or a bad
key about to get its 401) are counted per client address under the free plan's windows
(or the configured window), so they carry the same headers and cannot hammer the server.
Responses without a limit (limits off, enterprise keys, ``/health``) carry no headers.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ulplan.emulator.config import PLAN_RATE_LIMITS, EmulatorConfig, RateWindow
from ulplan.emulator.envelope import error_body
from ulplan.emulator.errors import Unauthorized
from ulplan.emulator.store import Store

DAY_SECONDS, MINUTE_SECONDS = 86_400.0, 60.0


@dataclass(frozen=True)
class Verdict:
    """The outcome for one request: allowed or not, and the headers to send."""

    allowed: bool
    limit: int
    remaining: int
    reset: float  # epoch seconds

    def headers(self, now: float) -> list[tuple[bytes, bytes]]:
        """``X-RateLimit-*`` (and ``Retry-After`` when refused) as ASGI header pairs."""
        pairs = [
            (b"x-ratelimit-limit", str(self.limit).encode()),
            (b"x-ratelimit-remaining", str(self.remaining).encode()),
            (b"x-ratelimit-reset", str(math.ceil(self.reset)).encode()),
        ]
        if not self.allowed:
            pairs.append((b"retry-after", str(max(1, math.ceil(self.reset - now))).encode()))
        return pairs


class FixedWindows:
    """Request counters per (identity, window length), in memory (a restart forgets them)."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, float], tuple[float, int]] = {}

    def hit(self, identity: str, windows: list[tuple[int, float]], now: float) -> Verdict:
        """Count one request against every window, unless one of them is already full."""
        states = []
        for limit, seconds in windows:
            start = math.floor(now / seconds) * seconds
            window_start, count = self._counts.get((identity, seconds), (start, 0))
            if window_start != start:
                count = 0
            states.append((limit, seconds, start, count))
        full = [s for s in states if s[3] >= s[0]]
        if full:
            limit, seconds, start, _ = max(full, key=lambda s: s[2] + s[1])
            return Verdict(False, limit, 0, start + seconds)
        for _limit, seconds, start, count in states:
            self._counts[(identity, seconds)] = (start, count + 1)
        limit, seconds, start, count = min(states, key=lambda s: (s[0] - s[3], s[1]))
        return Verdict(True, limit, limit - count - 1, start + seconds)


class RateLimitMiddleware:
    """Counts ``/api`` requests per key and answers 429 RATE_LIMITED past the limit."""

    def __init__(self, app: ASGIApp, store: Store, config: EmulatorConfig) -> None:
        self.app = app
        self.store = store
        self.config = config
        self.windows = FixedWindows()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/") or self.config.rate_limit is None:
            await self.app(scope, receive, send)
            return
        identity, windows = self._identify(scope)
        if not windows:
            await self.app(scope, receive, send)
            return
        now = self.store.ctx.clock.now()
        verdict = self.windows.hit(identity, windows, now)
        headers = verdict.headers(now)
        if not verdict.allowed:
            await _refuse(send, headers, verdict)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _identify(self, scope: Scope) -> tuple[str, list[tuple[int, float]]]:
        """Who is calling (key id, or client address) and which windows apply to them."""
        key = _bearer(scope)
        plan = "free"
        identity = "anonymous:" + str((scope.get("client") or ("?",))[0])
        if key is not None:
            try:
                principal = self.store.accounts.authenticate(key)
            except Unauthorized:
                principal = None
            if principal is not None:
                # Routes reuse this principal instead of looking the key up again.
                scope.setdefault("state", {})["principal"] = principal
                identity, plan = principal.key_id, principal.plan
        return identity, self._windows_for(plan)

    def _windows_for(self, plan: str) -> list[tuple[int, float]]:
        setting = self.config.rate_limit
        if isinstance(setting, RateWindow):
            return [(setting.limit, setting.seconds)]
        limits = PLAN_RATE_LIMITS.get(plan)
        return [] if limits is None else [(limits[0], MINUTE_SECONDS), (limits[1], DAY_SECONDS)]


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, key = value.decode("latin-1").partition(" ")
            return key.strip() or None if scheme.lower() == "bearer" else None
    return None


async def _refuse(send: Send, headers: list[tuple[bytes, bytes]], verdict: Verdict) -> None:
    body = error_body(
        "RATE_LIMITED",
        f"Rate limit of {verdict.limit} requests exceeded; retry after the window resets",
        {"limit": verdict.limit, "reset": math.ceil(verdict.reset)},
    )
    await send_json(send, 429, body, headers)


async def send_json(
    send: Send, status: int, body: Any, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Answer with a JSON body straight from ASGI middleware."""
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
