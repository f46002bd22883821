"""Reporters: plain log lines (rate-limited, thread-safe), the live display, the apply summary."""

from __future__ import annotations

import io
import threading

import pytest
from rich.console import Console

from ulplan.changes import Action
from ulplan.events import Progress, Reporter
from ulplan.render.progress import LiveReporter, LogReporter, make_reporter
from ulplan.render.summary import ApplyResult, Outcome, RecordingReporter, render_apply_summary


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_log_reporter_lines_and_rate_limit() -> None:
    stream, clock = io.StringIO(), FakeClock()
    reporter = LogReporter(stream, interval=5.0, clock=clock)
    reporter.started("model.m", Action.CREATE)
    for second in range(12):
        clock.now = 100.0 + second
        reporter.progress("model.m", Progress("running", fraction=second / 12, message=f"epoch {second}/12"))
    clock.now = 130.0
    reporter.finished("model.m", Action.CREATE, "model_1")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "model.m: Creating..."
    assert [line.split(": ", 1)[1] for line in lines[1:-1]] == [
        "epoch 0/12 [0s elapsed]",
        "epoch 5/12 [5s elapsed]",
        "epoch 10/12 [10s elapsed]",
    ]
    assert lines[-1] == "model.m: Creation complete after 30s [id=model_1]"


def test_log_reporter_prints_status_changes_at_once() -> None:
    stream, clock = io.StringIO(), FakeClock()
    reporter = LogReporter(stream, interval=5.0, clock=clock)
    reporter.progress("export.e", Progress("queued"))
    reporter.progress("export.e", Progress("queued"))
    reporter.progress("export.e", Progress("running", fraction=0.5))
    assert [line.split(": ")[1].split(" [")[0] for line in stream.getvalue().splitlines()] == [
        "queued",
        "running 50%",
    ]


def test_log_reporter_failures_and_skips() -> None:
    stream = io.StringIO()
    reporter = LogReporter(stream)
    reporter.failed("model.m", Action.CREATE, "402 insufficient credits")
    reporter.skipped("export.e", Action.CREATE, "model.m failed")
    reporter.close()
    assert stream.getvalue().splitlines() == [
        "model.m: create failed: 402 insufficient credits",
        "export.e: create skipped (model.m failed)",
    ]


def test_log_reporter_lines_stay_whole_across_threads() -> None:
    stream = io.StringIO()
    reporter = LogReporter(stream, interval=0.0)

    def work(index: int) -> None:
        for step in range(50):
            reporter.progress(f"model.m{index}", Progress("running", message=f"step {step}"))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 400
    assert all(line.startswith("model.m") and line.endswith("elapsed]") for line in lines)


def test_live_reporter_prints_outcomes_and_closes() -> None:
    buffer = io.StringIO()
    reporter = LiveReporter(Console(file=buffer, force_terminal=True, width=120, color_system=None))

    def work(index: int) -> None:
        address = f"model.m{index}"
        reporter.started(address, Action.CREATE)
        reporter.progress(address, Progress("running", fraction=0.5, message="epoch 3/10 ETA 0:42 $0.12"))
        if index == 0:
            reporter.failed(address, Action.CREATE, "boom [with brackets]")
        else:
            reporter.finished(address, Action.CREATE, f"model_{index}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reporter.skipped("export.e", Action.CREATE, "model.m0 failed")
    reporter.close()
    reporter.close()
    out = buffer.getvalue()
    assert "✗ model.m0: create failed: boom [with brackets]" in out
    assert all(f"✓ model.m{i}: Creation complete" in out and f"[id=model_{i}]" in out for i in (1, 2, 3))
    assert "- export.e: create skipped (model.m0 failed)" in out


@pytest.mark.parametrize(("tty", "kind"), [(True, LiveReporter), (False, LogReporter)])
def test_make_reporter_picks_by_terminal(tty: bool, kind: type) -> None:
    reporter: Reporter = make_reporter(stream_is_tty=tty, color=False)
    assert isinstance(reporter, kind)
    reporter.close()


def test_summary_complete() -> None:
    results = [
        ApplyResult("project.p", Action.CREATE, Outcome.SUCCEEDED),
        ApplyResult("dataset.d", Action.CREATE, Outcome.SUCCEEDED),
        ApplyResult("model.m", Action.UPDATE, Outcome.SUCCEEDED),
    ]
    assert (
        render_apply_summary(results)
        == "Apply complete! Resources: 2 added, 1 changed, 0 replaced, 0 destroyed."
    )


def test_summary_failed_lists_failures_and_skips() -> None:
    results = [
        ApplyResult("project.p", Action.CREATE, Outcome.SUCCEEDED),
        ApplyResult("model.m", Action.REPLACE, Outcome.FAILED, error="409 CONFLICT: training already active"),
        ApplyResult("export.e", Action.CREATE, Outcome.SKIPPED, error="model.m failed"),
    ]
    assert render_apply_summary(results).splitlines() == [
        "Apply failed: 1 failed, 1 skipped. Resources: 1 added, 0 changed, 0 replaced, 0 destroyed.",
        "  ✗ model.m (replace): 409 CONFLICT: training already active",
        "  - export.e skipped: model.m failed",
    ]


def test_destroy_summary() -> None:
    results = [ApplyResult(f"project.p{i}", Action.DELETE, Outcome.SUCCEEDED) for i in range(3)]
    assert render_apply_summary(results, destroy=True) == "Destroy complete! Resources: 3 destroyed."


def test_recording_reporter_forwards_and_keeps_the_last_outcome() -> None:
    stream = io.StringIO()
    recorder = RecordingReporter(LogReporter(stream))
    recorder.started("model.m", Action.CREATE)
    recorder.progress("model.m", Progress("running"))
    recorder.failed("model.m", Action.CREATE, "timeout")
    recorder.finished("model.m", Action.CREATE, "model_1")  # a retry that succeeded
    recorder.skipped("export.e", Action.CREATE, "x")
    recorder.close()
    assert [(r.address, r.outcome) for r in recorder.results()] == [
        ("model.m", Outcome.SUCCEEDED),
        ("export.e", Outcome.SKIPPED),
    ]
    assert len(stream.getvalue().splitlines()) == 5
