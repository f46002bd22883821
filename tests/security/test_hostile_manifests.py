"""Hostile manifests (YAML bombs, deep nesting, huge files) end in a clear error, quickly and in
bounded memory, through the real CLI. The timeout marker only guards against a hang."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads a process's peak memory from Linux's /proc"
)

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


# The child reports its own peak from /proc/self/status (VmHWM: this process image's
# high-water mark). ru_maxrss from wait4 is no good here: Linux carries the parent's peak
# across fork+exec, so a child of a big pytest process would report pytest's size.
PROBE = """
import atexit, sys
def report():
    with open("/proc/self/status") as status:
        hwm = next(line for line in status if line.startswith("VmHWM:"))
    sys.stderr.write("PEAK_KB=" + hwm.split()[1] + "\\n")
atexit.register(report)
from ulplan.cli import main
main(["validate", sys.argv[1]])
"""


def _validate(folder: Path) -> tuple[int, str, float]:
    """``ulplan validate folder`` as a process: exit code, stderr and its peak RSS in MB."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        check=False,
    )
    stderr, _, peak = result.stderr.rpartition("PEAK_KB=")
    return result.returncode, stderr, int(peak) / 1024


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
    # The ceiling above means something only if the child's own peak is really read.
    code, stderr, peak_mb = _validate(Path("/nonexistent-folder-for-ulplan"))
    assert code != 0 and "no such file or folder" in stderr
    assert 5 < peak_mb < MEMORY_CEILING_MB
