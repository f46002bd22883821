"""The state document: JSON round-trip, validation, versions."""

from __future__ import annotations

import json

import pytest

from ulplan.state import ResourceState, State, StateFormatError, StateVersionError


def _state() -> State:
    state = State(serial=4, lineage="5b0f5c8e-0000-4000-8000-000000000001")
    state.set(
        ResourceState(
            address="model.yolo",
            kind="model",
            name="yolo",
            id="model_1",
            attributes={"name": "yolo", "metrics": {"mAP50": 0.5}},
            file_sha256="ab" * 32,
            dependencies=["project.det"],
            slug="yolo",
            updated_at="2026-01-01T00:00:00Z",
        )
    )
    state.outputs["uri"] = "ul://user1/det/yolo"
    return state


def test_json_round_trip_keeps_everything() -> None:
    state = _state()
    assert State.from_json(state.to_json()) == state


def test_new_state_has_serial_zero_and_a_uuid_lineage() -> None:
    first, second = State(), State()
    assert first.is_new and first.serial == 0
    assert len(first.lineage) == 36 and first.lineage != second.lineage


def test_copy_is_deep() -> None:
    state = _state()
    clone = state.copy()
    clone.resources["model.yolo"].attributes["name"] = "changed"
    assert state.resources["model.yolo"].attributes["name"] == "yolo"


def test_newer_version_is_refused_with_upgrade_hint() -> None:
    raw = json.loads(_state().to_json())
    raw["version"] = 2
    raw["ulplan_version"] = "9.9.9"
    with pytest.raises(StateVersionError, match=r"format version 2.*9\.9\.9.*Upgrade"):
        State.from_json(json.dumps(raw))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda raw: raw.pop("lineage"), "lineage must be a string"),
        (lambda raw: raw.update(serial="3"), "serial must be an integer"),
        (lambda raw: raw.update(version=True), "'version' must be a positive integer"),
        (lambda raw: raw["resources"]["model.yolo"].pop("id"), r"resources\['model.yolo'\].id"),
        (lambda raw: raw["resources"]["model.yolo"].update(dependencies=[1]), r"dependencies\[0\]"),
    ],
)
def test_bad_shapes_name_the_field(mutate: object, message: str) -> None:
    raw = json.loads(_state().to_json())
    mutate(raw)  # type: ignore[operator]
    with pytest.raises(StateFormatError, match=message):
        State.from_json(json.dumps(raw))


def test_parse_error_gives_line_and_column() -> None:
    with pytest.raises(StateFormatError, match=r"line 2, column \d+"):
        State.from_json('{\n  "version": 1,,\n}')
