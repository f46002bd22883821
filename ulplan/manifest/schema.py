"""The JSON Schema (draft 2020-12) of the manifest format, generated from the specs.

Editors with yaml-language-server use it for completion and checks. Any value may be
written as a ``${...}`` placeholder (a variable can stand for a number or a region), so
every constrained scalar also accepts a string holding one.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Final

from pydantic import Field, StringConstraints

from ulplan.manifest.documents import IDENTIFIER
from ulplan.manifest.specs import (
    DatasetSpec,
    DeploymentSpec,
    ExportSpec,
    Lifecycle,
    ModelSpec,
    ProjectSpec,
    Spec,
    VariableSpec,
)

SCHEMA_FILE: Final = "ulplan.schema.json"
SCHEMA_ID: Final = "https://ulplan.dev/schema/v1/ulplan.schema.json"
_INTERPOLATION: Final = {
    "type": "string",
    "pattern": r"\$\{[^}]+\}",
    "description": "A ${var.NAME}, ${env.NAME} or ${<kind>.<name>.<attribute>} placeholder.",
}
_META_KEYS: Final = ("title", "description", "default", "examples")

Name = Annotated[str, StringConstraints(pattern=IDENTIFIER.pattern)]
_LIFECYCLE = Field(None, description="prevent_destroy, ignore_changes, create_before_destroy.")


class ProjectBlock(ProjectSpec):
    """A project: a folder of models. The key is its platform slug unless `slug` is set."""

    lifecycle: Lifecycle | None = _LIFECYCLE


class DatasetBlock(DatasetSpec):
    """A dataset. Its task cannot change once created (a change replaces it)."""

    lifecycle: Lifecycle | None = _LIFECYCLE


class ModelBlock(ModelSpec):
    """A model, uploaded from `file`, trained by `training`, or both."""

    lifecycle: Lifecycle | None = _LIFECYCLE


class ExportBlock(ExportSpec):
    """An export of a model to a deployment format. Any change replaces it."""

    lifecycle: Lifecycle | None = _LIFECYCLE


class DeploymentBlock(DeploymentSpec):
    """A dedicated inference endpoint serving a model."""

    lifecycle: Lifecycle | None = _LIFECYCLE


class ManifestFile(Spec):
    """An ulplan manifest file (format version 1). Every *.yaml file of a folder is merged."""

    version: int = Field(1, ge=1, le=1, description="Format version; only 1 exists.")
    variables: dict[Name, VariableSpec] | None = Field(None, description="Inputs, used as ${var.NAME}.")
    projects: dict[Name, ProjectBlock] | None = None
    datasets: dict[Name, DatasetBlock] | None = None
    models: dict[Name, ModelBlock] | None = None
    exports: dict[Name, ExportBlock] | None = None
    deployments: dict[Name, DeploymentBlock] | None = None
    outputs: dict[Name, Any] | None = Field(None, description="Shown after apply and by `ulplan output`.")


def json_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict, with ``$schema``, ``$id``, title and description."""
    generated = ManifestFile.model_json_schema()
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **generated,
        "title": "ulplan manifest",
    }
    result: dict[str, Any] = _allow_interpolation(schema)
    return result


def render() -> str:
    """The schema as the exact text written to ``ulplan.schema.json``."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _allow_interpolation(node: Any) -> Any:
    if isinstance(node, list):
        return [_allow_interpolation(item) for item in node]
    if not isinstance(node, dict):
        return node
    literal = ("enum", "default", "const", "examples")
    result = {k: (v if k in literal else _allow_interpolation(v)) for k, v in node.items()}
    if "patternProperties" in result:
        result.setdefault("additionalProperties", False)  # a badly formed name is flagged too
    if not _constrained(result):
        return result
    meta = {k: result.pop(k) for k in _META_KEYS if k in result}
    return {**meta, "anyOf": [result, dict(_INTERPOLATION)]}


def _constrained(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    scalar = kind in ("integer", "number", "boolean")
    return scalar or "enum" in node or (kind == "string" and "pattern" in node)
