"""The ``ulplan`` command group, its global options and its single error boundary.

Commands are imported lazily (click's LazyGroup pattern) so ``ulplan --version`` and
``ulplan validate`` never pay for FastAPI, uvicorn or httpx.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from ulplan import __version__
from ulplan.errors import UlplanError

# name -> ("module:attribute", one-line help); the module is imported only when the
# command runs, and `ulplan --help` lists commands from this table without importing them.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("ulplan.cli.manifest_commands:validate", "Check manifests without contacting the platform."),
    "schema": ("ulplan.cli.manifest_commands:schema", "Write the JSON Schema of the manifest format."),
    "plan": ("ulplan.cli.engine_commands:plan", "Show what apply would change."),
    "apply": ("ulplan.cli.engine_commands:apply", "Make the platform match the manifests (or a saved plan)."),
    "destroy": ("ulplan.cli.engine_commands:destroy", "Delete everything this state manages."),
    "import": ("ulplan.cli.engine_commands:import_", "Adopt an existing platform resource into state."),
    "output": ("ulplan.cli.state_commands:output", "Print output values from state."),
    "force-unlock": ("ulplan.cli.state_commands:force_unlock", "Clear a stale state lock."),
    "state": ("ulplan.cli.state_commands:state", "Inspect and edit the state file."),
    "serve": ("ulplan.cli.serve:serve", "Run the local emulator of the Platform API."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attribute = entry[0].split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_target, help_text) in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@dataclass
class GlobalOptions:
    """Options accepted both before and after the subcommand name.

    ``ulplan --local apply DIR`` and ``ulplan apply --local DIR`` mean the same; a value
    given after the subcommand wins.
    """

    endpoint: str | None = None
    api_key: str | None = None
    state: str | None = None
    local: bool = False
    no_color: bool = False
    debug: bool = False


F = TypeVar("F", bound=Callable[..., Any])


def _store(field: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        options = ctx.find_object(GlobalOptions)
        if options is None:
            options = ctx.ensure_object(GlobalOptions)
        if value not in (None, False):
            setattr(options, field, value)
        return value

    return callback


def global_options(func: F) -> F:
    """Attach the global options to a command (they are also accepted on the group)."""
    decorators = [
        click.option(
            "--endpoint",
            metavar="URL",
            expose_value=False,
            callback=_store("endpoint"),
            help="Platform URL (env ULTRALYTICS_PLATFORM_URL).",
        ),
        click.option(
            "--api-key",
            metavar="KEY",
            expose_value=False,
            callback=_store("api_key"),
            help="API key (env ULTRALYTICS_API_KEY).",
        ),
        click.option(
            "--state",
            "state_path",
            metavar="FILE",
            expose_value=False,
            callback=_store("state"),
            help="State file (default .ulplan/state.json).",
        ),
        click.option(
            "--local",
            is_flag=True,
            expose_value=False,
            callback=_store("local"),
            help="Run against an embedded emulator; no account needed.",
        ),
        click.option(
            "--no-color",
            is_flag=True,
            expose_value=False,
            callback=_store("no_color"),
            help="Plain output (also NO_COLOR).",
        ),
        click.option(
            "--debug",
            is_flag=True,
            expose_value=False,
            callback=_store("debug"),
            help="Log requests and show tracebacks.",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def options_of(ctx: click.Context) -> GlobalOptions:
    """The global options of this invocation, wherever on the line they were given."""
    return ctx.ensure_object(GlobalOptions)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ulplan")
@global_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Declarative infrastructure-as-code for the Ultralytics Platform.

    Describe projects, datasets, models, exports and deployments in YAML; `ulplan plan`
    shows what would change, `ulplan apply` makes it so.
    """
    ctx.ensure_object(GlobalOptions)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI inside its one error boundary."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        # Without standalone mode click returns what a command returns (or ctx.exit's code).
        result = cli.main(args=argv, prog_name="ulplan", standalone_mode=False)
        if isinstance(result, int):
            sys.exit(result)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UlplanError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # the boundary: a bug still ends in one clear line
        if debug:
            raise
        click.echo(f"Error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", err=True)
        sys.exit(1)
