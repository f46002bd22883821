"""Input variables: declarations, values from every source, and type conversion.

Precedence, highest first: ``--var name=value``, ``--var-file`` files (a later file
wins), the environment variable ``ULPLAN_VAR_<name>``, then the declared default. A
declared variable that gets no value from any of these is an error naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ulplan.manifest.diagnostics import Diagnostics, SourceLocation, did_you_mean
from ulplan.manifest.specs import VariableSpec
from ulplan.manifest.yamlsource import load_yaml

ENV_PREFIX = "ULPLAN_VAR_"
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@dataclass(frozen=True)
class Variable:
    """A declared variable: its spec, whether it has a default, and where it is declared."""

    name: str
    spec: VariableSpec
    has_default: bool
    location: SourceLocation
    default_location: SourceLocation | None = None


@dataclass(frozen=True)
class _Value:
    value: Any
    source: str
    location: SourceLocation | None


def convert(value: Any, type_name: str) -> Any:
    """``value`` as the variable's type; raises ValueError with a reason when it cannot be."""
    if type_name == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        raise ValueError("expected text")
    if type_name == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValueError(f'expected true or false, got "{value}"')
    return _number(value)


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f'expected a number, got "{value}"')
    if isinstance(value, int | float):
        return value
    try:
        return int(value.strip())
    except ValueError:
        pass
    try:
        return float(value.strip())
    except ValueError:
        raise ValueError(f'expected a number, got "{value}"') from None


def resolve_values(
    declared: Mapping[str, Variable],
    cli_values: Mapping[str, str],
    var_files: list[Path],
    environ: Mapping[str, str],
    diags: Diagnostics,
) -> dict[str, Any]:
    """The value of every declared variable (those in error are left out)."""
    sources: dict[str, _Value] = {}
    for name, variable in declared.items():
        if variable.has_default:
            sources[name] = _Value(variable.spec.default, "its default", variable.default_location)
    for name in declared:
        env_name = ENV_PREFIX + name
        if env_name in environ:
            sources[name] = _Value(environ[env_name], f"environment variable {env_name}", None)
    for path in var_files:
        sources.update(_from_var_file(path, declared, diags))
    for name, text in cli_values.items():
        if name not in declared:
            hint = did_you_mean(name, declared)
            diags.error(f'--var "{name}" sets a variable that is not declared', None, hint)
            continue
        sources[name] = _Value(text, f"--var {name}", None)
    return _converted(declared, sources, diags)


def _converted(
    declared: Mapping[str, Variable], sources: dict[str, _Value], diags: Diagnostics
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, variable in declared.items():
        source = sources.get(name)
        if source is None:
            diags.error(
                f'variable "{name}" has no value',
                variable.location,
                f"Set it with --var {name}=..., in a --var-file, or with the environment variable "
                f"{ENV_PREFIX}{name}, or give it a default.",
            )
            continue
        try:
            values[name] = convert(source.value, variable.spec.type)
        except ValueError as exc:
            where = source.location or variable.location
            diags.error(f'variable "{name}" from {source.source}: {exc} (type {variable.spec.type})', where)
    return values


def _from_var_file(path: Path, declared: Mapping[str, Variable], diags: Diagnostics) -> dict[str, _Value]:
    doc = load_yaml(path, diags)
    if doc is None or doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        diags.error("a var file must be a map of variable names to values", doc.value_at(()))
        return {}
    found: dict[str, _Value] = {}
    for name, value in doc.data.items():
        if name not in declared:
            hint = did_you_mean(name, declared)
            diags.warning(f'var file sets "{name}", which no manifest declares', doc.key_at((name,)), hint)
            continue
        found[name] = _Value(value, f"var file {path}", doc.value_at((name,)))
    return found
