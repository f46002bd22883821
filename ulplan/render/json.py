"""A plan as Terraform's machine-readable JSON plan shape, so policy tools can read it.

``resource_changes[].change`` carries ``actions`` (``["create"]``, ``["update"]``,
``["delete", "create"]`` for a replacement, ``["create", "delete"]`` when the new one is
created first, ``["delete"]``, ``["no-op"]``), ``before``, ``after``, ``after_unknown``
and ``replace_paths``. An unknown value is never printed: it is null in ``after`` and
true at the same place in ``after_unknown``.
"""

from __future__ import annotations

from typing import Any

from ulplan import __version__
from ulplan.changes import Action, ActionReason, Plan, ResourceChange
from ulplan.render.layout import creates_before_destroy
from ulplan.render.values import json_safe, unknown_tree, usd

FORMAT_VERSION = "1.2"

_ACTIONS = {
    Action.CREATE: ["create"],
    Action.UPDATE: ["update"],
    Action.DELETE: ["delete"],
    Action.NOOP: ["no-op"],
    Action.READ: ["read"],
}


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The plan as a JSON-able dict (``json.dumps`` it as is)."""
    return {
        "format_version": FORMAT_VERSION,
        "ulplan_version": __version__,
        "destroy": plan.destroy,
        "targets": list(plan.targets),
        "prior_state": {"lineage": plan.state_lineage, "serial": plan.state_serial},
        "resource_drift": [_drift(c) for c in plan.changes if c.reason is ActionReason.DRIFTED],
        "resource_changes": [resource_change(c) for c in plan.changes],
        "output_changes": {name: _output(value) for name, value in plan.outputs.items()},
        "summary": summary(plan),
        "estimated_cost": _cost(plan),
        "warnings": list(plan.warnings),
        "errors": list(plan.errors),
        "errored": bool(plan.errors),
        "applyable": plan.has_changes and not plan.errors,
    }


def terraform_actions(change: ResourceChange) -> list[str]:
    """Terraform's action list for one change."""
    if change.action is Action.REPLACE:
        return ["create", "delete"] if creates_before_destroy(change) else ["delete", "create"]
    return list(_ACTIONS[change.action])


def resource_change(change: ResourceChange) -> dict[str, Any]:
    """One entry of ``resource_changes``."""
    entry: dict[str, Any] = {
        "address": change.address,
        "mode": "managed",
        "type": change.kind,
        "name": change.name,
        "id": change.resource_id,
        "depends_on": list(change.depends_on),
        "change": {
            "actions": terraform_actions(change),
            "before": json_safe(change.before),
            "after": json_safe(change.after),
            "after_unknown": unknown_tree(change.after) or {},
            "replace_paths": [path_segments(path) for path in change.replace_paths],
        },
    }
    if change.reason is not ActionReason.NONE:
        entry["action_reason"] = change.reason.value
    if change.estimated_cost_micro_usd:
        entry["estimated_cost_micro_usd"] = change.estimated_cost_micro_usd
    return entry


def _drift(change: ResourceChange) -> dict[str, Any]:
    """Terraform lists objects deleted outside it as drift: gone from the platform since the last apply."""
    return {
        "address": change.address,
        "mode": "managed",
        "type": change.kind,
        "name": change.name,
        "id": change.resource_id,
        "change": {"actions": ["delete"], "before": None, "after": None, "after_unknown": {}},
    }


def path_segments(path: str) -> list[str | int]:
    """``resources.cpu`` -> ``["resources", "cpu"]``; ``classNames.0`` or ``classNames[0]`` -> index 0."""
    segments: list[str | int] = []
    for part in path.replace("[", ".").replace("]", "").split("."):
        if part:
            segments.append(int(part) if part.isdigit() else part)
    return segments


def summary(plan: Plan) -> dict[str, int]:
    """Counts per action, with Terraform's words."""
    return {
        "add": plan.count(Action.CREATE),
        "change": plan.count(Action.UPDATE),
        "replace": plan.count(Action.REPLACE),
        "destroy": plan.count(Action.DELETE),
        "no_op": plan.count(Action.NOOP),
    }


def _output(value: Any) -> dict[str, Any]:
    """An output as the plan sees it; its previous value is not part of the plan."""
    unknown = unknown_tree(value)
    return {"after": json_safe(value), "after_unknown": unknown if unknown is not None else False}


def _cost(plan: Plan) -> dict[str, Any]:
    covered = plan.balance_micro_usd is None or plan.estimated_cost_micro_usd <= plan.balance_micro_usd
    return {
        "micro_usd": plan.estimated_cost_micro_usd,
        "usd": usd(plan.estimated_cost_micro_usd),
        "balance_micro_usd": plan.balance_micro_usd,
        "covered_by_balance": covered,
    }
