"""Webhooks: signed events from the emulated jobs, received by a tiny local HTTP server."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.emulator.helpers import data
from tests.emulator.jobs.jobkit import finished, get, start_training, untrained_model, wait_for
from tests.support.emulator import Emulator
from ulplan.emulator.jobs.webhook_sender import WebhookSender, encode_event

SECRET = "test-webhook-secret"


@dataclass
class Receiver:
    """What the local webhook endpoint received; it answers 500 to the first ``failures`` posts."""

    url: str = ""
    failures: int = 0
    posts: list[tuple[bytes, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(body) for body, _ in self.posts]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with received.lock:
                failing = received.failures > 0
                received.failures -= 1
                if not failing:
                    received.posts.append((body, self.headers.get("X-Ultralytics-Signature", "")))
            self.send_response(500 if failing else 204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    received.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield received
    server.shutdown()
    server.server_close()


def test_training_and_export_events_arrive_signed(
    emulator_factory: Callable[..., Emulator], receiver: Receiver
) -> None:
    emulator = emulator_factory(webhook_url=receiver.url, webhook_secret=SECRET)
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        data(start_training(client, model["id"], dataset["id"], epochs=3), 201)
        wait_for(lambda: get(client, f"/api/models/{model['id']}/training"), finished("completed"))
        export = data(client.post("/api/exports", json={"modelId": model["id"], "format": "onnx"}), 201)
        wait_for(receiver.events, lambda events: any(e["event"] == "export.completed" for e in events))
    events = receiver.events()
    names = [event["event"] for event in events]
    assert names == [
        "training.started",
        "training.epoch",
        "training.epoch",
        "training.epoch",
        "training.completed",
        "export.completed",
    ]
    assert [event["data"]["epoch"] for event in events if event["event"] == "training.epoch"] == [1, 2, 3]
    assert events[4]["data"]["modelId"] == model["id"] and "mAP50" in events[4]["data"]["metrics"]
    assert events[5]["data"]["exportId"] == export["id"]
    assert all(event["timestamp"].endswith("Z") for event in events)
    for body, signature in receiver.posts:
        assert signature == hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def test_a_failed_training_is_announced(
    emulator_factory: Callable[..., Emulator], receiver: Receiver
) -> None:
    emulator = emulator_factory(webhook_url=receiver.url, webhook_secret=SECRET, fail_training_rate=1.0)
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        data(start_training(client, model["id"], dataset["id"], epochs=4), 201)
        failed = wait_for(
            receiver.events, lambda events: any(e["event"] == "training.failed" for e in events)
        )
    event = next(e for e in failed if e["event"] == "training.failed")
    assert event["data"]["modelId"] == model["id"] and event["data"]["error"]["message"]


def test_events_fire_without_anyone_polling(
    emulator_factory: Callable[..., Emulator], receiver: Receiver
) -> None:
    emulator = emulator_factory(webhook_url=receiver.url, webhook_secret=SECRET)
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        data(start_training(client, model["id"], dataset["id"], epochs=2), 201)
    # No more requests: the background ticker alone must finish the job and announce it.
    events = wait_for(receiver.events, lambda events: any(e["event"] == "training.completed" for e in events))
    assert events[-1]["data"]["status"] == "completed"


def test_a_failing_receiver_is_retried(emulator_factory: Callable[..., Emulator], receiver: Receiver) -> None:
    receiver.failures = 2
    emulator = emulator_factory(webhook_url=receiver.url, webhook_secret=SECRET)
    with emulator.client() as client:
        model, dataset = untrained_model(client)
        data(start_training(client, model["id"], dataset["id"], epochs=1), 201)
        events = wait_for(
            receiver.events, lambda events: any(e["event"] == "training.completed" for e in events)
        )
    assert events[0]["event"] == "training.started"  # delivered on the third attempt, order kept


def test_the_sender_thread_ends_when_idle_and_restarts_for_the_next_event(receiver: Receiver) -> None:
    sender = WebhookSender(receiver.url, SECRET, idle_seconds=0.05)
    first, second = encode_event("training.started", "t1", {}), encode_event("training.completed", "t2", {})
    assert sender.send(first) and sender.running
    wait_for(lambda: sender.running, lambda running: not running)
    assert sender.send(second)
    events = wait_for(receiver.events, lambda events: len(events) == 2)
    sender.close()
    assert [event["event"] for event in events] == ["training.started", "training.completed"]


def test_a_full_queue_drops_events_instead_of_blocking() -> None:
    # A listener that never answers: the sender holds one event in flight, the queue one more.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        sender = WebhookSender(
            f"http://127.0.0.1:{silent.getsockname()[1]}/", SECRET, max_queue=1, attempts=1
        )
        results = [sender.send(encode_event("training.epoch", str(n), {})) for n in range(10)]
        sender.close(timeout=0.1)
    assert results[0] and results.count(True) <= 2
