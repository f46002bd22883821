"""Constrained field types shared by the specs: slugs, display names, closed choices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from ulplan.manifest import enums
from ulplan.manifest.diagnostics import did_you_mean


class Choice:
    """``Annotated[str, Choice(values)]``: one of a closed list, with a "did you mean" hint."""

    def __init__(self, values: Sequence[str], what: str) -> None:
        self.values = tuple(values)
        self.what = what

    def _check(self, value: str) -> str:
        if value in self.values:
            return value
        hint = did_you_mean(value, self.values)
        allowed = ", ".join(self.values)
        if len(self.values) > 20:
            allowed = ", ".join(self.values[:8]) + ", ..."
        message = f'"{value}" is not a known {self.what}' + (f"; {hint}" if hint else f" (one of {allowed})")
        raise PydanticCustomError("choice", message)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, core_schema.str_schema(strict=True))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "enum": list(self.values)}


def _printable(value: str) -> str:
    if not value.isprintable():
        raise PydanticCustomError("printable", "a display name must be printable characters only")
    return value


class Printable:
    """Reject control characters (tabs, newlines) in display names."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_printable, handler(source))


def _not_bool(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a whole number, not true/false")
    return value


class Whole:
    """An int that refuses true/false (pydantic's lax mode would read true as 1)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(_not_bool, handler(source))


Slug = Annotated[
    str,
    StringConstraints(
        strict=True, pattern=enums.SLUG_PATTERN, min_length=1, max_length=enums.SLUG_MAX_LENGTH
    ),
    Field(description="Platform slug: lowercase letters, digits and single hyphens, 1-100 characters."),
]
DisplayName = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=enums.NAME_MAX_LENGTH),
    Printable(),
    Field(description="Display name, 1-100 printable characters (default: the manifest key)."),
]
Text = Annotated[str, StringConstraints(strict=True)]
Task = Annotated[str, Choice(enums.TASKS, "task")]
Visibility = Annotated[str, Choice(enums.VISIBILITIES, "visibility")]
Region = Annotated[str, Choice(enums.REGIONS, "region")]
GpuType = Annotated[str, Choice(enums.GPU_TYPES, "GPU type")]
ExportFormat = Annotated[str, Choice(enums.EXPORT_FORMATS, "export format")]
DeploymentState = Annotated[str, Choice(enums.DEPLOYMENT_STATES, "deployment state")]
Scalar = str | int | float | bool
