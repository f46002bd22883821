"""Saved plans: exact round-trip (hypothesis over random plans), privacy, refusals, staleness."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ulplan import __version__
from ulplan.changes import UNKNOWN, Action, ActionReason, FieldDiff, Plan, ResourceChange
from ulplan.planfile import PlanFileError, is_plan_file, load_plan, save_plan, stale_state_reasons
from ulplan.state import SecretRefusedError, State

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
)
values: st.SearchStrategy[Any] = st.recursive(
    scalars | st.just(UNKNOWN) | st.sampled_from(list(Action)),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8) | st.just("$ulplan"), inner, max_size=3)
        | st.dictionaries(st.integers(), inner, max_size=2)
    ),
    max_leaves=8,
)
attributes = st.dictionaries(st.text(max_size=8), values, max_size=4)
diffs = st.builds(
    FieldDiff, path=st.text(max_size=10), old=values, new=values, forces_replacement=st.booleans()
)
changes = st.builds(
    ResourceChange,
    address=st.text(max_size=12),
    kind=st.sampled_from(["project", "dataset", "model", "export", "deployment"]),
    name=st.text(max_size=8),
    action=st.sampled_from(list(Action)),
    before=st.none() | attributes,
    after=st.none() | attributes,
    diffs=st.tuples(diffs) | st.just(()),
    reason=st.sampled_from(list(ActionReason)),
    resource_id=st.none() | st.text(max_size=8),
    depends_on=st.tuples(st.text(max_size=8)),
    fingerprint=st.none() | st.text(max_size=8),
    estimated_cost_micro_usd=st.integers(min_value=0),
    extra=attributes,
)
plans = st.builds(
    Plan,
    changes=st.lists(changes, max_size=3).map(tuple),
    state_lineage=st.none() | st.uuids().map(str),
    state_serial=st.integers(min_value=0),
    destroy=st.booleans(),
    targets=st.lists(st.text(max_size=8), max_size=2).map(tuple),
    estimated_cost_micro_usd=st.integers(min_value=0),
    balance_micro_usd=st.none() | st.integers(),
    warnings=st.lists(st.text(), max_size=2).map(tuple),
    errors=st.lists(st.text(), max_size=2).map(tuple),
    outputs=attributes,
    manifest_root=st.none() | st.text(max_size=10),
)


# No deadline: each example fsyncs a file, which a busy disk can make slow.
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans)
def test_round_trip_is_exact(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "plan.json"
    save_plan(plan, path)
    loaded = load_plan(path)
    assert loaded == plan
    assert [type(c.action) for c in loaded.changes] == [Action] * len(plan.changes)


def _plan() -> Plan:
    change = ResourceChange(
        address="model.yolo",
        kind="model",
        name="yolo",
        action=Action.REPLACE,
        before={"fileSha256": "aa", "projectId": "project_1"},
        after={"fileSha256": "bb", "projectId": UNKNOWN},
        diffs=(FieldDiff("fileSha256", "aa", "bb", forces_replacement=True),),
        reason=ActionReason.REPLACE_BY_REQUEST,
        resource_id="model_1",
    )
    return Plan(changes=(change,), state_lineage="lin", state_serial=3)


def test_file_is_private_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "out" / "tfplan"
    save_plan(_plan(), path)
    raw = json.loads(path.read_text())
    assert (raw["kind"], raw["ulplan_version"]) == ("ulplan-plan", __version__)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert is_plan_file(path)


def test_secret_is_refused(tmp_path: Path) -> None:
    plan = Plan(changes=(), outputs={"key": "ul_" + "9" * 40})
    with pytest.raises(SecretRefusedError, match="outputs.key"):
        save_plan(plan, tmp_path / "p")
    assert not (tmp_path / "p").exists()


HEADER = {"kind": "ulplan-plan", "format": 1, "ulplan_version": __version__}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("projects:\n  det: {}\n", "not JSON"),
        (json.dumps({"kind": "other"}), "not a saved plan"),
        (json.dumps({**HEADER, "ulplan_version": "0.0.0", "plan": {}}), "saved by ulplan 0.0.0"),
        (json.dumps({**HEADER, "plan": {}}), "damaged"),
    ],
)
def test_not_a_plan_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "x"
    path.write_text(content)
    with pytest.raises(PlanFileError, match=message):
        load_plan(path)


def test_missing_plan_file(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="no plan file"):
        load_plan(tmp_path / "nope")


def test_is_plan_file_rejects_manifests_and_directories(tmp_path: Path) -> None:
    manifest = tmp_path / "main.yaml"
    manifest.write_text("projects: {}\n")
    assert not is_plan_file(manifest)
    assert not is_plan_file(tmp_path)
    assert not is_plan_file(tmp_path / "missing")


def test_stale_state_reasons() -> None:
    plan = _plan()
    assert stale_state_reasons(plan, State(serial=3, lineage="lin")) == []
    assert "serial 3 then, 4 now" in stale_state_reasons(plan, State(serial=4, lineage="lin"))[0]
    assert "different one" in stale_state_reasons(plan, State(serial=3, lineage="other"))[0]


def test_plan_from_no_state_stays_valid_until_state_is_written() -> None:
    plan = Plan(changes=(), state_lineage="ephemeral", state_serial=0)
    assert stale_state_reasons(plan, State()) == []
    assert "written since" in stale_state_reasons(plan, State(serial=1))[0]
