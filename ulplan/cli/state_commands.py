"""``ulplan state list|show|rm|mv``, ``ulplan output`` and ``ulplan force-unlock``.

These read and edit the state file only; none of them talks to the platform. Edits take
the state lock and write a new serial, so a saved plan made before them is refused.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Any

import click

from ulplan.cli.main import global_options, options_of
from ulplan.config import Settings
from ulplan.errors import UlplanError
from ulplan.state import LocalBackend, ResourceState, State, StateError

DIR_HELP = "Directory of the manifests whose .ulplan/state.json to use (default: the current one)."


def _backend(ctx: click.Context, directory: str | None) -> LocalBackend:
    """The state these commands work on: --state, else the manifests' (or --local's) state."""
    settings = Settings.resolve(options_of(ctx))
    root = Path(directory) if directory else None
    if settings.local and settings.state is None:
        # --local keeps its own state beside the embedded emulator's database.
        from ulplan.cli.local import STATE_FILE, local_folder

        return LocalBackend(local_folder(root or Path.cwd()) / STATE_FILE)
    return LocalBackend(settings.state_path(root))


def _missing(backend: LocalBackend) -> str:
    """What to say when there is no state file, with a hint at the likely cause."""
    from ulplan.cli.local import STATE_FILE, local_folder

    text = f"no state at {backend.path}. Pass the manifests' directory with --dir DIR, or --state FILE"
    local_state = local_folder(backend.path.parent.parent) / STATE_FILE
    if local_state != backend.path and local_state.exists():
        text += f"; the embedded emulator's state is at {local_state}: add --local"
    return text + "."


def _read_existing(backend: LocalBackend) -> State:
    """The state, or a clear error when there is none (a typo in --state or --dir is likely)."""
    state = backend.read()
    if state.is_new:
        raise StateError(_missing(backend))
    return state


def _resource(state: State, address: str) -> ResourceState:
    found = state.get(address)
    if found is None:
        close = difflib.get_close_matches(address, list(state.resources), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else " See `ulplan state list`."
        raise StateError(f"no resource {address} in the state.{hint}")
    return found


def _dir_option(func: Any) -> Any:
    return click.option("--dir", "directory", metavar="DIR", default=None, help=DIR_HELP)(func)


@click.group()
@global_options
def state() -> None:
    """Inspect and edit the state file (never the platform)."""


@state.command("list")
@global_options
@_dir_option
@click.option("--ids", is_flag=True, help="Print each resource's platform id beside its address.")
@click.pass_context
def list_(ctx: click.Context, directory: str | None, ids: bool) -> None:
    """List the addresses in the state, one per line."""
    backend = _backend(ctx, directory)
    current = backend.read()
    if current.is_new:
        click.echo(_missing(backend)[0].upper() + _missing(backend)[1:], err=True)
    for address in sorted(current.resources):
        click.echo(f"{address}\t{current.resources[address].id}" if ids else address)


@state.command()
@global_options
@_dir_option
@click.argument("address")
@click.option("--json", "as_json", is_flag=True, help="Print the resource as JSON.")
@click.pass_context
def show(ctx: click.Context, directory: str | None, address: str, as_json: bool) -> None:
    """Show what the state records for ADDRESS."""
    resource = _resource(_read_existing(_backend(ctx, directory)), address)
    if as_json:
        click.echo(json.dumps({"address": address, **resource.to_dict()}, indent=2, sort_keys=True))
        return
    from ulplan.state.show import resource_lines

    for line in resource_lines(resource):
        click.echo(line)


@state.command()
@global_options
@_dir_option
@click.argument("addresses", nargs=-1, required=True, metavar="ADDRESS...")
@click.pass_context
def rm(ctx: click.Context, directory: str | None, addresses: tuple[str, ...]) -> None:
    """Forget ADDRESS without deleting it on the platform (it becomes unmanaged)."""
    backend = _backend(ctx, directory)
    with backend.lock("state rm"):
        current = _read_existing(backend)
        removed = [_resource(current, address) for address in addresses]  # all exist, or change nothing
        for resource in removed:
            current.remove(resource.address)
        written = backend.write(current)
    for resource in removed:
        click.echo(f"Removed {resource.address} ({resource.id}); it still exists on the platform.")
    click.echo(f"State written (serial {written.serial}). `ulplan import` adopts a resource again.")


@state.command()
@global_options
@_dir_option
@click.argument("source")
@click.argument("destination")
@click.pass_context
def mv(ctx: click.Context, directory: str | None, source: str, destination: str) -> None:
    """Rename SOURCE to DESTINATION in the state (same kind only), e.g. after renaming a manifest entry."""
    backend = _backend(ctx, directory)
    with backend.lock("state mv"):
        current = _read_existing(backend)
        from ulplan.state.show import move_resource

        move_resource(current, source, destination)
        written = backend.write(current)
    click.echo(f"Moved {source} to {destination} (state serial {written.serial}).")


@click.command()
@global_options
@_dir_option
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def output(ctx: click.Context, directory: str | None, name: str | None, as_json: bool) -> None:
    """Print the outputs apply stored in the state; NAME prints that one's raw value."""
    outputs = _read_existing(_backend(ctx, directory)).outputs
    if name is not None:
        if name not in outputs:
            known = ", ".join(sorted(outputs)) or "none"
            raise UlplanError(f"no output named {name!r} in the state (outputs: {known})")
        value = outputs[name]
        click.echo(json.dumps(value) if as_json or not isinstance(value, str) else value)
        return
    if as_json:
        click.echo(json.dumps(outputs, indent=2, sort_keys=True))
        return
    if not outputs:
        click.echo("No outputs in the state: declare them under `outputs:` and apply.", err=True)
    from ulplan.render.values import format_value

    width = max((len(key) for key in outputs), default=0)
    for key in sorted(outputs):
        click.echo(f"{key.ljust(width)} = {format_value(outputs[key])}")


def _stdin_is_tty() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


@click.command("force-unlock")
@global_options
@_dir_option
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def force_unlock(ctx: click.Context, directory: str | None, yes: bool) -> None:
    """Clear a stale state lock left by a run that was killed or crashed."""
    backend = _backend(ctx, directory)
    info = backend.lock_info()
    if info is None:
        click.echo(f"The state at {backend.path} is not locked.")
        return
    click.echo(f"The state at {backend.path} is locked by {info.describe()}.")
    if not yes:
        if not _stdin_is_tty():
            raise UlplanError("refusing to clear the lock unconfirmed: no terminal to ask on. Pass --yes.")
        click.confirm("Clear it? Only do so if that run is really gone", abort=True)
    backend.force_unlock()
    click.echo("The lock is cleared.")
