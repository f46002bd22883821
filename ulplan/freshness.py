"""Refusing a stale plan: the state moved on, or a live object changed since the plan.

Terraform checks the state's lineage and serial; ulplan also re-reads the ``updatedAt``
of every live object the plan updates, replaces or deletes, so an apply never overwrites
a change someone made on the platform after the plan was reviewed.
"""

from __future__ import annotations

import concurrent.futures as cf
from typing import TYPE_CHECKING

from ulplan.changes import Action, Plan, ResourceChange
from ulplan.planfile import stale_state_reasons
from ulplan.resources import resource_type
from ulplan.state import StaleStateError

if TYPE_CHECKING:
    from ulplan.client import PlatformClient
    from ulplan.state import StateBackend

TOUCHING = (Action.UPDATE, Action.REPLACE, Action.DELETE)


def check_fresh(plan: Plan, client: PlatformClient, backend: StateBackend, parallelism: int = 10) -> None:
    """Raise StaleStateError listing every reason the plan no longer applies."""
    reasons = stale_state_reasons(plan, backend.read())
    touched = [c for c in plan.changes if c.action in TOUCHING and c.resource_id and c.fingerprint]
    if touched:
        with cf.ThreadPoolExecutor(max_workers=max(1, min(parallelism, len(touched)))) as pool:
            reasons += [r for r in pool.map(lambda c: live_reason(c, client), touched) if r]
    if reasons:
        raise StaleStateError(reasons)


def live_reason(change: ResourceChange, client: PlatformClient) -> str | None:
    """Why the live object of ``change`` is not the one the plan saw (None when it is)."""
    from ulplan.client.errors import NotFoundError

    kind = resource_type(change.kind)
    assert change.resource_id is not None
    try:
        raw = kind.get_live(client, change.resource_id)
    except NotFoundError:
        if change.action is Action.DELETE:
            return None  # already gone: the delete has nothing left to do
        return f"{change.address}: {change.kind} {change.resource_id} is gone from the platform"
    now = kind.fingerprint(raw)
    if now != change.fingerprint:
        return f"{change.address} changed on the platform (updatedAt {change.fingerprint} then, {now} now)"
    return None
