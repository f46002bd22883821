"""Golden diagnostics: each folder of tests/golden/manifest holds manifests and the exact
messages loading them must print, in expected.txt.

Run with ULPLAN_UPDATE_GOLDEN=1 to rewrite expected.txt after a deliberate change, then
review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ulplan.manifest import LoadOptions, load_manifests

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "manifest"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def render(case: Path) -> str:
    loaded = load_manifests([Path(".")], LoadOptions(environ={}))
    return "".join(d.format() + "\n" for d in loaded.diagnostics)


@pytest.mark.parametrize("case", CASES)
def test_golden_diagnostics(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = GOLDEN / case
    monkeypatch.chdir(folder)
    got = render(folder)
    expected_file = folder / "expected.txt"
    if os.environ.get("ULPLAN_UPDATE_GOLDEN"):
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")


def test_every_case_has_errors() -> None:
    # A golden case that loads cleanly would test nothing.
    for case in CASES:
        text = (GOLDEN / case / "expected.txt").read_text(encoding="utf-8")
        assert ": error: " in text, case
