"""A plan laid out for display, independent of the medium (terminal text or markdown).

Decides the order (deletes and replaces first), the counts, the headline of each
resource, the reason shown for it and the attribute rows of its block. text.py and
markdown.py only turn these into characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ulplan.changes import UNKNOWN, Action, ActionReason, Plan, ResourceChange
from ulplan.render.values import flatten, is_unknown

# Display order of actions: what destroys comes first, so a reviewer sees it first.
ACTION_ORDER = (Action.DELETE, Action.REPLACE, Action.CREATE, Action.UPDATE)

HEADLINES = {
    Action.CREATE: "will be created",
    Action.UPDATE: "will be updated in place",
    Action.REPLACE: "must be replaced",
    Action.DELETE: "will be destroyed",
    Action.READ: "will be read",
    Action.NOOP: "is unchanged",
}

SUMMARY_WORDS = {
    Action.DELETE: "to destroy",
    Action.REPLACE: "to replace",
    Action.CREATE: "to add",
    Action.UPDATE: "to change",
}

ACTION_WORDS = {
    Action.CREATE: "create",
    Action.UPDATE: "update",
    Action.REPLACE: "replace",
    Action.DELETE: "destroy",
    Action.READ: "read",
    Action.NOOP: "no-op",
}


@dataclass(frozen=True)
class Row:
    """One attribute line of a resource block.

    ``op`` is ``+`` (added), ``-`` (removed), ``~`` (changed) or `` `` (shown unchanged);
    ``old``/``new`` are the values on either side (only the relevant one for + and -).
    """

    op: str
    path: str
    old: Any = None
    new: Any = None
    forces: bool = False


_MARKERS = {Action.CREATE: "+", Action.UPDATE: "~", Action.DELETE: "-", Action.READ: "<="}


def creates_before_destroy(change: ResourceChange) -> bool:
    """True when a replacement creates the new object before destroying the old one."""
    lifecycle = change.extra.get("lifecycle")
    from_lifecycle = isinstance(lifecycle, dict) and bool(lifecycle.get("create_before_destroy"))
    return bool(change.extra.get("create_before_destroy")) or from_lifecycle


def marker(change: ResourceChange) -> str:
    """Terraform's symbol for an action: ``+``, ``~``, ``-``, ``-/+`` (or ``+/-``)."""
    if change.action is Action.REPLACE:
        return "+/-" if creates_before_destroy(change) else "-/+"
    return _MARKERS.get(change.action, " ")


def ordered_changes(plan: Plan) -> list[ResourceChange]:
    """The changes that do something, deletes first, then replaces, creates and updates."""
    return [c for action in ACTION_ORDER for c in plan.changes if c.action is action]


def counts(plan: Plan) -> dict[Action, int]:
    """How many resources get each action."""
    return {action: plan.count(action) for action in Action}


def plan_line(plan: Plan) -> str:
    """``Plan: 2 to add, 1 to change, 0 to replace, 0 to destroy.``"""
    return (
        f"Plan: {plan.count(Action.CREATE)} to add, {plan.count(Action.UPDATE)} to change, "
        f"{plan.count(Action.REPLACE)} to replace, {plan.count(Action.DELETE)} to destroy."
    )


def no_changes_line(plan: Plan) -> str:
    """What to say when the plan changes nothing."""
    if plan.destroy:
        return "No changes. Nothing in state to destroy."
    return "No changes. The platform matches the manifests."


def targeting_note(plan: Plan) -> str | None:
    """Terraform's warning that a targeted plan may be incomplete, or None without --target."""
    if not plan.targets:
        return None
    return (
        f"Resource targeting is in effect: only {', '.join(plan.targets)} and what they depend on "
        "are planned; the rest may still differ from the manifests."
    )


def summary_counts(plan: Plan) -> str:
    """``1 to destroy, 1 to replace, 2 to add, 1 to change (3 unchanged)`` listing only non-zero ones."""
    parts = [f"{plan.count(a)} {SUMMARY_WORDS[a]}" for a in ACTION_ORDER if plan.count(a)]
    text = ", ".join(parts)
    unchanged = plan.count(Action.NOOP)
    return f"{text} ({unchanged} unchanged)" if unchanged else text


