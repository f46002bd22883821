"""The root of every error ulplan raises on purpose.

    UlplanError                  anything the CLI reports as ``Error: ...`` and exit 1
    ├── ConfigError              missing key, bad endpoint, unreadable settings
    ├── client.errors.PlatformError   (ulplan.client: API and transport failures)
    ├── manifest errors           (ulplan.manifest: diagnostics collected into one error)
    └── state errors              (ulplan.state: lock held, corrupt state, stale plan)

Each subsystem defines its own subclasses beside its code; this module only holds the
root so the CLI's single error boundary can tell a reported failure from a bug.
"""


class UlplanError(Exception):
    """An error whose message is meant for the user as it stands."""


class ConfigError(UlplanError):
    """Settings are missing or contradictory (no API key, bad endpoint...)."""
