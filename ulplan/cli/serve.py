"""``ulplan serve``: the local emulator of the Platform API, in the foreground."""

from __future__ import annotations

from pathlib import Path

import click

from ulplan.cli.main import global_options


def _parse_seed_keys(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[object, ...]:
    from ulplan.emulator.config import SeedKey

    try:
        return tuple(SeedKey.parse(value) for value in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _parse_rate_limit(_ctx: click.Context, _param: click.Parameter, value: str | None) -> object:
    from ulplan.emulator.config import RateWindow

    if value is None:
        return "plan"
    try:
        return RateWindow.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8787, show_default=True, type=int, help="TCP port.")
@click.option(
    "--db",
    "db",
    default="ulplan-emulator.db",
    show_default=True,
    help="SQLite file (its uploaded files live beside it), or :memory:.",
)
@click.option(
    "--seed-key",
    "seed_keys",
    multiple=True,
    callback=_parse_seed_keys,
    metavar="ul_KEY[:PLAN[:USERNAME]]",
    help="Create an account with this key (repeatable).",
)
@click.option(
    "--rate-limit",
    callback=_parse_rate_limit,
    metavar="off|N/Ws",
    help="Override every plan's rate window, e.g. 20/5s; 'off' lifts limits.",
)
@click.option(
    "--fault-rate", default=0.0, type=click.FloatRange(0, 1), help="Share of requests that fail with 500."
)
@click.option(
    "--fault-mode",
    default="both",
    type=click.Choice(["before", "after", "both"]),
    show_default=True,
    help="before: fail without doing; after: do, then answer 500.",
)
@click.option("--latency", default=0.0, type=click.FloatRange(0), help="Seconds added to every request.")
@click.option(
    "--epoch-seconds",
    default=0.5,
    type=click.FloatRange(0),
    show_default=True,
    help="Emulated training: seconds per epoch.",
)
@click.option(
    "--job-seconds",
    default=1.0,
    type=click.FloatRange(0),
    show_default=True,
    help="Emulated exports and deployments: seconds per state step.",
)
@click.option(
    "--fail-training-rate",
    default=0.0,
    type=click.FloatRange(0, 1),
    help="Share of emulated trainings that fail.",
)
@click.option("--webhook", "webhook_url", metavar="URL", help="POST signed job events to this URL.")
@click.option(
    "--webhook-secret",
    envvar="ULPLAN_WEBHOOK_SECRET",
    metavar="SECRET",
    help="HMAC secret of X-Ultralytics-Signature (env ULPLAN_WEBHOOK_SECRET).",
)
@click.option(
    "--storage-limit",
    type=click.IntRange(1),
    metavar="BYTES",
    help="Storage limit of every account, replacing the plans' (free 100 GB, pro 500 GB, enterprise 5 TB).",
)
@global_options
def serve(
    host: str,
    port: int,
    db: str,
    seed_keys: tuple[object, ...],
    rate_limit: object,
    fault_rate: float,
    fault_mode: str,
    latency: float,
    epoch_seconds: float,
    job_seconds: float,
    fail_training_rate: float,
    webhook_url: str | None,
    webhook_secret: str | None,
    storage_limit: int | None,
) -> None:
    """Run the local emulator of the Ultralytics Platform API.

    Training, exports and deployments are emulated: their states, timings and billing are
    real, but no model is trained, converted or served.
    """
    import uvicorn

    from ulplan.emulator.app import create_app
    from ulplan.emulator.config import EmulatorConfig, SeedKey

    config = EmulatorConfig(
        db_path=":memory:" if db == ":memory:" else Path(db),
        seed_keys=tuple(key for key in seed_keys if isinstance(key, SeedKey)),
        rate_limit=rate_limit,  # type: ignore[arg-type]
        fault_rate=fault_rate,
        fault_mode=fault_mode,  # type: ignore[arg-type]
        latency=latency,
        epoch_seconds=epoch_seconds,
        job_seconds=job_seconds,
        fail_training_rate=fail_training_rate,
        webhook_url=webhook_url,
        storage_limit=storage_limit,
        webhook_secret=webhook_secret or EmulatorConfig.webhook_secret,
    )
    app = create_app(config)
    for key in app.state.store.seed():
        click.echo(f"Created an account. Its API key, shown only this once:\n\n    {key}\n", err=True)
    click.echo(f"ulplan emulator on http://{host}:{port}  (database: {db}; emulated jobs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
