"""Small pure rules: slugs, names, trash retention, checkpoint layout."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ulplan.emulator import ids
from ulplan.emulator.errors import InvalidRequest
from ulplan.emulator.store import rules
from ulplan.emulator.store.models import check_checkpoint


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Traffic Cams", "traffic-cams"), ("  Ünïcode — name!  ", "unicode-name"), ("***", "untitled")],
)
def test_slugify(name: str, slug: str) -> None:
    assert ids.slugify(name) == slug
    assert ids.is_slug(slug)


@pytest.mark.parametrize(
    ("value", "valid"), [("a", True), ("x" * 100, True), ("", False), ("x" * 101, False)]
)
def test_name_length(value: str, valid: bool) -> None:
    assert ids.is_name(value) is valid


@pytest.mark.parametrize("value", ["tab\there", "bell\x07", "   "])
def test_names_must_be_printable(value: str) -> None:
    assert not ids.is_name(value)


@pytest.mark.parametrize(("age_days", "left"), [(0, 30), (0.5, 30), (1, 29), (29.9, 1), (30, 0), (45, 0)])
def test_days_remaining(age_days: float, left: int) -> None:
    trashed_at = 1_000_000.0
    assert rules.days_remaining(trashed_at, trashed_at + age_days * rules.DAY_SECONDS) == left


def _zip(tmp_path: Path, *names: str) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"x")
    path = tmp_path / "weights.pt"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(
    "names", [("yolo11n/data.pkl",), ("archive/data.pkl", "archive/data/0", "archive/version")]
)
def test_checkpoint_layouts_accepted(tmp_path: Path, names: tuple[str, ...]) -> None:
    check_checkpoint(_zip(tmp_path, *names))


@pytest.mark.parametrize("names", [("data.pkl",), ("a/b/data.pkl",), ("a/other.pkl",), ()])
def test_checkpoint_layouts_refused(tmp_path: Path, names: tuple[str, ...]) -> None:
    with pytest.raises(InvalidRequest):
        check_checkpoint(_zip(tmp_path, *names))


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "weights.pt"
    path.write_bytes(b"\x80\x02}q\x00.")  # a bare pickle: never loaded, simply refused
    with pytest.raises(InvalidRequest):
        check_checkpoint(path)
