"""``ulplan validate`` and ``ulplan schema``, and the manifest options plan/apply reuse.

Heavy imports (pydantic, yaml, the manifest package) happen inside the functions, so
importing this module for ``--help`` stays cheap.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ulplan.cli.main import global_options

if TYPE_CHECKING:
    from ulplan.manifest import LoadedManifests

F = TypeVar("F", bound=Callable[..., Any])


def manifest_options(func: F) -> F:
    """Add ``--var``, ``--var-file`` and ``--allow-outside-files`` to a command.

    The command receives ``var`` (tuple of ``NAME=VALUE``), ``var_file`` (tuple of
    paths) and ``allow_outside_files`` (bool); pass them to :func:`load_or_fail`.
    """
    decorators = [
        click.option(
            "--var",
            "var",
            multiple=True,
            metavar="NAME=VALUE",
            help="Set a variable (repeatable; wins over var files and ULPLAN_VAR_<NAME>).",
        ),
        click.option(
            "--var-file",
            "var_file",
            multiple=True,
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="YAML file of variable values (repeatable; a later file wins).",
        ),
        click.option(
            "--allow-outside-files",
            is_flag=True,
            help="Let model `file:` paths point outside the manifest folder.",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def parse_vars(values: Sequence[str]) -> dict[str, str]:
    """``("a=1", "b=x=y")`` -> ``{"a": "1", "b": "x=y"}``; a value without ``=`` is a usage error."""
    parsed: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f'"{item}" is not NAME=VALUE', param_hint="--var")
        parsed[name.strip()] = value
    return parsed


def load(
    paths: Sequence[Path], var: Sequence[str], var_file: Sequence[Path], allow_outside_files: bool
) -> LoadedManifests:
    """Load the manifests with the options of :func:`manifest_options`; never raises for bad input."""
    from ulplan.manifest import LoadOptions, load_manifests

    options = LoadOptions(
        variables=parse_vars(var), var_files=list(var_file), allow_outside_files=allow_outside_files
    )
    return load_manifests(list(paths), options)


def load_or_fail(
    paths: Sequence[Path], var: Sequence[str], var_file: Sequence[Path], allow_outside_files: bool
) -> LoadedManifests:
    """Load the manifests; raise ManifestError (every diagnostic in its message) on errors.

    Without errors, warnings are printed to stderr and the result returned.
    """
    loaded = load(paths, var, var_file, allow_outside_files)
    loaded.raise_for_errors()
    for warning in loaded.warnings:
        click.echo(warning.format(), err=True)
    return loaded


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@manifest_options
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
@global_options
def validate(
    paths: tuple[Path, ...],
    var: tuple[str, ...],
    var_file: tuple[Path, ...],
    allow_outside_files: bool,
    as_json: bool,
) -> None:
    """Check manifests without contacting the platform (PATHS default to the current folder).

    Exits 0 when they are valid (warnings allowed), 1 with every diagnostic otherwise.
    """
    loaded = load(paths, var, var_file, allow_outside_files)
    valid = not loaded.has_errors
    if as_json:
        payload = {"valid": valid, "diagnostics": [d.to_json() for d in loaded.diagnostics]}
        click.echo(json.dumps(payload, indent=2))
    else:
        for diagnostic in loaded.diagnostics:
            click.echo(diagnostic.format(), err=True)
        if valid:
            click.echo(f"Valid: {loaded.summary()}.")
        else:
            errors = len(loaded.diagnostics) - len(loaded.warnings)
            warnings = len(loaded.warnings)
            click.echo(f"Invalid: {errors} error(s), {warnings} warning(s).", err=True)
    if not valid:
        # SystemExit, not click's Exit: with standalone_mode=False click turns Exit into a
        # return value, which the entry point does not pass on as the exit status.
        sys.exit(1)


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
    help="Folder to write ulplan.schema.json to.",
)
@click.option("--check", is_flag=True, help="Exit 1 when the file in --out is not the generated schema.")
@global_options
def schema(out: Path, check: bool) -> None:
    """Write the JSON Schema (draft 2020-12) of the manifest format, for editors and CI."""
    from ulplan.manifest.schema import SCHEMA_FILE, render

    text = render()
    target = out / SCHEMA_FILE
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            click.echo(f"{target} is not current: run `ulplan schema --out {out}` and commit it.", err=True)
            sys.exit(1)
        click.echo(f"{target} is current.")
        return
    out.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {target}.", file=sys.stdout)
