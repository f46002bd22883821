"""Saved plans (``ulplan plan --out FILE``): a JSON file that round-trips a Plan exactly.

``ulplan apply FILE`` applies exactly the saved changes, so the file must bring back
every value as it was: UNKNOWN, enums, tuples and dicts survive through a small tagged
encoding (``{"$ulplan": "unknown"}`` and friends). Like the state, a plan file is
private (mode 0600) and never holds an API key.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from ulplan import __version__
from ulplan.changes import UNKNOWN, Action, ActionReason, FieldDiff, Plan, ResourceChange, Unknown
from ulplan.errors import UlplanError
from ulplan.state.atomic import atomic_write
from ulplan.state.model import State
from ulplan.state.secrets import refuse_secrets

PLAN_KIND = "ulplan-plan"
PLAN_FILE_FORMAT = 1
_TAG = "$ulplan"
_ENUMS: dict[str, type[Action] | type[ActionReason]] = {"Action": Action, "ActionReason": ActionReason}


class PlanFileError(UlplanError):
    """A file that is not a saved plan, or one this ulplan cannot apply."""


def save_plan(plan: Plan, path: Path) -> None:
    """Write ``plan`` to ``path`` (mode 0600, atomically). Refuses values that look like API keys."""
    body = {
        "kind": PLAN_KIND,
        "format": PLAN_FILE_FORMAT,
        "ulplan_version": __version__,
        "plan": encode_plan(plan),
    }
    refuse_secrets(body, f"the plan file {path}")
    try:
        text = json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:  # NaN or infinity: not JSON, and no API value is one
        raise PlanFileError(f"cannot save the plan to {path}: {exc}") from exc
    atomic_write(Path(path), (text + "\n").encode("utf-8"))


def load_plan(path: Path) -> Plan:
    """Read a plan saved by :func:`save_plan` with this ulplan version."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanFileError(f"no plan file at {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlanFileError(f"{path} is not a saved plan (not JSON: {exc})") from exc
    if not isinstance(raw, dict) or raw.get("kind") != PLAN_KIND:
        raise PlanFileError(f"{path} is not a saved plan (make one with `ulplan plan --out FILE`)")
    if raw.get("format") != PLAN_FILE_FORMAT or raw.get("ulplan_version") != __version__:
        raise PlanFileError(
            f"{path} was saved by ulplan {raw.get('ulplan_version')}; this is ulplan {__version__}. "
            "A plan applies only with the version that made it: run `ulplan plan` again."
        )
    try:
        return decode_plan(raw["plan"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanFileError(f"{path} is a damaged plan file: {exc!r}") from exc


def is_plan_file(path: Path) -> bool:
    """True when ``path`` is a file that starts like a saved plan (cheap: reads a few bytes)."""
    path = Path(path)
    if not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(256).decode("utf-8", errors="replace")
    except OSError:
        return False
    compact = "".join(head.split())
    return compact.startswith('{"kind":"' + PLAN_KIND + '"')


def stale_state_reasons(plan: Plan, state: State) -> list[str]:
    """Why ``state`` is not the state ``plan`` was made from (empty when it still is).

    A plan made without any state (serial 0) stays valid while the state is still
    unwritten, whatever lineage the empty state was given in memory.
    """
    if plan.state_serial == 0:
        if state.is_new:
            return []
        return [f"the state was written since the plan was made (it is now at serial {state.serial})"]
    if plan.state_lineage != state.lineage:
        return [
            f"the state is a different one: lineage {state.lineage}, "
            f"the plan was made from lineage {plan.state_lineage}"
        ]
    if plan.state_serial != state.serial:
        return [
            f"the state changed since the plan was made: serial {plan.state_serial} then, {state.serial} now"
        ]
    return []


def encode_plan(plan: Plan) -> dict[str, Any]:
    """The JSON-able form of ``plan``."""
    out: dict[str, Any] = {}
    for f in fields(plan):
        value = getattr(plan, f.name)
        out[f.name] = [_encode_change(c) for c in value] if f.name == "changes" else encode_value(value)
    return out


def decode_plan(raw: dict[str, Any]) -> Plan:
    """The Plan that :func:`encode_plan` made ``raw`` from."""
    values = {f.name: decode_value(raw[f.name]) for f in fields(Plan) if f.name != "changes"}
    return Plan(changes=tuple(_decode_change(c) for c in raw["changes"]), **values)


def _encode_change(change: ResourceChange) -> dict[str, Any]:
    out = {f.name: encode_value(getattr(change, f.name)) for f in fields(change) if f.name != "diffs"}
    out["action"] = change.action.value
    out["reason"] = change.reason.value
    out["diffs"] = [{f.name: encode_value(getattr(d, f.name)) for f in fields(d)} for d in change.diffs]
    return out


def _decode_change(raw: dict[str, Any]) -> ResourceChange:
    skip = {"action", "reason", "diffs"}
    values = {f.name: decode_value(raw[f.name]) for f in fields(ResourceChange) if f.name not in skip}
    diffs = tuple(FieldDiff(**{k: decode_value(v) for k, v in d.items()}) for d in raw["diffs"])
    return ResourceChange(
        action=Action(raw["action"]), reason=ActionReason(raw["reason"]), diffs=diffs, **values
    )


def encode_value(value: Any) -> Any:
    """A JSON-able form of ``value`` that :func:`decode_value` turns back into an equal value."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Action | ActionReason):  # before str: these enums are strings too
        return {_TAG: "enum", "type": type(value).__name__, "value": value.value}
    if isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        return {_TAG: "unknown"}
    if isinstance(value, list):
        return [encode_value(item) for item in value]
    if isinstance(value, tuple):
        return {_TAG: "tuple", "items": [encode_value(item) for item in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and _TAG not in value:
            return {k: encode_value(v) for k, v in value.items()}
        return {_TAG: "dict", "items": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    raise PlanFileError(f"cannot save a value of type {type(value).__name__} in a plan")


def decode_value(raw: Any) -> Any:
    """The inverse of :func:`encode_value`."""
    if isinstance(raw, list):
        return [decode_value(item) for item in raw]
    if not isinstance(raw, dict):
        return raw
    tag = raw.get(_TAG)
    if tag is None:
        return {k: decode_value(v) for k, v in raw.items()}
    if tag == "unknown":
        return UNKNOWN
    if tag == "tuple":
        return tuple(decode_value(item) for item in raw["items"])
    if tag == "dict":
        return {decode_value(k): decode_value(v) for k, v in raw["items"]}
    if tag == "enum":
        return _ENUMS[raw["type"]](raw["value"])
    raise ValueError(f"unknown tag {tag!r}")
