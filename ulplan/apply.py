"""Executing a Plan: a parallel graph walk that writes state after every resource.

The executor is driven by the plan alone (from memory or a saved file): it never reads
the manifests or the flags that made it. A resource starts when everything it depends
on succeeded; deletes run after whatever depended on the deleted resource; a failure
skips the failed resource's dependents while the rest goes on. Ctrl-C stops starting new
work, lets in-flight requests finish (waits end at once), and every finished step is
already in the state. The caller holds the state lock for the whole run.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ulplan.apply_steps import StepRunner
from ulplan.changes import Action, Plan, ResourceChange
from ulplan.errors import UlplanError
from ulplan.events import Reporter
from ulplan.freshness import check_fresh
from ulplan.resources import resource_type
from ulplan.state import ResourceState, State
from ulplan.waits import DEFAULT_TIMEOUTS

if TYPE_CHECKING:
    from ulplan.client import PlatformClient
    from ulplan.manifest.loaded import LoadedManifests
    from ulplan.state import StateBackend


@dataclass(frozen=True)
class ApplyOptions:
    """How to run: ``parallelism`` workers, per-kind wait ``timeouts``, first poll interval.

    Polls start quick (short jobs finish without idle waiting) and slow down to a few
    seconds, so long trainings cost few requests.
    """

    parallelism: int = 10
    timeouts: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_TIMEOUTS))
    poll_seconds: float = 0.2


@dataclass(frozen=True)
class ResourceResult:
    """What happened to one address: ``status`` is ok, failed, skipped or not started."""

    address: str
    action: Action
    status: str
    resource_id: str | None = None
    error: str | None = None

    @property
    def outcome(self) -> str:
        """succeeded, failed or skipped, as the apply summary counts them."""
        return {"ok": "succeeded", "failed": "failed"}.get(self.status, "skipped")


@dataclass
class ApplyResult:
    """Every address's result, in plan order, and whether the run was interrupted."""

    results: list[ResourceResult]
    interrupted: bool = False
    outputs: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every step succeeded."""
        return not self.interrupted and all(r.status == "ok" for r in self.results)


def needs_work(change: ResourceChange) -> bool:
    """Whether apply does anything for ``change`` (state-only steps count)."""
    if change.action not in (Action.NOOP, Action.READ):
        return True
    return bool(change.extra.get("adopt") or change.extra.get("forget"))


def has_work(plan: Plan, state: State) -> bool:
    """Whether applying ``plan`` would do anything: a step, or outputs to store anew."""
    return any(needs_work(c) for c in plan.changes) or plan.outputs != state.outputs


def apply_plan(
    plan: Plan,
    client: PlatformClient,
    backend: StateBackend,
    reporter: Reporter,
    options: ApplyOptions | None = None,
) -> ApplyResult:
    """Run ``plan``; the caller holds the state lock. Refuses a stale or failed plan."""
    from ulplan.plan import PlanError

    if plan.errors:
        raise PlanError(
            "the plan has errors and cannot be applied:\n" + "\n".join(f"  - {e}" for e in plan.errors)
        )
    options = options or ApplyOptions()
    check_fresh(plan, client, backend, options.parallelism)
    return _Walk(plan, StepRunner(plan, client, backend, reporter, options), options).run()


class _Walk:
    """The graph walk over the changes that need work."""

    def __init__(self, plan: Plan, runner: StepRunner, options: ApplyOptions) -> None:
        self.plan = plan
        self.runner = runner
        self.options = options
        self.nodes = [c for c in plan.changes if needs_work(c)]
        self.deps = dependencies(self.nodes)
        self.results: dict[str, ResourceResult] = {}
        self.interrupted = False

    def run(self) -> ApplyResult:
        """Start every ready step, collect results, until nothing more can run."""
        pending = {c.address: c for c in self.nodes}
        running: dict[cf.Future[ResourceResult], str] = {}
        with cf.ThreadPoolExecutor(max_workers=max(1, self.options.parallelism)) as pool:
            while pending or running:
                if not self.interrupted:
                    self._skip_blocked(pending)
                    self._submit_ready(pool, pending, running)
                if not running:
                    break
                self._collect(running)
        for address, change in pending.items():
            self.results[address] = ResourceResult(address, change.action, "not started")
        ordered = [self.results[c.address] for c in self.nodes if c.address in self.results]
        clean = not self.interrupted and all(r.status == "ok" for r in ordered)
        return ApplyResult(ordered, self.interrupted, self.runner.finish(clean))

    def _submit_ready(
        self, pool: cf.ThreadPoolExecutor, pending: dict[str, ResourceChange], running: dict[Any, str]
    ) -> None:
        for address, change in list(pending.items()):
            if all(self._status(d) == "ok" for d in self.deps[address]):
                del pending[address]
                running[pool.submit(self.runner.run, change)] = address

    def _skip_blocked(self, pending: dict[str, ResourceChange]) -> None:
        """Skip steps whose dependency failed or was skipped (transitively, by repetition)."""
        changed = True
        while changed:
            changed = False
            for address, change in list(pending.items()):
                blocked = [d for d in self.deps[address] if self._status(d) in ("failed", "skipped")]
                if blocked:
                    del pending[address]
                    because = f"{blocked[0]} {self._status(blocked[0])}"
                    self.results[address] = ResourceResult(address, change.action, "skipped", error=because)
                    self.runner.reporter.skipped(address, change.action, because)
                    changed = True

    def _collect(self, running: dict[cf.Future[ResourceResult], str]) -> None:
        try:
            done, _ = cf.wait(list(running), timeout=0.25, return_when=cf.FIRST_COMPLETED)
        except KeyboardInterrupt:
            self._interrupt()
            return
        for future in done:
            address = running.pop(future)
            self.results[address] = future.result()

    def _interrupt(self) -> None:
        """Ctrl-C: start nothing new; waits end at once; requests in flight finish."""
        self.interrupted = True
        self.runner.stop.set()

    def _status(self, address: str) -> str:
        result = self.results.get(address)
        return result.status if result else "pending"


def dependencies(nodes: list[ResourceChange]) -> dict[str, set[str]]:
    """For each step, the steps it must wait for.

    A create/update/replace waits for the steps of what it depends on. Anything that
    deletes an object (a delete, or the first half of a replace) also waits for the
    deletes of what depended on it, so dependents go first.
    """
    by_address = {c.address: c for c in nodes}
    deps: dict[str, set[str]] = {c.address: set() for c in nodes}
    for change in nodes:
        if change.action is not Action.DELETE:
            deps[change.address] |= {d for d in change.depends_on if d in by_address}
    for change in nodes:
        if change.action is not Action.DELETE:
            continue
        for target in change.depends_on:
            target_change = by_address.get(target)
            if target_change is not None and target_change.action in (Action.DELETE, Action.REPLACE):
                deps[target].add(change.address)
    return deps


class ImportRefusedError(UlplanError):
    """``ulplan import`` cannot adopt the object as asked."""


def import_resource(
    manifests: LoadedManifests, address: str, resource_id: str, client: PlatformClient, backend: StateBackend
) -> ResourceState:
    """Record the live object ``resource_id`` as ``address``, exactly as a create would.

    The recorded attributes are the live ones, so the next plan shows precisely where
    the manifest and the object differ (nothing, when they match). The caller holds the lock.
    """
    from ulplan.client.errors import NotFoundError

    spec = manifests.resources.get(address)
    if spec is None:
        raise ImportRefusedError(
            f"no resource {address} in the manifests: add it there first, then import it"
        )
    state = backend.read()
    _check_unmanaged(state, address, resource_id)
    kind = resource_type(spec.kind)
    try:
        raw = kind.get_live(client, resource_id)
    except NotFoundError:
        raise ImportRefusedError(f"there is no {spec.kind} with id {resource_id} on the platform") from None
    status = client.training.status(resource_id) if kind.training_needed(spec) else None
    extras = {"training": status.model_dump(mode="json") if status is not None else None}
    attributes = kind.imported(spec, kind.comparable(raw, None, extras))
    entry = ResourceState(
        address=address,
        kind=spec.kind,
        name=spec.name,
        id=resource_id,
        attributes={k: v for k, v in attributes.items() if v is not None},
        file_sha256=attributes.get("fileSha256"),
        dependencies=sorted(spec.depends_on),
        slug=raw.get("slug") or spec.slug,
        updated_at=raw.get("updatedAt"),
    )
    state.set(entry)
    backend.write(state)
    return entry


def _check_unmanaged(state: State, address: str, resource_id: str) -> None:
    """Refuse to import over a managed address, or an object managed under another one."""
    if address in state.resources:
        managed = state.resources[address].id
        raise ImportRefusedError(
            f"{address} is already managed (id {managed}); `ulplan state rm {address}` first"
        )
    owner = next((e.address for e in state.resources.values() if e.id == resource_id), None)
    if owner is not None:
        raise ImportRefusedError(f"{resource_id} is already managed as {owner}")
