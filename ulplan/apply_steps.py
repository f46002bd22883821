"""One step of apply: create, update, replace, delete or adopt one resource.

Each step resolves the plan's unknowns from the steps already done, runs the kind's
requests, waits when it must, and records in the state every change the platform made
before going on (see apply_state: steps run in parallel, writes are group-committed).
Before a create the intent is journaled, so a crash between the platform's answer and
the state write is healed on the next run.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ulplan.apply_state import AppliedState
from ulplan.changes import UNKNOWN, Action, Plan, ResourceChange
from ulplan.errors import UlplanError
from ulplan.events import Reporter
from ulplan.manifest.interpolate import resolve
from ulplan.resources import resource_type
from ulplan.resources.base import (
    CLOCK_SLACK,
    OperationContext,
    Raw,
    ResourceOperationError,
    ResourceType,
    contains_unknown,
    parse_time,
)
from ulplan.resources.diff import field_diffs
from ulplan.state import Intent, ResourceState

if TYPE_CHECKING:
    from ulplan.apply import ApplyOptions, ResourceResult
    from ulplan.client import PlatformClient
    from ulplan.state import StateBackend

# Kinds whose create is safe to retry: a second POST of the same slug is refused with 409,
# and the intent tells us the object is ours. Exports are not: once the first one finished,
# a repeat is accepted and makes a second export; deployments have no unique slug.
RETRY_SAFE_KINDS = frozenset({"project", "dataset", "model"})
# Fields a just-created object may not show yet as asked: started later, or still settling.
SETTLING_FIELDS = ("training", "state")


class StepRunner:
    """Runs single steps for the walk; owns the in-memory state and the apply-time lookups."""

    def __init__(
        self,
        plan: Plan,
        client: PlatformClient,
        backend: StateBackend,
        reporter: Reporter,
        options: ApplyOptions,
    ) -> None:
        self.plan = plan
        self.client = client
        self.backend = backend
        self.reporter = reporter
        self.options = options
        self.stop = threading.Event()
        self.state = AppliedState(backend)
        self.journal = backend.journal()
        self.exposed: dict[str, dict[str, Any]] = {
            c.address: dict(c.extra.get("known") or {}) for c in plan.changes
        }

    def run(self, change: ResourceChange) -> ResourceResult:
        """Run one step; never raises (a failure is a result, so the walk goes on)."""
        from ulplan.apply import ResourceResult

        self.reporter.started(change.address, change.action)
        try:
            resource_id = self._step(change)
        except UlplanError as exc:
            return self._failed(change, str(exc))
        except Exception as exc:  # a bug in one step must not abandon the others' state
            return self._failed(change, f"{type(exc).__name__}: {exc}")
        self.reporter.finished(change.address, change.action, resource_id)
        return ResourceResult(change.address, change.action, "ok", resource_id)

    def _failed(self, change: ResourceChange, message: str) -> ResourceResult:
        from ulplan.apply import ResourceResult

        self.reporter.failed(change.address, change.action, message)
        return ResourceResult(change.address, change.action, "failed", change.resource_id, message)

    # -- the step -------------------------------------------------------------------------

    def _step(self, change: ResourceChange) -> str | None:
        kind = resource_type(change.kind)
        if change.extra.get("forget"):
            self._forget(change.address)
            return change.resource_id
        if change.action is Action.DELETE:
            kind.delete(self._context(change), str(change.resource_id))
            self._forget(change.address)
            return change.resource_id
        after = self._after(change)
        ctx = self._context(change)
        if change.action is Action.NOOP:  # adopted: found by slug/match, now recorded
            raw = kind.get_live(self.client, str(change.resource_id))
            self._record(change, raw, after)
            return change.resource_id
        if change.action is Action.UPDATE:
            return self._update(kind, change, after, ctx)
        if change.action is Action.REPLACE:
            return self._replace(kind, change, after, ctx)
        return str(self._create(kind, change, after, ctx)["id"])

    def _update(self, kind: ResourceType, change: ResourceChange, after: Raw, ctx: OperationContext) -> str:
        resource_id = str(change.resource_id)
        raw = kind.update(ctx, resource_id, after, change.diffs)
        self._record(change, raw, after)
        self._record(change, kind.wait(ctx, raw, after), after)
        return resource_id

    def _replace(self, kind: ResourceType, change: ResourceChange, after: Raw, ctx: OperationContext) -> str:
        old_id = str(change.resource_id)
        if change.extra.get("create_before_destroy"):
            new = self._create(kind, change, after, ctx)
            kind.delete(ctx, old_id)
            return str(new["id"])
        kind.delete(ctx, old_id)
        self._forget(change.address)
        return str(self._create(kind, change, after, ctx)["id"])

    def _create(self, kind: ResourceType, change: ResourceChange, after: Raw, ctx: OperationContext) -> Raw:
        slug = change.extra.get("slug")
        intent = Intent(
            change.address,
            change.kind,
            slug,
            kind.intent_match(after, slug or ""),
            recorded_at=_now().isoformat(),
        )
        self.journal.record(intent)  # before the request: a lost answer is found again next run
        raw = self._send_create(kind, after, ctx, slug, intent)
        self._record(change, raw, after)
        self.journal.resolve(change.address)
        raw = kind.after_create(ctx, raw, after)
        raw = kind.wait(ctx, raw, after)
        self._record(change, raw, after)
        return raw

    def _send_create(
        self, kind: ResourceType, after: Raw, ctx: OperationContext, slug: str | None, intent: Intent
    ) -> Raw:
        """POST, retried by the client only where a repeat is refused (409); when the
        answer is lost or refused, the object our request made is looked up and adopted."""
        from ulplan.client.errors import (
            ConflictError,
            PlatformError,
            PlatformUnreachableError,
            TransportError,
        )

        retry_safe = kind.kind in RETRY_SAFE_KINDS
        try:
            return kind.create(ctx, after, retry_safe)
        except PlatformError as exc:
            sent = not isinstance(exc, PlatformUnreachableError)
            answer_lost = sent and (isinstance(exc, TransportError) or (exc.status or 0) >= 500)
            if not (isinstance(exc, ConflictError) and retry_safe) and not answer_lost:
                raise
            mine = self._find_own(kind, after, slug, intent)
            if mine is None:
                raise
            return mine

    def _find_own(self, kind: ResourceType, after: Raw, slug: str | None, intent: Intent) -> Raw | None:
        """After a lost answer or a 409 on a retried create: the object our request made.

        It must match as the plan would match it, be created after our intent, and have
        exactly the attributes we asked for, so an object someone else made in the
        meantime is never taken for ours.
        """
        found = kind.find_match(after, slug or "", kind.list_live(self.client))
        if found is None:
            return None
        created = parse_time(found.get("createdAt"))
        recorded = parse_time(intent.recorded_at)
        if created is None or recorded is None or created < recorded - CLOCK_SLACK:
            return None
        asked = {k: v for k, v in after.items() if k not in SETTLING_FIELDS}
        return found if not field_diffs(kind, kind.comparable(found, None, {}), asked) else None

    # -- values ----------------------------------------------------------------------------

    def _lookup(self, address: str, attribute: str) -> Any:
        value: Any = self.exposed.get(address, {})
        for part in attribute.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
        return value

    def _after(self, change: ResourceChange) -> Raw:
        """The planned attributes with every unknown now resolved from finished steps."""
        planned = dict(change.after or {})
        template = change.extra.get("template")
        if template:
            planned = fill_unknowns(planned, resolve(template, self._lookup))
        if contains_unknown(planned):
            raise ResourceOperationError(
                "some values are still unknown (a resource it depends on is missing)"
            )
        return planned

    def _context(self, change: ResourceChange) -> OperationContext:
        extra: dict[str, Any] = {k: change.extra[k] for k in ("filePath", "wait") if k in change.extra}
        if change.extra.get("awaitTraining"):
            extra["awaitTraining"] = resolve(change.extra["awaitTraining"], self._lookup)
        return OperationContext(
            client=self.client,
            address=change.address,
            reporter=self.reporter,
            stop=self.stop,
            timeouts=self.options.timeouts,
            poll_seconds=self.options.poll_seconds,
            extra=extra,
        )

    # -- state -----------------------------------------------------------------------------

    def _record(self, change: ResourceChange, raw: Raw, after: Raw) -> None:
        merged = {**self.exposed.get(change.address, {}), **{k: v for k, v in raw.items() if v is not None}}
        self.exposed[change.address] = merged
        attributes = dict(after)
        attributes.update({k: merged[k] for k in ("url", "uri") if merged.get(k)})
        entry = ResourceState(
            address=change.address,
            kind=change.kind,
            name=change.name,
            id=str(raw.get("id") or change.resource_id),
            attributes=attributes,
            file_sha256=after.get("fileSha256"),
            dependencies=sorted(change.depends_on),
            slug=change.extra.get("slug") or raw.get("slug"),
            updated_at=raw.get("updatedAt"),
        )
        self.state.record(entry)
        if change.extra.get("adopt"):
            self.journal.resolve(change.address)

    def _forget(self, address: str) -> None:
        self.state.forget(address)

    def finish(self, clean: bool) -> dict[str, Any]:
        """Resolve and store the outputs; after a clean run, clear the journal.

        Every create of a clean run was resolved, and intents of earlier runs were adopted
        or refer to objects that never came to be: keeping them could one day adopt an
        object that is not ours.
        """
        outputs = {} if self.plan.destroy else self._outputs()
        self.state.set_outputs(outputs)
        if clean:
            self.journal.clear()
        return outputs

    def _outputs(self) -> dict[str, Any]:
        """The manifest's outputs in their order: known now, else the value stored before
        (an output whose resource failed keeps its last value); removed outputs are dropped."""
        templates = {n: t for c in self.plan.changes for n, t in (c.extra.get("outputs") or {}).items()}
        outputs: dict[str, Any] = {}
        previous = self.state.outputs
        for name, planned in self.plan.outputs.items():
            value = resolve(templates[name], self._lookup) if name in templates else planned
            if contains_unknown(value) or value is None:
                value = previous.get(name)
            if value is not None:
                outputs[name] = value
        return outputs


def fill_unknowns(planned: Any, resolved: Any) -> Any:
    """``planned`` with each UNKNOWN replaced by the value at the same place in ``resolved``."""
    if planned is UNKNOWN:
        return resolved
    if isinstance(planned, Mapping) and isinstance(resolved, Mapping):
        return {k: fill_unknowns(v, resolved.get(k, v)) for k, v in planned.items()}
    return planned


def _now() -> datetime:
    return datetime.now(UTC)
