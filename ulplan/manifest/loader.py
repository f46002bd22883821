"""``load_manifests``: files in, validated resources, outputs, graph and diagnostics out.

Loading never raises for bad input: every stage records diagnostics and goes on with
what is valid, so one run reports every mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ulplan.graph import Graph
from ulplan.manifest import linking
from ulplan.manifest.diagnostics import Diagnostics, sort_key
from ulplan.manifest.discovery import display_path, find_files, manifest_root
from ulplan.manifest.documents import Entries, duplicates, read_document
from ulplan.manifest.enums import SECTIONS
from ulplan.manifest.files import resolve_model_file
from ulplan.manifest.loaded import LoadedManifests, LoadOptions, OutputSpec, ResourceSpec
from ulplan.manifest.resources import Draft, build_draft
from ulplan.manifest.specs import ModelSpec, VariableSpec
from ulplan.manifest.substitution import Substitution
from ulplan.manifest.validation import Place, validate
from ulplan.manifest.variables import Variable, resolve_values
from ulplan.manifest.yamlsource import load_yaml


def load_manifests(paths: Sequence[Path], options: LoadOptions | None = None) -> LoadedManifests:
    """Load, validate and link every manifest under ``paths`` (default: the current folder).

    Never raises for bad input; check ``has_errors`` or call ``raise_for_errors()``.
    """
    options = options or LoadOptions()
    paths = [Path(p) for p in paths] or [Path(".")]
    diags = Diagnostics()
    result = LoadedManifests(root=manifest_root(paths))
    try:
        _Loader(paths, options, diags, result).run()
    except Exception as exc:  # the last guard: a bug must still end in a diagnostic
        diags.error(f"internal error while loading manifests: {type(exc).__name__}: {exc}")
    result.diagnostics = sorted(diags.items, key=sort_key)
    return result


class _Loader:
    """One loading run; stages share the diagnostics and the result being built."""

    def __init__(self, paths: list[Path], options: LoadOptions, diags: Diagnostics, result: LoadedManifests):
        self.paths = paths
        self.options = options
        self.diags = diags
        self.result = result
        self.entries = Entries()
        self.unreadable = False
        self._declared: set[str] = set()

    def run(self) -> None:
        self._read_files()
        variables = self._variables()
        subst = Substitution(variables, frozenset(self._declared), self.options.environ, self.diags)
        resource_entries = duplicates(
            self.entries.resources, lambda e: SECTIONS[e.section], lambda e: (e.section, e.name), self.diags
        )
        defined = {f"{SECTIONS[e.section]}.{e.name}": SECTIONS[e.section] for e in resource_entries}
        drafts = {d.address: d for e in resource_entries if (d := build_draft(e, subst, self.diags))}
        self._outputs(subst)
        links = linking.Links()
        # With a file unreadable, its resources are unknown: a reference to one of them
        # is no mistake, so cross-file reference errors would only be noise.
        link_diags = Diagnostics() if self.unreadable else self.diags
        linking.link_references(drafts, defined, links, link_diags)
        for ref, target in linking.check_live(subst.live, defined, link_diags):
            source = self._owner(ref.path)
            if source is not None:
                links.add(source, target, ref.doc.text_at(ref.path, ref.placeholder.offset))
        self._check_slugs(drafts)
        self._finish(drafts, links)

    def _read_files(self) -> None:
        files = find_files(self.paths, self.options.var_files, self.diags)
        if not files and not self.diags.has_errors:
            shown = ", ".join(str(p) for p in self.paths)
            self.diags.error(f"no manifest files (*.yaml, *.yml) found in {shown}")
        for file in files:
            doc = load_yaml(file, self.diags, display_path(file))
            self.result.files.append(file)
            if doc is None:
                self.unreadable = True
            else:
                read_document(doc, file, self.entries, self.diags)

    def _variables(self) -> dict[str, Any]:
        entries = duplicates(self.entries.variables, lambda e: "variable", lambda e: e.name, self.diags)
        declared: dict[str, Variable] = {}
        for entry in entries:
            body = {} if entry.body is None else entry.body
            place = Place(entry.doc, entry.path, f"variable.{entry.name}")
            spec = validate(VariableSpec, body, place, self.diags)
            if spec is not None:
                has_default = spec.default is not None
                default_at = entry.doc.value_at((*entry.path, "default")) if has_default else None
                declared[entry.name] = Variable(entry.name, spec, has_default, entry.location, default_at)
        self._declared = {e.name for e in entries}
        opts = self.options
        values = resolve_values(declared, opts.variables, list(opts.var_files), opts.environ, self.diags)
        self.result.variables = values
        return values

    def _outputs(self, subst: Substitution) -> None:
        for entry in duplicates(self.entries.outputs, lambda e: "output", lambda e: e.name, self.diags):
            value = subst.apply(entry.body, entry.doc, entry.path)
            self.result.outputs[entry.name] = OutputSpec(entry.name, value, entry.location)

    def _owner(self, path: tuple[str | int, ...]) -> str | None:
        section, name = path[0], path[1]
        return f"{SECTIONS[section]}.{name}" if section in SECTIONS else None

    def _check_slugs(self, drafts: dict[str, Draft]) -> None:
        """Slugs are unique per account and kind on the platform; models only per project."""
        seen: dict[Any, Draft] = {}
        for draft in drafts.values():
            if draft.kind == "export":
                continue  # exports have no slug
            project = draft.spec.project if isinstance(draft.spec, ModelSpec) else None
            first = seen.setdefault((draft.kind, project, draft.slug), draft)
            if first is not draft:
                self.diags.error(
                    f'{draft.address}: slug "{draft.slug}" is also the slug of {first.address}',
                    draft.entry.location,
                    f"{first.address} is defined at {first.entry.location}; "
                    "slugs must differ within a kind (for models, within a project).",
                )

    def _finish(self, drafts: dict[str, Draft], links: linking.Links) -> None:
        for address, draft in drafts.items():
            self.result.resources[address] = self._resource(draft, links)
        graph = Graph(self.result.resources, links.edges)
        linking.check_cycles(graph, links, self.diags)
        self.result.graph = graph

    def _resource(self, draft: Draft, links: linking.Links) -> ResourceSpec:
        file_path = file_sha256 = None
        spec = draft.spec
        if isinstance(spec, ModelSpec) and spec.file is not None:
            where = draft.entry.doc.value_at((*draft.entry.path, "file"))
            root, allow = self.result.root, self.options.allow_outside_files
            found = resolve_model_file(spec.file, draft.entry.source, root, allow, where, self.diags)
            if found is not None:
                file_path, file_sha256 = found
        return ResourceSpec(
            address=draft.address,
            kind=draft.kind,
            name=draft.entry.name,
            slug=draft.slug,
            spec=spec,
            lifecycle=draft.lifecycle,
            location=draft.entry.location,
            depends_on=frozenset(links.edges.get(draft.address, ())),
            file_sha256=file_sha256,
            file_path=file_path,
        )
