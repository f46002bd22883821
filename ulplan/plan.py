"""Refresh + diff -> Plan. Building a plan has no side effects.

The planner gets the manifests, a read-only state reader and a read-only live source
(GET requests only). It matches every wanted resource to a live object (the id in state,
else the slug), diffs, chooses an action per resource, propagates unknowns to dependents,
prices what the plan starts, and returns a :class:`ulplan.changes.Plan`: plain data the
renderers show and the executor runs, with nothing else consulted.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ulplan.changes import UNKNOWN, Action, ActionReason, FieldDiff, Plan, ResourceChange
from ulplan.errors import UlplanError
from ulplan.graph import Graph, GraphCycleError
from ulplan.manifest.interpolate import references, resolve
from ulplan.resources import resource_type
from ulplan.resources.base import Raw, ResourceType, contains_unknown, made_after
from ulplan.resources.diff import field_diffs
from ulplan.resources.model import model_uri
from ulplan.resources.pricing import Pricer, mark_waits

if TYPE_CHECKING:
    from ulplan.manifest.loaded import LoadedManifests, ResourceSpec
    from ulplan.refresh import LiveSource
    from ulplan.state import Intent, ResourceState, State, StateReader


# Listings and training reads run side by side; the client paces them together.
REFRESH_THREADS = 8


class PlanError(UlplanError):
    """The plan cannot be made (an unknown target...)."""


@dataclass(frozen=True)
class PlanOptions:
    """How to plan: ``targets`` (with their dependencies), ``destroy``, ``fail_on_cost``.

    ``pending_intents`` are creates journaled by an earlier run that never reached the
    state: the object they made is adopted rather than reported as a conflict.
    """

    targets: tuple[str, ...] = ()
    destroy: bool = False
    fail_on_cost: bool = False
    pending_intents: tuple[Intent, ...] = ()
    manifest_root: str | None = None


@dataclass
class Known:
    """What the plan knows of a resource's live attributes; the rest is known after apply."""

    attributes: dict[str, Any]
    complete: bool

    def get(self, path: str) -> Any:
        """The attribute at a dotted ``path``: its value, None if absent, or UNKNOWN."""
        value: Any = self.attributes
        for part in path.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None if self.complete else UNKNOWN
            value = value[part]
        return value


def build_plan(
    manifests: LoadedManifests, reader: StateReader, source: LiveSource, options: PlanOptions
) -> Plan:
    """Compare the manifests with state and the platform; return what apply would do."""
    return _Planner(manifests, reader.read(), source, options).run()


