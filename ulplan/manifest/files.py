"""Model weight files: resolved against the manifest's folder, confined, hashed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ulplan.manifest.diagnostics import Diagnostics, SourceLocation
from ulplan.manifest.interpolate import has_placeholder

_CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file, read in chunks so a large file needs little memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_model_file(
    written: str,
    manifest: Path,
    root: Path,
    allow_outside: bool,
    where: SourceLocation,
    diags: Diagnostics,
) -> tuple[Path, str] | None:
    """The absolute path and SHA-256 of a model's ``file:``, or None with a diagnostic.

    ``written`` is relative to the folder of ``manifest`` (absolute paths are taken as
    they are); the file must exist and, unless ``allow_outside``, lie inside ``root``
    once symlinks are followed.
    """
    if has_placeholder(written):
        diags.error(f'file "{written}": a reference to another resource cannot be used in a path', where)
        return None
    path = (manifest.parent / Path(written).expanduser()).resolve()
    if not path.is_file():
        what = "is not a file" if path.exists() else "does not exist"
        hint = "Paths are relative to the folder of the manifest file that names them."
        diags.error(f'model file "{written}" {what}', where, hint)
        return None
    if not allow_outside and not path.is_relative_to(root):
        diags.error(
            f'model file "{written}" is outside the manifest folder',
            where,
            "Keep files beside the manifests so a checkout is complete, "
            "or pass --allow-outside-files if that is intended.",
        )
        return None
    if path.suffix != ".pt":
        diags.warning(
            f'model file "{written}" does not end in .pt', where, "The platform expects PyTorch weights."
        )
    try:
        return path, sha256_of(path)
    except OSError as exc:
        diags.error(f'cannot read model file "{written}": {exc.strerror or exc}', where)
        return None
