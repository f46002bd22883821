"""The plan's vocabulary: what will happen to each resource, and why.

These are plain, frozen data. The planner builds them without side effects; the
renderers and the executor only read them (an executor never consults flags or
rendering modes, only the changes).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Action(enum.StrEnum):
    """What apply does to one resource. A small closed vocabulary, as Terraform's."""

    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    NOOP = "noop"
    READ = "read"


class ActionReason(enum.StrEnum):
    """Why an action was chosen. Used only to explain; never to decide."""

    NONE = ""
    NEW = "new"  # in the manifests, not in state nor on the platform
    DRIFTED = "drifted"  # in state, but gone from the platform
    REPLACE_BY_REQUEST = "replace_because_cannot_update"  # a field cannot change in place
    REPLACE_BY_DEPENDENCY = "replace_because_dependency_replaced"
    DELETE_NOT_IN_CONFIG = "delete_because_no_resource_config"
    DESTROY = "delete_because_destroy"
    RETRAIN = "update_because_training_failed"


class Unknown:
    """A value known only after apply (the id of a resource yet to be created)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "(known after apply)"


UNKNOWN = Unknown()


@dataclass(frozen=True)
class FieldDiff:
    """One changed field: dotted path, old value, new value, and whether it forces a replace."""

    path: str
    old: Any
    new: Any
    forces_replacement: bool = False


@dataclass(frozen=True)
class ResourceChange:
    """The change planned for one address.

    ``before`` is the live object's compared attributes (None for create);
    ``after`` is the desired attributes (None for delete), where values that are
    known only after apply are ``UNKNOWN``. For noop both are set and equal.
    ``diffs`` lists the fields that differ; ``reason`` explains the action.
    """

    address: str
    kind: str
    name: str
    action: Action
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    diffs: tuple[FieldDiff, ...] = ()
    reason: ActionReason = ActionReason.NONE
    resource_id: str | None = None
    depends_on: tuple[str, ...] = ()
    fingerprint: str | None = None  # the live object's updatedAt at plan time
    estimated_cost_micro_usd: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def replace_paths(self) -> list[str]:
        """The fields that force this resource's replacement."""
        return [d.path for d in self.diffs if d.forces_replacement]


@dataclass(frozen=True)
class Plan:
    """Everything apply needs, and nothing it must not see.

    ``changes`` are in execution order (creates and updates in dependency order, deletes
    in reverse dependency order). ``state_lineage``/``state_serial`` identify the state the
    plan was made from, so a saved plan applied later can be refused when that state moved
    on. ``destroy`` marks a plan made by ``--destroy``/``ulplan destroy``. Costs are in
    micro-USD. ``warnings`` are shown with the plan; ``errors`` make it unappliable.
    """

    changes: tuple[ResourceChange, ...]
    state_lineage: str | None = None
    state_serial: int = 0
    destroy: bool = False
    targets: tuple[str, ...] = ()
    estimated_cost_micro_usd: int = 0
    balance_micro_usd: int | None = None
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    outputs: dict[str, Any] = field(default_factory=dict)
    manifest_root: str | None = None
    format_version: str = "1.0"

    @property
    def has_changes(self) -> bool:
        """True when apply would change anything on the platform."""
        return any(c.action not in (Action.NOOP, Action.READ) for c in self.changes)

    def count(self, action: Action) -> int:
        """How many resources this plan gives ``action``."""
        return sum(1 for c in self.changes if c.action is action)
