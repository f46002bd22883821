"""Small rules of the engine: value comparison, durations and timeouts, cost estimates, waits."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from ulplan.changes import UNKNOWN, FieldDiff
from ulplan.resources import resource_type
from ulplan.resources.base import Interrupted, OperationContext, WaitTimeoutError
from ulplan.resources.cost import estimate_training_cost, estimate_training_seconds, gpu_prices
from ulplan.resources.deployment import live_state
from ulplan.resources.diff import field_diffs, same
from ulplan.waits import Poll, format_duration, parse_duration, parse_timeouts, poll_until


@pytest.mark.parametrize(
    ("old", "new", "unordered", "expected"),
    [
        (None, "", False, True),
        ([], None, False, True),
        ({}, [], False, True),
        (640, 640.0, False, True),
        (["a", "b"], ["b", "a"], True, True),
        (["a", "b"], ["b", "a"], False, False),
        ("x", UNKNOWN, False, False),
        ({"half": True}, {"half": False}, False, False),
    ],
)
def test_same(old: Any, new: Any, unordered: bool, expected: bool) -> None:
    assert same(old, new, unordered) is expected


def test_maps_are_diffed_key_by_key_and_ignore_changes_covers_children() -> None:
    model = resource_type("model")
    before = {"training": {"epochs": 3, "imageSize": 640}, "name": "a"}
    after = {"training": {"epochs": 5, "imageSize": 640}, "name": "b"}
    assert field_diffs(model, before, after) == [
        FieldDiff("name", "a", "b", False),
        FieldDiff("training.epochs", 3, 5, True),
    ]
    assert field_diffs(model, before, after, ["training", "name"]) == []


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("90s", 90), ("30m", 1800), ("2h", 7200), ("1h30m", 5400), ("0.5s", 0.5)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "10x", "0s", "m"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_parse_timeouts() -> None:
    assert parse_timeouts(["training=2h,export=30m"]) == {"training": 7200, "export": 1800, "deployment": 900}
    assert parse_timeouts(["10m"]) == {"training": 600, "export": 600, "deployment": 600}
    with pytest.raises(ValueError, match="unknown timeout kind"):
        parse_timeouts(["builds=1h"])


@pytest.mark.parametrize(("seconds", "text"), [(42, "42s"), (5400, "1h30m"), (3600, "1h"), (0, "0s")])
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_training_estimate_scales_with_epochs_size_and_speed() -> None:
    base = estimate_training_seconds(10, 640, 1000, 1.0)
    assert estimate_training_seconds(20, 640, 1000, 1.0) > base
    assert estimate_training_seconds(10, 1280, 1000, 1.0) > base
    assert estimate_training_seconds(10, 640, 1000, 2.0) < base
    assert estimate_training_seconds(10, 640, 0, 1.0) == estimate_training_seconds(10, 640, 100, 1.0)


def test_training_cost_uses_the_hourly_price() -> None:
    prices = gpu_prices([{"id": "rtx-4090", "pricePerHour": 0.69, "relativeSpeed": 1.0}])
    assert prices["rtx-4090"].price_per_hour_micro_usd == 690_000
    training = {"gpuType": "rtx-4090", "epochs": 10, "imageSize": 640}
    hours = estimate_training_seconds(10, 640, 1000, 1.0) / 3600
    assert estimate_training_cost(training, 1000, prices) == round(690_000 * hours)
    assert estimate_training_cost({**training, "gpuType": "unknown"}, 1000, prices) == 0


@pytest.mark.parametrize(
    ("status", "state"),
    [("creating", "running"), ("ready", "running"), ("stopping", "stopped"), ("failed", "failed")],
)
def test_deployment_status_as_state(status: str, state: str) -> None:
    assert live_state(status) == state


class Silent:
    def progress(self, *_args: Any) -> None:
        pass


def context(stop: threading.Event | None = None, timeout: float = 1.0) -> OperationContext:
    return OperationContext(
        client=None,  # type: ignore[arg-type]
        address="export.e",
        reporter=Silent(),  # type: ignore[arg-type]
        stop=stop or threading.Event(),
        timeouts={"export": timeout},
        poll_seconds=0.01,
    )


def test_poll_until_returns_when_done() -> None:
    answers = iter([Poll(False, {"n": 1}), Poll(True, {"n": 2})])
    assert poll_until(context(), "export", lambda: next(answers)) == {"n": 2}


def test_poll_until_times_out() -> None:
    with pytest.raises(WaitTimeoutError, match="did not finish within"):
        poll_until(context(timeout=0.05), "export", lambda: Poll(False, {}))


def test_poll_until_stops_when_interrupted() -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(Interrupted):
        poll_until(context(stop), "export", lambda: Poll(False, {}))