class _Planner:
    """One plan in the making. Reads through ``source``; never writes anything."""

    def __init__(
        self, manifests: LoadedManifests, state: State, source: LiveSource, options: PlanOptions
    ) -> None:
        self.manifests = manifests
        self.state = state
        self.source = source
        self.options = options
        self.known: dict[str, Known] = {}
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.live: dict[str, list[Raw]] = {}
        self.by_id: dict[str, Raw] = {}
        self.training: dict[str, Raw | None] = {}
        self.claimed = {entry.id for entry in state.resources.values()}
        self.intents = {i.address: i for i in options.pending_intents if i.address not in state.resources}
        self.pricer = Pricer(source)

    def run(self) -> Plan:
        """Plan wanted resources in dependency order, then deletes in reverse order."""
        wanted, doomed = self._scope()
        self._refresh(wanted, doomed)
        changes = [self._plan_resource(self.manifests.resources[a]) for a in self._order(wanted)]
        changes += [self._plan_delete(entry) for entry in self._delete_order(doomed)]
        changes = mark_waits(changes, self.manifests.resources)
        self.errors += self.pricer.preflight(changes, self.options.fail_on_cost, self.warnings)
        return Plan(
            changes=tuple(changes),
            state_lineage=self.state.lineage,
            state_serial=self.state.serial,
            destroy=self.options.destroy,
            targets=tuple(self.options.targets),
            estimated_cost_micro_usd=sum(c.estimated_cost_micro_usd for c in changes),
            balance_micro_usd=self.pricer.balance,
            warnings=tuple(self.warnings),
            errors=tuple(self.errors),
            outputs={} if self.options.destroy else self._outputs(changes),
            manifest_root=self.options.manifest_root,
        )

    # -- scope and refresh ----------------------------------------------------------------

    def _scope(self) -> tuple[set[str], list[ResourceState]]:
        """Addresses to plan, and state entries to delete."""
        resources, graph, targets = self.manifests.resources, self.manifests.graph, self.options.targets
        unknown = [t for t in targets if t not in resources and t not in self.state.resources]
        if unknown:
            raise PlanError(f"no resource {', '.join(unknown)} in the manifests or the state")
        if self.options.destroy:
            doomed = set(self.state.resources)
            if targets:
                doomed = self._with_dependents(set(targets)) & doomed
            return set(), [self.state.resources[a] for a in sorted(doomed)]
        wanted = set(resources)
        if targets:
            wanted = set(graph.with_dependencies([t for t in targets if t in resources]))
        gone = [e for a, e in sorted(self.state.resources.items()) if a not in resources]
        if targets:
            gone = [e for e in gone if e.address in targets]
        return wanted, gone

    def _with_dependents(self, addresses: set[str]) -> set[str]:
        """``addresses`` and everything that depends on them (in state or in the manifests)."""
        result, frontier = set(addresses), list(addresses)
        while frontier:
            current = frontier.pop()
            users = {a for a, e in self.state.resources.items() if current in e.dependencies}
            users |= {a for a, r in self.manifests.resources.items() if current in r.depends_on}
            frontier += sorted(users - result)
            result |= users
        return result

    def _refresh(self, wanted: Iterable[str], doomed: Iterable[ResourceState]) -> None:
        """One listing per kind involved (projects too when models need their slugs), all
        kinds at once; then the training status of the managed models that have training."""
        wanted = list(wanted)
        kinds = sorted({self.manifests.resources[a].kind for a in wanted} | {e.kind for e in doomed})
        if "model" in kinds and "project" not in kinds:
            kinds.insert(0, "project")
        with cf.ThreadPoolExecutor(max_workers=REFRESH_THREADS) as pool:
            self.live = dict(zip(kinds, pool.map(self.source.list, kinds), strict=True))
            self.by_id = {raw["id"]: raw for objects in self.live.values() for raw in objects if "id" in raw}
            model_ids = [entry.id for entry in self._trained_models(wanted) if entry.id in self.by_id]
            self.training = dict(
                zip(model_ids, pool.map(self.source.training_status, model_ids), strict=True)
            )

    def _trained_models(self, wanted: Iterable[str]) -> list[ResourceState]:
        """State entries of wanted models whose manifest has training."""
        specs = [self.manifests.resources[a] for a in wanted]
        entries = [self.state.get(s.address) for s in specs if resource_type(s.kind).training_needed(s)]
        return [e for e in entries if e is not None]

    def _training_status(self, model_id: str) -> Raw | None:
        if model_id not in self.training:  # a model found by slug rather than by state
            self.training[model_id] = self.source.training_status(model_id)
        return self.training[model_id]

    def _order(self, wanted: set[str]) -> list[str]:
        return [a for a in self.manifests.graph.order() if a in wanted]

    # -- one wanted resource ---------------------------------------------------------------

    def _plan_resource(self, spec: ResourceSpec) -> ResourceChange:
        kind = resource_type(spec.kind)
        template = kind.template(spec)
        after = resolve(template, self._lookup)
        entry = self.state.get(spec.address)
        live, adopted = self._match(spec, after, entry)
        action, reason, before, after, diffs = self._compare(spec, after, entry, live)
        if action is Action.REPLACE and spec.lifecycle.prevent_destroy:
            self.errors.append(f"{spec.address} has lifecycle.prevent_destroy set, but the plan replaces it")
        if action is Action.REPLACE and spec.lifecycle.create_before_destroy:
            self._check_create_before_destroy(spec, kind, after, live)
        self._remember(spec, live, action, after)
        extra = self._extra(spec, template, adopted, live)
        return ResourceChange(
            address=spec.address,
            kind=spec.kind,
            name=spec.name,
            action=action,
            before=before,
            after=dict(after),
            diffs=tuple(diffs),
            reason=reason,
            resource_id=live["id"] if live else None,
            depends_on=tuple(sorted(spec.depends_on)),
            fingerprint=kind.fingerprint(live) if live else None,
            estimated_cost_micro_usd=self.pricer.training_cost(spec, action, after, diffs, self.by_id),
            extra=extra,
        )

    def _check_create_before_destroy(
        self, spec: ResourceSpec, kind: ResourceType, after: Raw, live: Raw | None
    ) -> None:
        """Slugs are unique on the platform, so a replacement that keeps the old object's slug
        cannot exist beside it: refuse at plan time rather than fail half-way through apply."""
        if live is None or not kind.has_slug or kind.find_match(after, spec.slug, [live]) is None:
            return
        self.errors.append(
            f"{spec.address} has lifecycle.create_before_destroy set, but its replacement would "
            f"keep the slug '{spec.slug}' that the object it replaces still holds, and slugs are "
            "unique on the platform: give it a new `slug:` in the same change, or drop "
            "create_before_destroy"
        )

    def _compare(
        self, spec: ResourceSpec, after: Raw, entry: ResourceState | None, live: Raw | None
    ) -> tuple[Action, ActionReason, Raw | None, Raw, list[FieldDiff]]:
        """The action for ``spec`` given its live object; before/after as the plan shows them."""
        if live is None:
            return Action.CREATE, (ActionReason.DRIFTED if entry else ActionReason.NEW), None, after, []
        kind = resource_type(spec.kind)
        needs_training = kind.training_needed(spec)
        extras = {"training": self._training_status(live["id"])} if needs_training else {}
        before = kind.comparable(live, entry.attributes if entry else None, extras)
        action, reason, diffs = self._decide(spec, before, after, live, extras)
        # An ignored field keeps its live value, so before == after for a no-op.
        after = {**after, **{k: before.get(k) for k in spec.lifecycle.ignore_changes if k in after}}
        return action, reason, {k: before.get(k) for k in after}, after, diffs

    def _decide(
        self, spec: ResourceSpec, before: Raw, after: Raw, live: Raw, extras: Mapping[str, Any]
    ) -> tuple[Action, ActionReason, list[FieldDiff]]:
        kind = resource_type(spec.kind)
        diffs = field_diffs(kind, before, after, spec.lifecycle.ignore_changes)
        diffs += kind.extra_diffs(before, after, live, extras)
        classify = getattr(kind, "classify", None)
        if classify is not None:
            diffs = classify(diffs, extras)
        forcing = [d for d in diffs if d.forces_replacement]
        if forcing:
            by_dependency = all(d.new is UNKNOWN for d in forcing)
            reason = ActionReason.REPLACE_BY_DEPENDENCY if by_dependency else ActionReason.REPLACE_BY_REQUEST
            return Action.REPLACE, reason, diffs
        if diffs:
            retrain = any(d.path.startswith("training") for d in diffs) and spec.kind == "model"
            return Action.UPDATE, (ActionReason.RETRAIN if retrain else ActionReason.NONE), diffs
        return Action.NOOP, ActionReason.NONE, diffs

    def _match(self, spec: ResourceSpec, after: Raw, entry: ResourceState | None) -> tuple[Raw | None, bool]:
        """The live object of ``spec``: by state id, else by slug/match; (object, adopted)."""
        if entry is not None:
            return self.by_id.get(entry.id), False
        kind = resource_type(spec.kind)
        candidates = [r for r in self.live.get(spec.kind, []) if r.get("id") not in self.claimed]
        found = kind.find_match(after, spec.slug, candidates)
        if found is None:
            return None, False
        intent = self.intents.get(spec.address)
        if not kind.has_slug or (intent is not None and made_after(found, intent.recorded_at)):
            self.claimed.add(found["id"])
            why = "an interrupted run created it" if spec.address in self.intents else "it matches"
            self.warnings.append(
                f"{spec.address}: {found['id']} exists ({why}); it will be recorded in state"
            )
            return found, True
        self.errors.append(
            f"{spec.address}: a {spec.kind} with slug {spec.slug!r} already exists on the platform "
            f"(id {found['id']}) and this state does not manage it. Run `ulplan import {spec.address} "
            f"{found['id']}` to manage it, or give the resource another slug."
        )
        self.claimed.add(found["id"])
        return None, False

    def _remember(self, spec: ResourceSpec, live: Raw | None, action: Action, after: Raw) -> None:
        """What ``${spec}.attr`` reads for the resources planned after this one."""
        kind = resource_type(spec.kind)
        if action in (Action.CREATE, Action.REPLACE) or live is None:
            attrs = {k: after.get(k) for k in kind.known_before_apply if after.get(k) is not UNKNOWN}
            if spec.kind in ("dataset", "model"):
                attrs["uri"] = self._uri(spec, after)
            if attrs.get("uri") is None:
                attrs.pop("uri", None)
            self.known[spec.address] = Known(attrs, complete=False)
            return
        exposed = kind.exposed(live, self.source.username(), {"projectSlugs": self._project_slugs()})
        exposed.update({k: v for k, v in after.items() if k in live})  # updated values, UNKNOWN too
        self.known[spec.address] = Known(exposed, complete=True)

    def _uri(self, spec: ResourceSpec, after: Raw) -> str | None:
        username = self.source.username()
        if spec.kind == "dataset":
            return f"ul://{username}/datasets/{after['slug']}" if username else None
        project = self._lookup_project_slug(spec)
        return model_uri(username, project, after.get("slug"))

    def _lookup_project_slug(self, spec: ResourceSpec) -> str | None:
        reference: Any = getattr(spec.spec, "project", None)
        address = reference.address("project")
        if address is not None:
            value = self._lookup(address, "slug")
            return None if value is UNKNOWN else value
        return self._project_slugs().get(str(reference.id))

    def _project_slugs(self) -> dict[str, str]:
        return {str(p["id"]): str(p.get("slug")) for p in self.live.get("project", [])}

    def _lookup(self, address: str, attribute: str) -> Any:
        known = self.known.get(address)
        return UNKNOWN if known is None else known.get(attribute)

    def _extra(self, spec: ResourceSpec, template: Raw, adopted: bool, live: Raw | None) -> dict[str, Any]:
        extra: dict[str, Any] = {
            "template": template,
            "slug": spec.slug,
            "known": self.known[spec.address].attributes,
            "create_before_destroy": spec.lifecycle.create_before_destroy,
        }
        if adopted:
            extra["adopt"] = True
        if spec.file_path is not None:
            extra["filePath"] = str(spec.file_path)
        return extra

    # -- deletes and outputs ------------------------------------------------------------

    def _plan_delete(self, entry: ResourceState) -> ResourceChange:
        kind = resource_type(entry.kind)
        live = self.by_id.get(entry.id)
        spec = self.manifests.resources.get(entry.address)
        reason = ActionReason.DESTROY if self.options.destroy else ActionReason.DELETE_NOT_IN_CONFIG
        if live is None:
            self.warnings.append(f"{entry.address} is gone from the platform; it will be removed from state")
        elif spec is not None and spec.lifecycle.prevent_destroy:
            self.errors.append(f"{entry.address} has lifecycle.prevent_destroy set, but the plan destroys it")
        before = kind.comparable(live, entry.attributes, {}) if live else dict(entry.attributes)
        return ResourceChange(
            address=entry.address,
            kind=entry.kind,
            name=entry.name,
            action=Action.DELETE if live is not None else Action.NOOP,
            before=before,
            after=None if live is not None else before,
            reason=reason if live is not None else ActionReason.NONE,
            resource_id=entry.id,
            depends_on=tuple(entry.dependencies),
            fingerprint=kind.fingerprint(live) if live else None,
            extra={"forget": True} if live is None else {},
        )

    def _delete_order(self, doomed: list[ResourceState]) -> list[ResourceState]:
        """Dependents before what they depend on (deterministic: kind order, then name)."""
        addresses = {e.address: e for e in doomed}
        graph = Graph(addresses, {e.address: e.dependencies for e in doomed})
        try:
            order = graph.reverse_order()
        except GraphCycleError:  # a hand-edited state; any order beats refusing to delete
            order = sorted(addresses, reverse=True)
        return [addresses[a] for a in order]

    def _outputs(self, changes: list[ResourceChange]) -> dict[str, Any]:
        """Each output's value as far as it is known now.

        An output still unknown keeps its expression in the ``extra`` of a change it
        depends on, so apply can resolve it from the plan alone once that change is made.
        """
        by_address = {c.address: c for c in changes}
        outputs = {}
        for name, output in self.manifests.outputs.items():
            value = resolve(output.value, self._lookup)
            outputs[name] = value
            if contains_unknown(value):
                holders = [a for a, _ in sorted(references(output.value)) if a in by_address]
                if holders:
                    by_address[holders[0]].extra.setdefault("outputs", {})[name] = output.value
        return outputs
