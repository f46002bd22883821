"""Refusing a stale plan: the state moved on, or a live object changed since the plan.

Terraform checks the state's lineage and serial; ulplan also re-reads the ``updatedAt``
of every live object the plan updates, replaces or deletes, so an apply never overwrites
a change someone made on the platform after the plan was reviewed. As in the plan, the
objects are read with one listing per kind, never one GET per object.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ulplan.changes import Action, Plan, ResourceChange
from ulplan.planfile import stale_state_reasons
from ulplan.resources import resource_type
from ulplan.resources.base import Raw
from ulplan.state import StaleStateError

if TYPE_CHECKING:
    from ulplan.client import PlatformClient
    from ulplan.state import StateBackend

TOUCHING = (Action.UPDATE, Action.REPLACE, Action.DELETE)


def check_fresh(plan: Plan, client: PlatformClient, backend: StateBackend, parallelism: int = 10) -> None:
    """Raise StaleStateError listing every reason the plan no longer applies."""
    reasons = stale_state_reasons(plan, backend.read())
    touched = [c for c in plan.changes if c.action in TOUCHING and c.resource_id and c.fingerprint]
    kinds = sorted({c.kind for c in touched})
    if kinds:
        with cf.ThreadPoolExecutor(max_workers=max(1, min(parallelism, len(kinds)))) as pool:
            listings = pool.map(lambda kind: list(resource_type(kind).list_live(client)), kinds)
            live = {raw["id"]: raw for objects in listings for raw in objects if "id" in raw}
        reasons += [r for r in (live_reason(c, live) for c in touched) if r]
    if reasons:
        raise StaleStateError(reasons)


def live_reason(change: ResourceChange, live: Mapping[str, Raw]) -> str | None:
    """Why the live object of ``change`` is not the one the plan saw (None when it is)."""
    raw = live.get(str(change.resource_id))
    if raw is None:
        if change.action is Action.DELETE:
            return None  # already gone: the delete has nothing left to do
        return f"{change.address}: {change.kind} {change.resource_id} is gone from the platform"
    now = resource_type(change.kind).fingerprint(raw)
    if now != change.fingerprint:
        return f"{change.address} changed on the platform (updatedAt {change.fingerprint} then, {now} now)"
    return None
