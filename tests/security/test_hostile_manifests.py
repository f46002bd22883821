"""Hostile manifests (YAML bombs, deep nesting, huge files) end in a clear error, quickly and in
bounded memory, through the real CLI. The timeout marker only guards against a hang."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

MEMORY_CEILING_MB = 250  # a validate of a tiny manifest peaks well under 100 MB

LAUGHS = (
    "a: &a ["
    + ",".join(['"lol"'] * 9)
    + "]\n"
    + "".join(
        f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
)


def _write(name: str, text: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / name).write_text(text, encoding="utf-8")

    return write


def _huge(folder: Path) -> None:
    with (folder / "huge.yaml").open("w", encoding="utf-8") as handle:
        line = "# " + "x" * 1000 + "\n"
        for _ in range(11 * 1024):  # 11 MB of comments: over the 10 MB cap
            handle.write(line)


def _many_values(folder: Path) -> None:
    (folder / "many.yaml").write_text("x: [" + ",".join(["1"] * 300_000) + "]\n", encoding="utf-8")


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "billion laughs": (_write("bomb.yaml", LAUGHS), "alias"),
    "deep flow nesting": (_write("deep.yaml", "a: " + "[" * 50_000 + "]" * 50_000 + "\n"), "nesting"),
    "deep block nesting": (
        _write("deep.yaml", "".join(" " * i + f"k{i}:\n" for i in range(3000)) + " " * 3000 + "v: 1\n"),
        "nesting deeper",
    ),
    "recursive alias": (_write("loop.yaml", "a: &a [*a]\n"), "itself"),
    "huge file": (_huge, "larger than"),
    "too many values": (_many_values, "more than"),
    "python tag": (_write("evil.yaml", "projects: !!python/object/apply:os.system ['true']\n"), "tag"),
}


def _validate(folder: Path) -> tuple[int, str, float]:
    """``ulplan validate folder`` as a process: exit code, stderr and its peak RSS in MB."""
    with subprocess.Popen(
        [sys.executable, "-m", "ulplan", "validate", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stderr is not None
        stderr = process.stderr.read()
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return process.returncode, stderr, peak_mb


@pytest.mark.timeout(5)
@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_manifest_is_a_clear_error_in_bounded_memory(tmp_path: Path, case: str) -> None:
    make, expected = CASES[case]
    make(tmp_path)

    code, stderr, peak_mb = _validate(tmp_path)

    assert code == 1, stderr
    first = stderr.splitlines()[0]
    assert first.startswith(f"{tmp_path}/") and ": error: " in first, stderr[:2000]  # file:line:col
    assert expected in first, stderr[:2000]
    assert "Traceback" not in stderr
    assert peak_mb < MEMORY_CEILING_MB, f"{peak_mb:.0f} MB"


def test_the_memory_probe_measures_the_child() -> None:
    # The ceiling above means something only if a child's peak is really read.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0
    code, _stderr, peak_mb = _validate(Path("/nonexistent-folder-for-ulplan"))
    assert code != 0 and 5 < peak_mb < MEMORY_CEILING_MB
