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