def headline(change: ResourceChange) -> str:
    """``model.x must be replaced``."""
    return f"{change.address} {HEADLINES[change.action]}"


def explanation(change: ResourceChange) -> str | None:
    """A sentence on why, when the action alone does not say it."""
    reason = change.reason
    if reason is ActionReason.DRIFTED:
        known = f" as {change.resource_id}" if change.resource_id else ""
        return f"it is in state{known} but is gone from the platform, so it will be created again"
    if reason is ActionReason.DELETE_NOT_IN_CONFIG:
        return f"{change.address} is no longer in the manifests"
    if reason is ActionReason.REPLACE_BY_DEPENDENCY:
        deps = ", ".join(change.depends_on) or "a resource it depends on"
        return f"because {deps} is created or replaced and this cannot follow it in place"
    if reason is ActionReason.RETRAIN:
        return "its last training failed or was cancelled, so training starts again"
    if change.action is Action.REPLACE and creates_before_destroy(change):
        return "the new object is created before the old one is destroyed (create_before_destroy)"
    return None


def reason_text(change: ResourceChange) -> str:
    """A short reason for tables: ``fileSha256 cannot change in place``, ``not in the manifests``..."""
    short = {
        ActionReason.NEW: "new",
        ActionReason.DRIFTED: "gone from the platform",
        ActionReason.REPLACE_BY_DEPENDENCY: "a dependency is replaced",
        ActionReason.DELETE_NOT_IN_CONFIG: "not in the manifests",
        ActionReason.DESTROY: "destroy requested",
        ActionReason.RETRAIN: "training failed: retrain",
    }
    if change.reason in short:
        return short[change.reason]
    if change.action is Action.REPLACE:
        paths = change.replace_paths
        return f"{', '.join(paths)} cannot change in place" if paths else "replacement requested"
    if change.action is Action.UPDATE and change.diffs:
        return "changed: " + ", ".join(d.path for d in change.diffs)
    return ""


def rows(change: ResourceChange) -> tuple[list[Row], int]:
    """The attribute rows of a resource block (id first) and how many unchanged ones are hidden."""
    if change.action is Action.CREATE:
        after = flatten(change.after)
        result = [Row("+", path, new=value) for path, value in after.items()]
        return ([] if "id" in after else [Row("+", "id", new=UNKNOWN)]) + result, 0
    if change.action is Action.DELETE:
        before = flatten(change.before)
        result = [Row("-", path, old=value) for path, value in before.items()]
        if "id" not in before and change.resource_id:
            result.insert(0, Row("-", "id", old=change.resource_id))
        return result, 0
    if change.action in (Action.UPDATE, Action.REPLACE):
        changed, hidden = _changed_rows(change)
        return _id_row(change, changed) + changed, hidden
    return [], 0


def _id_row(change: ResourceChange, changed: list[Row]) -> list[Row]:
    if not change.resource_id or any(row.path == "id" for row in changed):
        return []
    if change.action is Action.REPLACE:
        return [Row("~", "id", old=change.resource_id, new=UNKNOWN)]
    return [Row(" ", "id", new=change.resource_id)]


def _changed_rows(change: ResourceChange) -> tuple[list[Row], int]:
    result = [_diff_row(d.path, d.old, d.new, d.forces_replacement) for d in change.diffs]
    shown = {row.path for row in result}
    before = flatten(change.before)
    after = flatten(change.after)
    for path, value in after.items():
        if is_unknown(value) and path not in shown and not _covered(path, shown):
            if path in before:
                result.append(Row("~", path, old=before[path], new=value))
            else:
                result.append(Row("+", path, new=value))
            shown.add(path)
    hidden = sum(1 for path in after if path not in shown and not _covered(path, shown))
    return result, hidden


def _diff_row(path: str, old: Any, new: Any, forces: bool) -> Row:
    if old is None and new is not None:
        return Row("+", path, new=new, forces=forces)
    if new is None and old is not None:
        return Row("-", path, old=old, forces=forces)
    return Row("~", path, old=old, new=new, forces=forces)


def _covered(path: str, shown: set[str]) -> bool:
    """True when a diff on a parent path (``resources``) already covers ``resources.cpu``."""
    return any(path.startswith(parent + ".") for parent in shown)
