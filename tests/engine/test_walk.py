"""The apply graph walk with a fake step runner: order, parallel starts, skips, Ctrl-C."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import ulplan.apply as apply_module
from ulplan.apply import ApplyOptions, ResourceResult, _Walk, dependencies, needs_work
from ulplan.changes import Action, Plan, ResourceChange


def change(
    address: str, action: Action = Action.CREATE, depends_on: tuple[str, ...] = (), **extra: Any
) -> ResourceChange:
    kind, name = address.split(".")
    return ResourceChange(address, kind, name, action, None, {}, depends_on=depends_on, extra=extra)


class FakeRunner:
    """Records the order steps ran in; fails the addresses it is told to."""

    def __init__(self, fail: frozenset[str] = frozenset()) -> None:
        self.fail = fail
        self.ran: list[str] = []
        self.stop = threading.Event()
        self.reporter = self
        self.skips: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def run(self, step: ResourceChange) -> ResourceResult:
        with self._lock:
            self.ran.append(step.address)
        status = "failed" if step.address in self.fail else "ok"
        return ResourceResult(step.address, step.action, status, error="boom" if status == "failed" else None)

    def skipped(self, address: str, action: Action, because: str) -> None:
        self.skips.append((address, because))

    def finish(self, clean: bool) -> dict[str, Any]:
        return {}


def walk(changes: list[ResourceChange], runner: FakeRunner, parallelism: int = 4) -> apply_module.ApplyResult:
    plan = Plan(changes=tuple(changes))
    return _Walk(plan, runner, ApplyOptions(parallelism=parallelism)).run()  # type: ignore[arg-type]


def test_dependencies_come_first() -> None:
    runner = FakeRunner()
    steps = [
        change("project.p"),
        change("model.m", depends_on=("project.p",)),
        change("export.e", depends_on=("model.m",)),
    ]
    result = walk(steps, runner)
    assert runner.ran == ["project.p", "model.m", "export.e"]
    assert result.ok


def test_a_failure_skips_dependents_and_the_rest_goes_on() -> None:
    runner = FakeRunner(fail=frozenset({"model.m"}))
    steps = [
        change("project.p"),
        change("model.m", depends_on=("project.p",)),
        change("export.e", depends_on=("model.m",)),
        change("deployment.d", depends_on=("export.e",)),
        change("dataset.other"),
    ]
    result = walk(steps, runner)
    statuses = {r.address: r.status for r in result.results}
    assert statuses == {
        "project.p": "ok",
        "model.m": "failed",
        "export.e": "skipped",
        "deployment.d": "skipped",
        "dataset.other": "ok",
    }
    assert ("export.e", "model.m failed") in runner.skips
    assert ("deployment.d", "export.e skipped") in runner.skips
    assert not result.ok


def test_deletes_wait_for_the_deletes_of_their_dependents() -> None:
    steps = [
        change("project.p", Action.DELETE),
        change("model.m", Action.DELETE, depends_on=("project.p",)),
        change("deployment.d", Action.DELETE, depends_on=("model.m",)),
    ]
    assert dependencies(steps) == {
        "project.p": {"model.m"},
        "model.m": {"deployment.d"},
        "deployment.d": set(),
    }
    runner = FakeRunner()
    walk(steps, runner)
    assert runner.ran == ["deployment.d", "model.m", "project.p"]


def test_a_replace_waits_for_deletes_of_former_dependents_without_a_cycle() -> None:
    steps = [
        change("model.m", Action.REPLACE),
        change("export.old", Action.DELETE, depends_on=("model.m",)),
        change("export.e", Action.REPLACE, depends_on=("model.m",)),
    ]
    deps = dependencies(steps)
    assert deps["model.m"] == {"export.old"}
    assert deps["export.e"] == {"model.m"}


@pytest.mark.parametrize(
    ("action", "extra", "expected"),
    [
        (Action.NOOP, {}, False),
        (Action.NOOP, {"adopt": True}, True),
        (Action.NOOP, {"forget": True}, True),
        (Action.UPDATE, {}, True),
        (Action.DELETE, {}, True),
    ],
)
def test_needs_work(action: Action, extra: dict[str, Any], expected: bool) -> None:
    assert needs_work(change("project.p", action, **extra)) is expected


def test_ctrl_c_starts_nothing_new(monkeypatch: pytest.MonkeyPatch) -> None:
    real_wait = apply_module.cf.wait
    calls = {"n": 0}

    def interrupted_wait(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt
        return real_wait(*args, **kwargs)

    monkeypatch.setattr(apply_module.cf, "wait", interrupted_wait)
    runner = FakeRunner()
    steps = [change("project.p"), change("model.m", depends_on=("project.p",))]
    result = walk(steps, runner, parallelism=1)
    assert result.interrupted and not result.ok
    assert runner.stop.is_set()
    assert runner.ran == ["project.p"]
    assert {r.address: r.status for r in result.results} == {"project.p": "ok", "model.m": "not started"}
