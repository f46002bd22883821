"""Finding the manifest files under the paths given, and their common root."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ulplan.manifest.diagnostics import Diagnostics

SUFFIXES = (".yaml", ".yml")


def manifest_root(paths: Sequence[Path]) -> Path:
    """The folder holding every given path (a file counts as its folder), absolute."""
    folders = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths] or [Path.cwd().resolve()]
    return Path(os.path.commonpath([str(f) for f in folders]))


def find_files(paths: Sequence[Path], exclude: Sequence[Path], diags: Diagnostics) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` under ``paths``, sorted, hidden folders and ``exclude`` skipped.

    A path naming a file is taken as it is, whatever its suffix.
    """
    skip = {p.resolve() for p in exclude}
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_file():
            found.setdefault(path.resolve())
        elif path.is_dir():
            for file in _walk(path):
                if file.resolve() not in skip:
                    found.setdefault(file.resolve())
        else:
            diags.error(f"no such file or folder: {path}")
    return list(found)


def _walk(folder: Path) -> list[Path]:
    files: list[Path] = []
    for current, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.extend(
            Path(current) / name
            for name in sorted(names)
            if name.endswith(SUFFIXES) and not name.startswith(".")
        )
    return files


def display_path(path: Path) -> Path:
    """``path`` relative to the working folder when inside it (shorter messages), else absolute."""
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path
