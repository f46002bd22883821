"""Cross-resource checks: references exist, live ``${...}`` attributes exist, edges, cycles."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from ulplan.graph import Graph
from ulplan.manifest.diagnostics import Diagnostics, SourceLocation, did_you_mean
from ulplan.manifest.enums import ATTRIBUTES, KINDS
from ulplan.manifest.interpolate import has_placeholder
from ulplan.manifest.resources import Draft
from ulplan.manifest.specs import Reference
from ulplan.manifest.substitution import LiveReference
from ulplan.manifest.yamlsource import YamlPath

# The kind a reference field points to, by field name.
_REFERENCE_KINDS = {"project": "project", "dataset": "dataset", "model": "model"}


@dataclass
class Links:
    """Dependency edges between addresses, each with the place it was written."""

    edges: dict[str, set[str]] = field(default_factory=dict)
    places: dict[tuple[str, str], SourceLocation] = field(default_factory=dict)

    def add(self, source: str, target: str, where: SourceLocation) -> None:
        """Record that ``source`` depends on ``target`` because of what is at ``where``."""
        self.edges.setdefault(source, set()).add(target)
        self.places.setdefault((source, target), where)


def references_in(spec: BaseModel, path: YamlPath = ()) -> Iterator[tuple[YamlPath, str, Reference]]:
    """Every reference field of a spec: (path in the block, target kind, reference)."""
    for name in type(spec).model_fields:
        value = getattr(spec, name)
        if isinstance(value, Reference):
            yield (*path, name), _REFERENCE_KINDS[name], value
        elif isinstance(value, BaseModel):
            yield from references_in(value, (*path, name))


def link_references(
    drafts: Mapping[str, Draft], defined: Mapping[str, str], links: Links, diags: Diagnostics
) -> None:
    """Check every reference field names a resource of its kind, and add its edge.

    ``defined`` maps every address written in the manifests (valid or not) to its kind,
    so a reference to a resource with its own errors is not reported again.
    """
    for address, draft in drafts.items():
        doc, base = draft.entry.doc, draft.entry.path
        for path, kind, ref in references_in(draft.spec):
            where = doc.value_at((*base, *path))
            target = ref.address(kind)
            if target is None:
                continue  # {id: ...}: a resource ulplan does not manage
            if has_placeholder(target):
                diags.error(
                    f"{address}: {'.'.join(map(str, path))} must be a manifest name or {{id: ...}}, "
                    "not a ${...} reference",
                    where,
                    f"Write `{path[-1]}: <name>` to depend on a {kind} of these manifests.",
                )
            elif target not in defined:
                names = [a.partition(".")[2] for a, k in defined.items() if k == kind]
                hint = did_you_mean(ref.name or "", names) or _none_hint(kind, names)
                diags.error(f'{address}: unknown {kind} "{ref.name}"', where, hint)
            else:
                links.add(address, target, where)


def _none_hint(kind: str, names: list[str]) -> str:
    if not names:
        return f"No {kind} is defined in these manifests; use {{id: ...}} for one ulplan does not manage."
    return f"Known {kind}s: " + ", ".join(sorted(names))


def check_live(
    live: list[LiveReference], known: Mapping[str, str], diags: Diagnostics
) -> list[tuple[LiveReference, str]]:
    """The live references that name a known address and attribute, with that address.

    ``known`` maps each valid address to its kind; others get a diagnostic.
    """
    valid = []
    all_names = [a.partition(".")[2] for a in known]
    for ref in live:
        placeholder = ref.placeholder
        where = ref.doc.text_at(ref.path, placeholder.offset)
        kind = placeholder.kind
        if kind not in KINDS:
            hint = did_you_mean(kind, (*KINDS, "var", "env"))
            diags.error(f'unknown reference "{placeholder.text}": "{kind}" is not a kind', where, hint)
        elif placeholder.address not in known:
            names = [a.partition(".")[2] for a, k in known.items() if k == kind]
            hint = did_you_mean(placeholder.name, names or all_names)
            diags.error(
                f'unknown reference "{placeholder.text}": no {kind} "{placeholder.name}"', where, hint
            )
        elif (placeholder.attr or "").split(".")[0] not in ATTRIBUTES[kind]:
            attrs = ATTRIBUTES[kind]
            hint = did_you_mean(placeholder.attr or "", attrs) or "Attributes: " + ", ".join(attrs)
            diags.error(
                f'unknown reference "{placeholder.text}": a {kind} has no "{placeholder.attr}"', where, hint
            )
        else:
            valid.append((ref, placeholder.address))
    return valid


def check_cycles(graph: Graph, links: Links, diags: Diagnostics) -> None:
    """Report one cycle, if any, with the place of each of its edges."""
    cycle = graph.find_cycle()
    if cycle is None:
        return
    steps = list(zip(cycle, cycle[1:], strict=False))
    detail = "\n".join(f"{a} depends on {b} at {links.places[(a, b)]}" for a, b in steps)
    diags.error("dependency cycle: " + " -> ".join(cycle), links.places[steps[0]], detail)
