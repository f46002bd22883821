"""A deployment's resources: vCPUs, memory and instance range, with the API's bounds."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from ulplan.emulator.store.base import field_error

BOUNDS = {"cpu": (1, 8), "memoryGi": (1, 32), "minInstances": (0, 10), "maxInstances": (1, 100)}
DEFAULTS = {"cpu": 1, "memoryGi": 2, "minInstances": 0, "maxInstances": 1}
COLUMNS = {
    "cpu": "cpu",
    "memoryGi": "memory_gi",
    "minInstances": "min_instances",
    "maxInstances": "max_instances",
}


@dataclass(frozen=True)
class Resources:
    """A deployment's size: vCPUs, memory (GiB) and the instance range."""

    cpu: int
    memory_gi: int
    min_instances: int
    max_instances: int

    @classmethod
    def checked(cls, fields: dict[str, Any]) -> Resources:
        """Resources from API fields (defaults filled in); VALIDATION_ERROR out of bounds."""
        values = {**DEFAULTS, **{key: value for key, value in fields.items() if value is not None}}
        for key, (low, high) in BOUNDS.items():
            value = values[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise field_error(key, f"must be an integer from {low} to {high}")
        if values["minInstances"] > values["maxInstances"]:
            raise field_error("maxInstances", "must be at least minInstances")
        return cls(values["cpu"], values["memoryGi"], values["minInstances"], values["maxInstances"])

    @classmethod
    def of(cls, row: sqlite3.Row) -> Resources:
        """A deployment row's resources."""
        return cls(row["cpu"], row["memory_gi"], row["min_instances"], row["max_instances"])

    def as_api(self) -> dict[str, int]:
        """``resources`` as the API shows it."""
        return {
            "cpu": self.cpu,
            "memoryGi": self.memory_gi,
            "minInstances": self.min_instances,
            "maxInstances": self.max_instances,
        }

    def columns(self) -> dict[str, int]:
        """The row's columns for these resources."""
        return {COLUMNS[key]: value for key, value in self.as_api().items()}
