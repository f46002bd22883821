"""The state document: what ulplan last applied, per address, and its JSON form.

Plain mutable dataclasses: apply updates one resource at a time and writes the whole
document after each step, so copying frozen objects on every write would buy nothing.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from ulplan import __version__
from ulplan.state.errors import StateFormatError, StateVersionError

STATE_VERSION = 1


@dataclass
class ResourceState:
    """One managed resource as ulplan last applied it.

    ``attributes`` are the attributes last applied, camelCase as the API returns them;
    ``file_sha256`` the hash of an uploaded file (models); ``dependencies`` the addresses
    it depends on (deletes run in reverse of them even once the manifests are gone);
    ``updated_at`` the live object's ``updatedAt`` when it was last read.
    """

    address: str
    kind: str
    name: str
    id: str
    attributes: dict[str, Any] = field(default_factory=dict)
    file_sha256: str | None = None
    dependencies: list[str] = field(default_factory=list)
    slug: str | None = None
    updated_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object stored under this resource's address (the address is the key)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "id": self.id,
            "slug": self.slug,
            "attributes": self.attributes,
            "file_sha256": self.file_sha256,
            "dependencies": list(self.dependencies),
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_dict(cls, address: str, raw: Any) -> ResourceState:
        """Parse one resource entry; raises StateFormatError naming the address on bad shapes."""
        where = f"resources[{address!r}]"
        obj = _expect(raw, dict, where)
        return cls(
            address=address,
            kind=_expect(obj.get("kind"), str, f"{where}.kind"),
            name=_expect(obj.get("name"), str, f"{where}.name"),
            id=_expect(obj.get("id"), str, f"{where}.id"),
            attributes=_expect(obj.get("attributes", {}), dict, f"{where}.attributes"),
            file_sha256=_optional(obj.get("file_sha256"), str, f"{where}.file_sha256"),
            dependencies=_string_list(obj.get("dependencies", []), f"{where}.dependencies"),
            slug=_optional(obj.get("slug"), str, f"{where}.slug"),
            updated_at=_optional(obj.get("updated_at"), str, f"{where}.updated_at"),
        )


@dataclass
class State:
    """The whole state: format ``version``, write ``serial``, ``lineage``, resources, outputs.

    ``serial`` is 0 for a state that was never written (no file yet); every write bumps
    it. ``lineage`` is fixed when a state is first created, so a saved plan can tell a
    newer version of its state from a different state altogether.
    """

    version: int = STATE_VERSION
    serial: int = 0
    lineage: str = field(default_factory=lambda: str(uuid.uuid4()))
    resources: dict[str, ResourceState] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)

    @property
    def is_new(self) -> bool:
        """True for a state that was never written (there was no state file)."""
        return self.serial == 0

    def get(self, address: str) -> ResourceState | None:
        """The resource at ``address``, or None."""
        return self.resources.get(address)

    def set(self, resource: ResourceState) -> None:
        """Record (or overwrite) ``resource`` under its address."""
        self.resources[resource.address] = resource

    def remove(self, address: str) -> ResourceState | None:
        """Forget ``address``; returns what was there."""
        return self.resources.pop(address, None)

    def copy(self) -> State:
        """A deep copy, safe to change while the original is being written."""
        return copy.deepcopy(self)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document, resources keyed and sorted by address."""
        return {
            "version": self.version,
            "serial": self.serial,
            "lineage": self.lineage,
            "ulplan_version": __version__,
            "resources": {addr: self.resources[addr].to_dict() for addr in sorted(self.resources)},
            "outputs": self.outputs,
        }

    def to_json(self) -> str:
        """Stable, human-diffable JSON (sorted keys, two-space indent, trailing newline)."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> State:
        """Parse a state document.

        Raises StateFormatError (with line and column) for text that is not a state, and
        StateVersionError for a state written by a newer ulplan.
        """
        if not text.strip():
            raise StateFormatError("the file is empty")
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise StateFormatError(f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
        return cls.from_dict(raw)

    @classmethod
    def from_dict(cls, raw: Any) -> State:
        """Build a State from the parsed JSON document (see from_json)."""
        obj = _expect(raw, dict, "the document")
        version = obj.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise StateFormatError(f"'version' must be a positive integer, got {version!r}")
        if version > STATE_VERSION:
            writer = obj.get("ulplan_version", "a newer ulplan")
            raise StateVersionError(
                f"the state has format version {version}, written by ulplan {writer}; this is ulplan "
                f"{__version__}, which reads format {STATE_VERSION}. Upgrade ulplan to use this state."
            )
        serial = _expect(obj.get("serial"), int, "serial")
        resources = _expect(obj.get("resources", {}), dict, "resources")
        return cls(
            version=version,
            serial=serial,
            lineage=_expect(obj.get("lineage"), str, "lineage"),
            resources={addr: ResourceState.from_dict(addr, res) for addr, res in resources.items()},
            outputs=_expect(obj.get("outputs", {}), dict, "outputs"),
        )


def _expect(value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise StateFormatError(f"{where} must be {_noun(kind)}, got {type(value).__name__}")
    return value


def _optional(value: Any, kind: type, where: str) -> Any:
    return None if value is None else _expect(value, kind, where)


def _string_list(value: Any, where: str) -> list[str]:
    items = _expect(value, list, where)
    return [_expect(item, str, f"{where}[{i}]") for i, item in enumerate(items)]


def _noun(kind: type) -> str:
    return {dict: "an object", list: "a list", str: "a string", int: "an integer"}.get(kind, kind.__name__)
