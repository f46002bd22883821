"""Polling a long-running job (training, export, deployment) until it settles.

Each poll is an ordinary paced request, so waiting never trips the rate limit; the
pause between polls uses the client's sleep, so tests run it on a fake clock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ulplan.client.errors import WaitTimeoutError
from ulplan.client.pacing import Sleep

T = TypeVar("T")


def poll(
    read: Callable[[], T],
    done: Callable[[T], bool],
    *,
    sleep: Sleep,
    interval: float,
    timeout: float | None,
    what: str,
    on_poll: Callable[[T], None] | None = None,
) -> T:
    """Call ``read`` every ``interval`` seconds until ``done`` holds for its value.

    ``timeout`` counts the seconds spent waiting between polls (None: no limit);
    ``on_poll`` sees every value read, e.g. to show progress.
    """
    waited = 0.0
    while True:
        value = read()
        if on_poll is not None:
            on_poll(value)
        if done(value):
            return value
        if timeout is not None and waited + interval > timeout:
            raise WaitTimeoutError(f"{what} did not settle within {timeout:g} s (last seen: {_state(value)})")
        sleep(interval)
        waited += interval


def _state(value: object) -> str:
    return str(getattr(value, "status", value))
