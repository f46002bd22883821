"""Delivering webhook events: signed JSON bodies POSTed from one background thread.

Requests never wait for a webhook: events go into a bounded queue (when it is full the
event is dropped and logged) and a single daemon thread posts them in order, retrying a
few times with backoff on connection errors and 5xx answers. The thread ends when idle
and the next event starts another. The secret signs bodies and
never appears in a log line.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import threading
from typing import Any

import httpx

log = logging.getLogger("ulplan.emulator.webhooks")

SIGNATURE_HEADER = "X-Ultralytics-Signature"
_STOP = b""  # the sentinel that ends the sender thread


def encode_event(event: str, timestamp: str, data: dict[str, Any]) -> bytes:
    """The exact body posted for an event: ``{event, timestamp, data}`` as compact JSON."""
    return json.dumps({"event": event, "timestamp": timestamp, "data": data}, separators=(",", ":")).encode()


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: hex HMAC-SHA256 of the exact body with the secret."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSender:
    """A bounded queue of signed events and the thread that delivers them to one URL."""

    def __init__(
        self,
        url: str,
        secret: str,
        max_queue: int = 1000,
        attempts: int = 4,
        backoff: float = 0.2,
        idle_seconds: float = 2.0,
    ) -> None:
        self.url = url
        self._secret = secret
        self._attempts = attempts
        self._backoff = backoff
        self._idle_seconds = idle_seconds  # an idle thread ends, so a stopped emulator leaves none behind
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=max_queue)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"WebhookSender(url={self.url!r})"  # the secret stays out of any repr

    @property
    def running(self) -> bool:
        """True while a sender thread exists (it ends after ``idle_seconds`` without events)."""
        with self._lock:
            return self._thread is not None

    def send(self, body: bytes) -> bool:
        """Queue one encoded event; False (and a log line) when the queue is full."""
        try:
            self._queue.put_nowait(body)
        except queue.Full:
            log.warning("webhook queue full: dropped an event for %s", self.url)
            return False
        self._ensure_thread()
        return True

    def close(self, timeout: float = 2.0) -> None:
        """Stop after the queued events (waiting at most ``timeout`` seconds)."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            try:
                self._queue.put(_STOP, timeout=timeout)
            except queue.Full:
                pass
            thread.join(timeout)

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="emulator-webhooks", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=5.0) as client:
            while True:
                try:
                    body = self._queue.get(timeout=self._idle_seconds)
                except queue.Empty:
                    if self._retire():
                        return
                    continue
                if body == _STOP:
                    return
                self._deliver(client, body)

    def _retire(self) -> bool:
        """End an idle thread (the next ``send`` starts another), unless an event just arrived."""
        with self._lock:
            if not self._queue.empty():
                return False
            self._thread = None
            return True

    def _deliver(self, client: httpx.Client, body: bytes) -> None:
        """POST one event, retrying transient failures; give up (logged) after the last try."""
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(self._secret, body)}
        for attempt in range(self._attempts):
            try:
                answer = client.post(self.url, content=body, headers=headers)
                if answer.status_code < 500:
                    if answer.status_code >= 400:
                        log.warning("webhook %s answered %s; not retried", self.url, answer.status_code)
                    return
                problem = f"status {answer.status_code}"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            if attempt + 1 < self._attempts and not self._stop.wait(self._backoff * 2**attempt):
                continue
            log.warning(
                "webhook delivery to %s failed after %d attempts (%s)", self.url, attempt + 1, problem
            )
            return
