"""``${...}`` parsing, load-time expansion and plan-time resolution."""

from __future__ import annotations

from typing import Any

import pytest

from ulplan.changes import UNKNOWN
from ulplan.manifest.interpolate import (
    InterpolationError,
    Placeholder,
    expand,
    parse,
    references,
    resolve,
)
from ulplan.manifest.specs import ProjectSpec


def test_parse_splits_text_and_placeholders() -> None:
    assert parse("a ${var.x} b ${model.m.uri}") == [
        "a ",
        Placeholder("var", "x", None, "${var.x}"),
        " b ",
        Placeholder("model", "m", "uri", "${model.m.uri}"),
    ]


@pytest.mark.parametrize(
    "text",
    ["${var", "${}", "${var.x.y}", "${model.m}", "${a b}", "${var.}"],
)
def test_malformed_placeholders_raise(text: str) -> None:
    with pytest.raises(InterpolationError):
        parse(text)


def test_escape_is_kept_until_the_final_value() -> None:
    assert parse("$${var.x}") == ["$${var.x}"]
    assert resolve("cost: $${var.x}", lambda a, b: None) == "cost: ${var.x}"


def lookup(values: dict[str, Any]) -> Any:
    return lambda address, attr: values[f"{address}.{attr}"]


def test_resolve_whole_placeholder_keeps_type() -> None:
    assert resolve("${deployment.api.resources.cpu}", lookup({"deployment.api.resources.cpu": 4})) == 4


def test_resolve_inside_text_formats() -> None:
    got = resolve(
        "url=${deployment.api.url} ok=${model.m.id}",
        lookup({"deployment.api.url": "https://x", "model.m.id": True}),
    )
    assert got == "url=https://x ok=true"


def test_unknown_part_makes_text_unknown() -> None:
    assert resolve("at ${deployment.api.url}", lambda a, b: UNKNOWN) is UNKNOWN


def test_resolve_walks_containers_element_by_element() -> None:
    values = {"model.m.id": "model_1", "deployment.d.url": UNKNOWN}
    got = resolve({"a": ["${model.m.id}", "${deployment.d.url}"], "b": 3}, lookup(values))
    assert got == {"a": ["model_1", UNKNOWN], "b": 3}


def test_references_finds_live_references_only() -> None:
    value = {"x": ["${var.a}", "${model.m.uri} and ${deployment.d.url}"], "y": "${bad"}
    assert references(value) == {("model.m", "uri"), ("deployment.d", "url")}


def test_references_reads_models() -> None:
    assert references(ProjectSpec(description="${dataset.t.uri}")) == {("dataset.t", "uri")}


def test_expand_keep_live_leaves_resource_references() -> None:
    got = expand("${var.env}: ${deployment.d.url}", lambda p: "prod", keep_live=True)
    assert got == "prod: ${deployment.d.url}"


def test_variable_text_holding_a_placeholder_stays_literal() -> None:
    template = expand("${var.x} ${model.m.id}", lambda p: "${oops}", keep_live=True)
    assert resolve(template, lookup({"model.m.id": "model_1"})) == "${oops} model_1"
