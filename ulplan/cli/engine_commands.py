"""``ulplan plan``, ``apply``, ``destroy`` and ``import``: thin commands over the engine.

Each parses its flags, opens a session (settings, manifests, state backend, client, and
with ``--local`` the embedded emulator), calls the library, prints, and picks the exit
code: 0 done or no changes, 1 error, 2 changes present with ``--detailed-exitcode``,
130 when Ctrl-C interrupted an apply. Heavy modules are imported inside the commands.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ulplan.cli.main import GlobalOptions, global_options, options_of
from ulplan.cli.manifest_commands import manifest_options
from ulplan.errors import UlplanError

if TYPE_CHECKING:
    from ulplan.apply import ApplyOptions, ApplyResult
    from ulplan.changes import Plan
    from ulplan.client import PlatformClient
    from ulplan.config import Settings
    from ulplan.manifest import LoadedManifests
    from ulplan.state import LocalBackend, LockHandle, ResourceState

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
TARGET = click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="ADDR",
    help="Only this resource and what it depends on (repeatable).",
)
AUTO_APPROVE = click.option("--auto-approve", is_flag=True, help="Apply without asking.")


@click.command()
@PATHS
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Save the plan for `ulplan apply FILE`."
)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as Terraform-shaped JSON.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), help="Output format.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when none.")
@TARGET
@click.option("--destroy", is_flag=True, help="Plan to destroy everything in state.")
@click.option("--fail-on-cost", is_flag=True, help="Fail when the balance cannot cover the estimated cost.")
@manifest_options
@global_options
@click.pass_context
def plan(
    ctx: click.Context,
    paths: tuple[Path, ...],
    out: Path | None,
    as_json: bool,
    fmt: str | None,
    detailed_exitcode: bool,
    targets: tuple[str, ...],
    destroy: bool,
    fail_on_cost: bool,
    var: tuple[str, ...],
    var_file: tuple[Path, ...],
    allow_outside_files: bool,
) -> None:
    """Show what apply would change (PATHS default to the current folder). Sends only GET requests."""
    with open_session(options_of(ctx), paths, var, var_file, allow_outside_files) as session:
        made = session.plan(targets, destroy, fail_on_cost)
    print_plan(made, "json" if as_json else (fmt or "text"), session.color)
    if made.errors:
        raise UlplanError(
            f"the plan has {len(made.errors)} error(s); nothing can be applied until they are fixed"
        )
    if out is not None:
        from ulplan.planfile import save_plan

        save_plan(made, out)
        click.echo(f"\nSaved the plan to {out}. Apply exactly this plan with: ulplan apply {out}", err=True)
    if detailed_exitcode and made.has_changes:
        sys.exit(2)  # SystemExit: the group runs with standalone_mode=False, which swallows ctx.exit codes


@click.command()
@PATHS
@AUTO_APPROVE
@click.option(
    "--parallelism", default=10, show_default=True, type=click.IntRange(1, 100), help="Resources at once."
)
@TARGET
@click.option(
    "--timeout",
    "timeouts",
    multiple=True,
    metavar="DURATION|KIND=DURATION,...",
    help="Wait limits, e.g. 30m, or training=2h,export=30m,deployment=15m.",
)
@manifest_options
@global_options
@click.pass_context
def apply(
    ctx: click.Context,
    paths: tuple[Path, ...],
    auto_approve: bool,
    parallelism: int,
    targets: tuple[str, ...],
    timeouts: tuple[str, ...],
    var: tuple[str, ...],
    var_file: tuple[Path, ...],
    allow_outside_files: bool,
) -> None:
    """Make the platform match the manifests, or apply a plan saved by `ulplan plan --out`."""
    from ulplan.planfile import is_plan_file, load_plan

    apply_options = _apply_options(parallelism, timeouts)
    if len(paths) == 1 and is_plan_file(paths[0]):
        if targets:
            raise click.UsageError(
                "--target cannot be used with a saved plan (it was fixed when the plan was made)"
            )
        saved = load_plan(paths[0])
        with open_session(options_of(ctx), saved=saved) as session, session.locked("apply"):
            _finish(session.apply(saved, apply_options), destroy=saved.destroy)
        return
    with open_session(options_of(ctx), paths, var, var_file, allow_outside_files) as session:
        with session.locked("apply"):
            made = session.plan(targets, destroy=False, fail_on_cost=False)
            if not _review(made, session, auto_approve, "apply"):
                return
            _finish(session.apply(made, apply_options))


@click.command()
@PATHS
@AUTO_APPROVE
@TARGET
@click.option(
    "--parallelism", default=10, show_default=True, type=click.IntRange(1, 100), help="Resources at once."
)
@manifest_options
@global_options
@click.pass_context
def destroy(
    ctx: click.Context,
    paths: tuple[Path, ...],
    auto_approve: bool,
    targets: tuple[str, ...],
    parallelism: int,
    var: tuple[str, ...],
    var_file: tuple[Path, ...],
    allow_outside_files: bool,
) -> None:
    """Delete everything this state manages, dependents first (prevent_destroy is respected)."""
    with open_session(options_of(ctx), paths, var, var_file, allow_outside_files) as session:
        with session.locked("destroy"):
            made = session.plan(targets, destroy=True, fail_on_cost=False)
            if not _review(made, session, auto_approve, "destroy"):
                return
            _finish(session.apply(made, _apply_options(parallelism, ())), destroy=True)


@click.command(name="import")
@click.argument("address", metavar="ADDR")
@click.argument("resource_id", metavar="ID")
@PATHS
@manifest_options
@global_options
@click.pass_context
def import_(
    ctx: click.Context,
    address: str,
    resource_id: str,
    paths: tuple[Path, ...],
    var: tuple[str, ...],
    var_file: tuple[Path, ...],
    allow_outside_files: bool,
) -> None:
    """Adopt the platform object ID as ADDR of the manifests, as if apply had created it."""
    with open_session(options_of(ctx), paths, var, var_file, allow_outside_files) as session:
        with session.locked("import"):
            entry = session.import_resource(address, resource_id)
    click.echo(f"Imported {entry.address} ({entry.id}). Run `ulplan plan` to compare it with the manifests.")


def _apply_options(parallelism: int, timeouts: tuple[str, ...]) -> ApplyOptions:
    from ulplan.apply import ApplyOptions
    from ulplan.waits import parse_timeouts

    try:
        parsed = parse_timeouts(timeouts)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--timeout") from None
    return ApplyOptions(parallelism=parallelism, timeouts=parsed)


def _review(made: Plan, session: Session, auto_approve: bool, verb: str) -> bool:
    """Show the plan; False when there is nothing to do. Asks unless --auto-approve."""
    from ulplan.apply import has_work

    print_plan(made, "text", session.color)
    if made.errors:
        raise UlplanError(f"the plan has {len(made.errors)} error(s); nothing was changed")
    if not has_work(made, session.backend.read()):
        return False
    if made.has_changes and not auto_approve:  # state-only work (adopt, forget, outputs) needs no answer
        confirm(verb)
    return True


def _finish(result: ApplyResult, destroy: bool = False) -> None:
    from ulplan.render.summary import render_apply_summary

    summary = render_apply_summary(result.results, destroy=destroy)
    if result.interrupted:
        summary = "Interrupted: no new work was started; finished steps are in the state.\n" + summary
    click.echo("\n" + summary, err=not result.ok)
    if result.ok and result.outputs:
        click.echo("\nOutputs:")
        for name, value in result.outputs.items():
            click.echo(f"  {name} = {value}")
    if result.interrupted:
        sys.exit(130)
    if not result.ok:
        sys.exit(1)


# -- the session: everything a command needs, opened and closed in one place -------------


class Session:
    """Settings, manifests, state backend and client of one command (and --local's emulator)."""

    def __init__(self, settings: Settings, manifests: LoadedManifests | None, backend: LocalBackend) -> None:
        self.settings = settings
        self.manifests = manifests
        self.backend = backend
        self.client: PlatformClient | None = None
        self.color = settings.color(sys.stdout.isatty())

    def locked(self, operation: str) -> LockHandle:
        """The state lock for ``operation`` (fails fast, naming the holder, when taken)."""
        return self.backend.lock(operation)

    def plan(self, targets: Sequence[str], destroy: bool, fail_on_cost: bool) -> Plan:
        """Refresh and diff: a read-only plan."""
        from ulplan.plan import PlanOptions, build_plan
        from ulplan.refresh import ClientLiveSource

        assert self.manifests is not None and self.client is not None
        options = PlanOptions(
            targets=tuple(targets),
            destroy=destroy,
            fail_on_cost=fail_on_cost,
            pending_intents=tuple(self.backend.journal().pending()),
            manifest_root=str(self.manifests.root),
        )
        return build_plan(self.manifests, self.backend, ClientLiveSource(self.client), options)

    def apply(self, made: Plan, options: ApplyOptions) -> ApplyResult:
        """Run a plan with a progress display suited to the terminal (or its absence)."""
        from ulplan.apply import apply_plan
        from ulplan.render.progress import make_reporter

        assert self.client is not None
        reporter = make_reporter(sys.stderr.isatty(), self.settings.color(sys.stderr.isatty()))
        try:
            return apply_plan(made, self.client, self.backend, reporter, options)
        finally:
            reporter.close()

    def import_resource(self, address: str, resource_id: str) -> ResourceState:
        """Record the live object ``resource_id`` as ``address`` in state."""
        from ulplan.apply import import_resource

        assert self.manifests is not None and self.client is not None
        return import_resource(self.manifests, address, resource_id, self.client, self.backend)


@contextlib.contextmanager
def open_session(
    options: GlobalOptions,
    paths: Sequence[Path] = (),
    var: Sequence[str] = (),
    var_file: Sequence[Path] = (),
    allow_outside_files: bool = False,
    saved: Plan | None = None,
) -> Iterator[Session]:
    """Load manifests (unless applying a saved plan), then connect: to --local or the platform."""
    from ulplan.cli.manifest_commands import load_or_fail
    from ulplan.client import PlatformClient
    from ulplan.config import Settings
    from ulplan.state import LocalBackend

    settings = Settings.resolve(options)
    _configure_logging(settings.debug)
    manifests = None if saved is not None else load_or_fail(paths, var, var_file, allow_outside_files)
    root = Path(saved.manifest_root) if saved is not None and saved.manifest_root else None
    root = manifests.root if manifests is not None else root
    with contextlib.ExitStack() as stack:
        endpoint, key, state_path = settings.endpoint, settings.api_key, settings.state_path(root)
        if settings.local:
            from ulplan.cli.local import start_local

            local = start_local(root or Path.cwd())
            stack.callback(local.stop)
            endpoint, key = local.url, local.api_key
            state_path = settings.state if settings.state is not None else local.state_path
        session = Session(settings, manifests, LocalBackend(state_path))
        session.client = stack.enter_context(PlatformClient(api_key=key, base_url=endpoint))
        yield session


def print_plan(made: Plan, fmt: str, color: bool) -> None:
    """The plan on stdout as text, Terraform-shaped JSON or markdown."""
    if fmt == "json":
        import json

        from ulplan.render.json import plan_to_json

        click.echo(json.dumps(plan_to_json(made), indent=2))
    elif fmt == "markdown":
        from ulplan.render.markdown import plan_to_markdown

        click.echo(plan_to_markdown(made))
    else:
        from ulplan.render.text import plan_to_text

        click.echo(plan_to_text(made, color=color), nl=False)


def confirm(verb: str) -> None:
    """Ask before changing anything; refuse without a terminal rather than hang."""
    if not sys.stdin.isatty():
        raise UlplanError(
            f"{verb} needs confirmation, and there is no terminal to ask on: pass --auto-approve "
            "(in CI, save a plan with `ulplan plan --out FILE` and apply that file)"
        )
    answer = click.prompt(
        f"\nDo you want to {verb}? Only 'yes' will be accepted", default="", show_default=False
    )
    if answer.strip() != "yes":
        raise UlplanError(f"{verb} cancelled: nothing was changed")


def _configure_logging(debug: bool) -> None:
    """--debug: the client's request log on stderr (the client redacts the key)."""
    if not debug:
        return
    logger = logging.getLogger("ulplan.client")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
