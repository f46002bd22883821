"""State: what ulplan last applied, the lock that serialises runs, and the intent journal.

The planner is given a :class:`StateReader`; apply and the ``state`` commands a
:class:`StateBackend`. :class:`LocalBackend` keeps everything in files.
"""

from ulplan.state.backend import LocalBackend, StateBackend, StateReader
from ulplan.state.errors import (
    SecretRefusedError,
    StaleStateError,
    StateCorruptError,
    StateError,
    StateFormatError,
    StateLockedError,
    StateVersionError,
)
from ulplan.state.journal import Intent, IntentJournal
from ulplan.state.lock import LockHandle, LockInfo
from ulplan.state.model import STATE_VERSION, ResourceState, State
from ulplan.state.secrets import find_secret, looks_like_secret, refuse_secrets

__all__ = [
    "STATE_VERSION",
    "Intent",
    "IntentJournal",
    "LocalBackend",
    "LockHandle",
    "LockInfo",
    "ResourceState",
    "SecretRefusedError",
    "StaleStateError",
    "State",
    "StateBackend",
    "StateCorruptError",
    "StateError",
    "StateFormatError",
    "StateLockedError",
    "StateReader",
    "StateVersionError",
    "find_secret",
    "looks_like_secret",
    "refuse_secrets",
]
