"""The state during apply: every change durable before its step returns, writes grouped."""

from __future__ import annotations

import threading
from pathlib import Path

from ulplan.apply_state import AppliedState
from ulplan.state import LocalBackend, ResourceState, State


class CountingBackend(LocalBackend):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writes = 0

    def write(self, state: State) -> State:
        self.writes += 1
        return super().write(state)


def entry(n: int) -> ResourceState:
    return ResourceState(address=f"project.p{n}", kind="project", name=f"p{n}", id=f"project_{n}")


def test_parallel_records_are_all_on_disk_with_grouped_writes(tmp_path: Path) -> None:
    backend = CountingBackend(tmp_path / "state.json")
    applied = AppliedState(backend)
    threads = [threading.Thread(target=applied.record, args=(entry(n),)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    on_disk = backend.read()
    assert sorted(on_disk.resources) == sorted(f"project.p{n}" for n in range(40))
    assert 1 <= backend.writes <= 40
    assert on_disk.serial == backend.writes


def test_an_unchanged_record_writes_nothing(tmp_path: Path) -> None:
    backend = CountingBackend(tmp_path / "state.json")
    applied = AppliedState(backend)
    applied.record(entry(1))
    applied.record(entry(1))
    applied.set_outputs({})
    assert backend.writes == 1
    applied.forget("project.p1")
    applied.forget("project.p1")
    applied.set_outputs({"url": "https://x"})
    assert backend.writes == 3
    assert backend.read().resources == {} and applied.outputs == {"url": "https://x"}
