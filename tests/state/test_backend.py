"""LocalBackend: atomic private writes, backups, serials, lineage, corruption."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ulplan.state import (
    LocalBackend,
    ResourceState,
    SecretRefusedError,
    State,
    StateBackend,
    StateCorruptError,
    StateError,
    StateReader,
)

KEY = "ul_" + "ab" * 20


def _resource(address: str = "project.det", **attributes: object) -> ResourceState:
    kind, name = address.split(".", 1)
    return ResourceState(address=address, kind=kind, name=name, id=f"{kind}_1", attributes=dict(attributes))


@pytest.fixture
def backend(tmp_path: Path) -> LocalBackend:
    return LocalBackend(tmp_path / "proj" / ".ulplan" / "state.json")


def test_implements_both_protocols(backend: LocalBackend) -> None:
    assert isinstance(backend, StateReader) and isinstance(backend, StateBackend)


def test_missing_file_reads_as_new_empty_state(backend: LocalBackend) -> None:
    state = backend.read()
    assert state.is_new and state.resources == {}
    assert not backend.path.exists()


def test_write_bumps_serial_and_keeps_lineage(backend: LocalBackend) -> None:
    state = backend.read()
    state.set(_resource())
    first = backend.write(state)
    second = backend.write(first)
    assert (first.serial, second.serial) == (1, 2)
    assert backend.read() == second
    assert second.lineage == state.lineage
    assert state.serial == 0  # the caller's object is not changed


def test_writing_an_older_copy_never_steps_the_serial_back(backend: LocalBackend) -> None:
    state = backend.read()
    backend.write(state)
    backend.write(state)
    assert backend.read().serial == 2


def test_previous_version_is_kept_as_backup(backend: LocalBackend) -> None:
    first = backend.write(backend.read())
    changed = first.copy()
    changed.set(_resource(description="new"))
    backend.write(changed)
    assert State.from_json(backend.backup_path.read_text()) == first


def test_file_and_dir_are_private(backend: LocalBackend) -> None:
    state = backend.write(backend.read())
    backend.write(state)
    assert stat.S_IMODE(backend.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backend.backup_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backend.path.parent.stat().st_mode) == 0o700


def test_existing_directory_keeps_its_mode(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    LocalBackend(tmp_path / "prod.json").write(State())
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755


def test_no_temp_files_left_behind(backend: LocalBackend) -> None:
    backend.write(backend.write(backend.read()))
    assert sorted(p.name for p in backend.path.parent.iterdir()) == ["state.json", "state.json.backup"]


def test_secret_is_refused_and_nothing_written(backend: LocalBackend) -> None:
    good = backend.write(backend.read())
    bad = good.copy()
    bad.set(_resource(description=f"key {KEY}"))
    with pytest.raises(SecretRefusedError, match="attributes.description"):
        backend.write(bad)
    assert backend.read() == good
    assert KEY not in backend.path.read_text()


def test_secret_in_outputs_is_refused(backend: LocalBackend) -> None:
    state = backend.read()
    state.outputs["token"] = KEY
    with pytest.raises(SecretRefusedError, match="outputs.token"):
        backend.write(state)
    assert not backend.path.exists()


def test_other_lineage_is_not_overwritten(backend: LocalBackend) -> None:
    backend.write(backend.read())
    with pytest.raises(StateError, match="different states"):
        backend.write(State())


@pytest.mark.parametrize("cut", [0, 1, 25, -2])
def test_truncated_state_is_corrupt_and_points_to_backup(backend: LocalBackend, cut: int) -> None:
    state = backend.read()
    state.set(_resource(description="x" * 50))
    backend.write(backend.write(state))
    text = backend.path.read_text()
    backend.path.write_text(text[:cut])
    with pytest.raises(StateCorruptError) as info:
        backend.read()
    message = str(info.value)
    assert str(backend.path) in message and str(backend.backup_path) in message
    assert info.value.backup == backend.backup_path


def test_parse_position_is_named_and_corrupt_file_is_never_overwritten(backend: LocalBackend) -> None:
    backend.write(backend.read())
    backend.path.write_text('{\n  "version": 1,\n  "serial": oops\n}\n')
    before = backend.path.read_bytes()
    with pytest.raises(StateCorruptError, match="line 3, column"):
        backend.read()
    with pytest.raises(StateCorruptError):
        backend.write(State())
    assert backend.path.read_bytes() == before


def test_corrupt_without_backup_says_so(backend: LocalBackend) -> None:
    backend.path.parent.mkdir(parents=True)
    backend.path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(StateCorruptError, match="no backup"):
        backend.read()


def test_companion_file_names(tmp_path: Path) -> None:
    default = LocalBackend(tmp_path / "state.json")
    named = LocalBackend(tmp_path / "prod.json")
    assert default.journal_path.name == "journal.jsonl"
    assert named.journal_path.name == "prod.json.journal.jsonl"
    assert named.lock_path.name == "prod.json.lock"


def test_parallel_writers_in_one_process_never_lose_a_serial(backend: LocalBackend) -> None:
    import threading

    state = backend.write(backend.read())

    def write_one(index: int) -> None:
        copy = state.copy()
        copy.set(_resource(f"project.p{index}"))
        backend.write(copy)

    threads = [threading.Thread(target=write_one, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert backend.read().serial == 17
    assert State.from_json(backend.backup_path.read_text()).serial == 16


def test_value_that_is_not_json_is_a_state_error_and_nothing_is_written(backend: LocalBackend) -> None:
    from ulplan.changes import UNKNOWN

    good = backend.write(backend.read())
    bad = good.copy()
    bad.set(_resource(modelId=UNKNOWN))
    with pytest.raises(StateError, match="cannot write the state file"):
        backend.write(bad)
    assert backend.read() == good
