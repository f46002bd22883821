"""What every resource kind tells the planner and the executor.

A kind is a small class: which attributes are compared, which of them force a
replacement, how a live API object becomes comparable attributes, and how to create,
update, delete and wait for it through the client. The planner and the executor are
generic; everything that differs between kinds lives in one module per kind.

Attribute dicts use the API's camelCase names. Desired attributes are first built as a
*template* in which references to other resources are ``${<address>.<attr>}``
expressions; the planner resolves the template with what it knows (unknowns stay
``UNKNOWN``) and the executor resolves it again at apply time, when every id is known.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from ulplan.changes import UNKNOWN, FieldDiff
from ulplan.errors import UlplanError
from ulplan.events import Progress, Reporter

if TYPE_CHECKING:
    from ulplan.client import PlatformClient
    from ulplan.manifest.loaded import ResourceSpec

Raw = dict[str, Any]
"""A live API object as its camelCase dict (``model.model_dump()``)."""

CLOCK_SLACK = timedelta(seconds=5)
"""How much older than our journaled intent an object may look (clock skew) and still be ours."""


class ResourceOperationError(UlplanError):
    """A create, update, delete or wait could not reach the wanted state."""


class WaitTimeoutError(ResourceOperationError):
    """A long operation did not finish within its ``--timeout``."""


class Interrupted(ResourceOperationError):
    """The user pressed Ctrl-C while this resource was being waited for."""


@dataclass
class OperationContext:
    """What one resource operation may use while apply runs it (one per resource)."""

    client: PlatformClient
    address: str
    reporter: Reporter
    stop: threading.Event
    timeouts: Mapping[str, float] = field(default_factory=dict)  # per wait: training, export...
    poll_seconds: float = 0.2
    extra: Mapping[str, Any] = field(default_factory=dict)

    def report(self, progress: Progress) -> None:
        """Tell the audience how a waited-for operation moves on."""
        self.reporter.progress(self.address, progress)


def ref(address: str, attribute: str = "id") -> str:
    """The template expression that reads ``attribute`` of ``address`` at plan or apply time."""
    return "${" + f"{address}.{attribute}" + "}"


def reference_template(reference: Any, kind: str) -> str:
    """A manifest ``Reference`` as a template value: a literal id, or an expression."""
    literal = getattr(reference, "id", None)
    if literal:
        return str(literal)
    return ref(reference.address(kind))


def set_if(target: dict[str, Any], key: str, value: Any) -> None:
    """Put ``value`` under ``key`` unless the manifest left it unset (None)."""
    if value is not None:
        target[key] = value


def plain(value: Any) -> Any:
    """A spec value as plain JSON data (pydantic models and enums become dicts/strings)."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(exclude_none=True)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    enum_value = getattr(value, "value", None)
    if enum_value is not None and not isinstance(value, int | float | str | bool):
        return enum_value
    return value


