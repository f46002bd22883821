"""Errors of the state layer: corrupt or newer state, a held lock, a leaked secret, a stale plan.

UlplanError
└── StateError                 anything wrong with reading or writing state
    ├── StateCorruptError      the file does not parse; names the backup to recover from
    ├── StateVersionError      written by a newer ulplan
    ├── StateLockedError       another run holds the lock
    ├── SecretRefusedError     something that looks like an API key was about to be written
    └── StaleStateError        a saved plan no longer matches the state or the platform
"""

from __future__ import annotations

from pathlib import Path

from ulplan.errors import UlplanError


class StateError(UlplanError):
    """The state cannot be read or written as asked."""


class StateFormatError(StateError):
    """State text that is not a valid state document (before we know which file it came from)."""


class StateCorruptError(StateError):
    """A state file that does not parse. Nothing is ever written over it."""

    def __init__(self, path: Path, detail: str, backup: Path | None) -> None:
        self.path = path
        self.detail = detail
        self.backup = backup
        if backup is not None:
            hint = (
                f"The previous version is in {backup}: inspect it and, if it is good, "
                f"copy it over {path} (ulplan writes nothing over a corrupt state)."
            )
        else:
            hint = f"There is no backup beside it; repair {path} by hand or move it away."
        super().__init__(f"the state file {path} is corrupt: {detail}. {hint}")


class StateVersionError(StateError):
    """A state written by a newer ulplan whose format this version does not know."""


class StateLockedError(StateError):
    """Another run holds the state lock; the message says who, doing what, since when."""


class SecretRefusedError(StateError):
    """Refused to write a value that looks like an API key into a file."""


class StaleStateError(StateError):
    """A saved plan no longer applies: the state or a live object changed since it was made."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons)
        listed = "\n".join(f"  - {reason}" for reason in self.reasons)
        super().__init__(
            "the saved plan is stale and was not applied:\n"
            f"{listed}\nRun `ulplan plan` again to make a fresh plan."
        )
