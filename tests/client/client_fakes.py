"""Fakes for the client's unit tests: a fake clock, envelopes, a recording mock platform."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import httpx

KEY = "ul_" + "0123456789abcdef" * 2 + "01234567"
BASE = "https://platform.test"
Handler = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    """Wall-clock time that only moves when someone sleeps (thread-safe)."""

    def __init__(self, start: float = 1_900_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def ok(
    data: Any = None,
    *,
    meta: dict[str, Any] | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A success envelope."""
    envelope: dict[str, Any] = {"success": True, "data": data}
    if meta is not None:
        envelope["meta"] = meta
    return httpx.Response(status, json=envelope, headers=headers)


def fail(
    status: int,
    code: str,
    message: str = "it failed",
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """An error envelope."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return httpx.Response(status, json={"success": False, "error": error}, headers=headers)


def json_body(request: httpx.Request) -> Any:
    """The JSON body a request carried."""
    return json.loads(request.content)


class Recorder:
    """A mock platform answering from a queue of responses, recording every request."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.queue = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        request.read()
        answer = self.queue.pop(0) if len(self.queue) > 1 else self.queue[0]
        if isinstance(answer, Exception):
            raise answer
        # A fresh copy each time: the last answer may be served more than once.
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    @property
    def methods(self) -> list[str]:
        return [r.method for r in self.requests]
