"""Property tests: whatever the input, loading ends in diagnostics, never an exception."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.manifest.helpers import VALID
from ulplan.manifest import LoadedManifests, LoadOptions, load_manifests

KEYS = [
    "version", "variables", "projects", "datasets", "models", "exports", "deployments", "outputs",
    "detection", "traffic", "yolo", "api", "onnx", "task", "project", "dataset", "model", "file",
    "training", "epochs", "imageSize", "gpuType", "wait", "format", "args", "region", "minInstances",
    "maxInstances", "cpu", "memoryGi", "state", "lifecycle", "prevent_destroy", "ignore_changes",
    "name", "slug", "description", "tags", "default", "type", "id", "<<",
]  # fmt: skip
TEXTS = [
    "${var.x}", "${env.HOME}", "${model.yolo.uri}", "${deployment.api.url}", "${", "$${x}",
    "${project.detection}", "detect", "onnx", "us-central1", "rtx-4090", "weights/yolo.pt", "../x.pt",
]  # fmt: skip
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.sampled_from(TEXTS),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=5),
    ),
    max_leaves=25,
)


def load_text(text: str) -> LoadedManifests:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "main.yaml").write_text(text, encoding="utf-8")
        return load_manifests([Path(folder)], LoadOptions(environ={"HOME": "/home/u"}))


def assert_only_diagnostics(loaded: LoadedManifests) -> None:
    internal = [d.format() for d in loaded.diagnostics if d.summary.startswith("internal error")]
    assert not internal, internal
    for diagnostic in loaded.diagnostics:
        diagnostic.format()
        diagnostic.to_json()


TOKENS = [*"ab:-[]{}&*!|>'\"#%@`,? \n\t$1.", "${", "<<: ", "&x ", "*x", "!!str ", "  ", "\n  - "]


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_random_yaml_text_gives_diagnostics_only(text: str) -> None:
    assert_only_diagnostics(load_text(text))


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=6))
def test_random_structures_give_diagnostics_only(document: dict[str, Any]) -> None:
    assert_only_diagnostics(load_text(yaml.safe_dump(document, allow_unicode=True)))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, item in node.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found.extend(_paths(item, (*prefix, index)))
    return found


def _mutate(document: Any, path: tuple[Any, ...], how: str, value: Any, key: str) -> Any:
    if not path:
        return value
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "rename" and isinstance(parent, dict):
        parent[key] = parent.pop(last)
    else:
        parent[last] = value
    return document


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0),
            st.sampled_from(["delete", "rename", "replace"]),
            values,
            st.sampled_from(KEYS),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutations_of_a_valid_manifest_give_diagnostics_only(
    mutations: list[tuple[int, str, Any, str]],
) -> None:
    document: Any = yaml.safe_load(VALID)
    for index, how, value, key in mutations:
        paths = _paths(document)
        document = _mutate(document, paths[index % len(paths)], how, value, key)
    assert_only_diagnostics(load_text(yaml.safe_dump(document, allow_unicode=True)))


def test_the_valid_manifest_is_valid() -> None:
    # The mutation test starts from this document; it must be valid for mutations to mean anything.
    assert not load_text(VALID).diagnostics
