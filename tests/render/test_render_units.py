"""Small rules of the renderers, one line each where possible."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.render.plans import PLANS, mixed
from ulplan.changes import UNKNOWN, Action, FieldDiff, Plan, ResourceChange
from ulplan.render.json import path_segments, plan_to_json, terraform_actions
from ulplan.render.layout import plan_line, rows
from ulplan.render.text import plan_to_text
from ulplan.render.values import flatten, format_value, unknown_tree, usd

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _change(action: Action, **kwargs: object) -> ResourceChange:
    base: dict[str, object] = {
        "address": "model.m",
        "kind": "model",
        "name": "m",
        "before": None,
        "after": None,
    }
    return ResourceChange(action=action, **{**base, **kwargs})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("a", '"a"'), (1, "1"), (True, "true"), (None, "null"), (UNKNOWN, "(known after apply)"),
     ([1, "x"], '[1, "x"]'), ({"cpu": 1}, "{ cpu = 1 }"), ({}, "{}"), ((UNKNOWN,), "[(known after apply)]")],
)  # fmt: skip
def test_format_value(value: object, shown: str) -> None:
    assert format_value(value) == shown


@pytest.mark.parametrize(
    ("value", "tree"),
    [(UNKNOWN, True), ("x", None), ({"a": 1, "b": UNKNOWN}, {"b": True}), ([1, UNKNOWN], [False, True]),
     ({"a": {"b": [UNKNOWN]}}, {"a": {"b": [True]}}), ({"a": [1]}, None)],
)  # fmt: skip
def test_unknown_tree(value: object, tree: object) -> None:
    assert unknown_tree(value) == tree


@pytest.mark.parametrize(
    ("path", "segments"),
    [("name", ["name"]), ("resources.cpu", ["resources", "cpu"]), ("classNames[2]", ["classNames", 2]),
     ("tags.0", ["tags", 0])],
)  # fmt: skip
def test_path_segments(path: str, segments: list[object]) -> None:
    assert path_segments(path) == segments


@pytest.mark.parametrize(
    ("action", "extra", "actions"),
    [(Action.CREATE, {}, ["create"]), (Action.UPDATE, {}, ["update"]), (Action.DELETE, {}, ["delete"]),
     (Action.NOOP, {}, ["no-op"]), (Action.REPLACE, {}, ["delete", "create"]),
     (Action.REPLACE, {"create_before_destroy": True}, ["create", "delete"]),
     (Action.REPLACE, {"lifecycle": {"create_before_destroy": True}}, ["create", "delete"])],
)  # fmt: skip
def test_terraform_actions(action: Action, extra: dict[str, object], actions: list[str]) -> None:
    assert terraform_actions(_change(action, extra=extra)) == actions


def test_usd_and_flatten() -> None:
    assert usd(1_234_567) == "$1.23"
    assert flatten({"a": {"b": 1, "c": {}}, "d": [1]}) == {"a.b": 1, "a.c": {}, "d": [1]}


def test_json_never_holds_unknown_and_dumps_cleanly() -> None:
    text = json.dumps(plan_to_json(mixed()))
    assert "known after apply" not in text
    deployment = next(c for c in plan_to_json(mixed())["resource_changes"] if c["type"] == "deployment")
    assert deployment["change"]["after"]["modelId"] is None
    assert deployment["change"]["after_unknown"] == {"modelId": True}


def test_replace_rows_mark_the_forcing_field_and_hide_unchanged() -> None:
    change = _change(
        Action.REPLACE,
        before={"a": 1, "b": 2, "c": 3},
        after={"a": 1, "b": 5, "c": 3},
        diffs=(FieldDiff("b", 2, 5, forces_replacement=True),),
        resource_id="model_1",
    )
    shown, hidden = rows(change)
    assert [(r.op, r.path, r.forces) for r in shown] == [("~", "id", False), ("~", "b", True)]
    assert hidden == 2


def test_plan_line_counts() -> None:
    assert plan_line(mixed()) == "Plan: 1 to add, 2 to change, 1 to replace, 1 to destroy."


def test_colour_only_when_asked() -> None:
    plain = plan_to_text(mixed(), color=False)
    coloured = plan_to_text(mixed(), color=True)
    assert not ANSI.search(plain)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == plain


@pytest.mark.parametrize("name", sorted(PLANS))
def test_summary_lists_deletes_and_replaces_first(name: str) -> None:
    text = plan_to_text(PLANS[name]())
    order = [line.split()[0] for line in text.splitlines()[1:] if line.startswith("  ") and "." in line][:5]
    ranks = [{"-": 0, "-/+": 1, "+/-": 1, "+": 2, "~": 3}.get(symbol, 9) for symbol in order]
    assert ranks == sorted(ranks)


def test_errors_without_changes_do_not_claim_no_changes() -> None:
    text = plan_to_text(Plan(changes=(), errors=("boom",)))
    assert "No changes" not in text and "Error: boom" in text


def test_plain_rendering_never_imports_rich() -> None:
    code = (
        "import sys\n"
        "from ulplan.changes import Plan\n"
        "from ulplan.render import json, markdown, text\n"
        "text.plan_to_text(Plan(changes=())); markdown.plan_to_markdown(Plan(changes=()))\n"
        "json.plan_to_json(Plan(changes=()))\n"
        "assert 'rich' not in sys.modules, sorted(m for m in sys.modules if m.startswith('rich'))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