class ResourceType:
    """The rules of one resource kind. Subclasses are stateless singletons."""

    kind: ClassVar[str]
    fields: ClassVar[tuple[str, ...]]  # compared attributes, in display order
    replace_fields: ClassVar[frozenset[str]] = frozenset()  # cannot change in place
    unordered_fields: ClassVar[frozenset[str]] = frozenset({"tags"})  # compared as sets
    known_before_apply: ClassVar[tuple[str, ...]] = ("slug", "name")  # for ${...} of a create
    has_slug: ClassVar[bool] = True
    ready_statuses: ClassVar[frozenset[str]] = frozenset()

    # -- planning -------------------------------------------------------------------------

    def template(self, resource: ResourceSpec) -> dict[str, Any]:
        """The desired compared attributes; references to others as ``${...}`` expressions."""
        raise NotImplementedError

    def comparable(self, raw: Raw, recorded: Mapping[str, Any] | None, extras: Mapping[str, Any]) -> Raw:
        """The live object's compared attributes.

        ``recorded`` are the attributes state says were last applied, used for what the
        API does not echo back; ``extras`` holds per-kind sub-reads (a model's training).
        """
        return {name: raw.get(name) for name in self.fields}

    def slug_of(self, raw: Raw) -> str | None:
        """The live object's slug (its identity beside the id)."""
        value = raw.get("slug")
        return str(value) if value is not None else None

    def find_match(self, after: Mapping[str, Any], slug: str, candidates: Iterable[Raw]) -> Raw | None:
        """The unclaimed live object that is this resource when state has no id for it."""
        for raw in candidates:
            if self.slug_of(raw) == slug:
                return raw
        return None

    def intent_match(self, after: Mapping[str, Any], slug: str) -> dict[str, Any]:
        """What identifies the object if the create's answer is lost (journaled before it)."""
        return {"slug": slug}

    def fingerprint(self, raw: Raw) -> str | None:
        """What changes whenever the live object changes: its ``updatedAt``."""
        value = raw.get("updatedAt")
        return str(value) if value is not None else None

    def exposed(self, raw: Raw, username: str | None, context: Mapping[str, Any]) -> Raw:
        """The live attributes ``${...}`` and outputs may read (the API object plus extras)."""
        return dict(raw)

    def extra_diffs(self, before: Raw, after: Raw, live: Raw, extras: Mapping[str, Any]) -> list[FieldDiff]:
        """Kind-specific differences beyond the compared fields (a failed export...)."""
        return []

    def imported(self, resource: ResourceSpec, live_attributes: Raw) -> Raw:
        """The attributes ``ulplan import`` records: the live ones, which the next plan checks."""
        return live_attributes

    def training_needed(self, resource: ResourceSpec) -> bool:
        """Whether the planner must read this resource's training status."""
        return False

    # -- applying -------------------------------------------------------------------------

    def list_live(self, client: PlatformClient) -> Iterable[Raw]:
        """Every live object of this kind, page by page, as dicts."""
        return (dump(obj) for obj in self._group(client).list())

    def get_live(self, client: PlatformClient, resource_id: str) -> Raw:
        """One live object by id."""
        return dump(self._group(client).get(resource_id))

    def create(self, ctx: OperationContext, after: Mapping[str, Any], retry_safe: bool) -> Raw:
        """Create the object and return it as a dict."""
        raise NotImplementedError

    def update(
        self, ctx: OperationContext, resource_id: str, after: Mapping[str, Any], diffs: Iterable[FieldDiff]
    ) -> Raw:
        """Change the differing fields in place; return the object as a dict."""
        changed = {d.path.split(".")[0] for d in diffs}
        fields = {k: after[k] for k in self.updatable(changed) if k in after}
        if not fields:
            return self.get_live(ctx.client, resource_id)
        return dump(self._group(ctx.client).update(resource_id, **snake_case(fields)))

    def updatable(self, changed: set[str]) -> list[str]:
        """The changed fields that an update request sends."""
        return sorted(changed - self.replace_fields)

    def delete(self, ctx: OperationContext, resource_id: str) -> None:
        """Delete the object; a 404 means it is already gone, which is what we want."""
        from ulplan.client.errors import NotFoundError

        try:
            self._group(ctx.client).delete(resource_id)
        except NotFoundError:
            return

    def after_create(self, ctx: OperationContext, raw: Raw, after: Mapping[str, Any]) -> Raw:
        """Follow-up requests once the object exists and is in state (a model's training)."""
        return raw

    def wait(self, ctx: OperationContext, raw: Raw, after: Mapping[str, Any]) -> Raw:
        """Wait until the object is ready, reporting progress; return its final dict."""
        return raw

    def _group(self, client: PlatformClient) -> Any:
        return getattr(client, self.kind + "s")


def contains_unknown(value: Any) -> bool:
    """Whether UNKNOWN appears anywhere in a (nested) value."""
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def dump(obj: Any) -> Raw:
    """A client result as a plain camelCase dict."""
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return dict(obj)
    result = obj.model_dump(mode="json")  # JSON-able: plans and state are saved as JSON
    assert isinstance(result, dict)
    return result


def snake_case(fields: Mapping[str, Any]) -> dict[str, Any]:
    """camelCase attribute names as the client's snake_case keyword arguments."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        name = "".join("_" + c.lower() if c.isupper() else c for c in key)
        out[name] = value
    return out


Poller = Callable[[], tuple[bool, Raw]]


def parse_time(value: Any) -> datetime | None:
    """An API or journal timestamp (ISO 8601, ``Z`` or offset) as an aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def made_after(raw: Raw, recorded_at: str) -> bool:
    """Whether the object was created after an intent journaled at ``recorded_at``.

    True when either time is unknown: the journal says the request was sent, and a
    platform that does not date its objects leaves us nothing better.
    """
    created, recorded = parse_time(raw.get("createdAt")), parse_time(recorded_at)
    if created is None or recorded is None:
        return True
    return created >= recorded - CLOCK_SLACK
