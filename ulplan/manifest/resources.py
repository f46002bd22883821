"""Turning one resource block into a validated spec, lifecycle and slug."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ulplan.manifest.diagnostics import Diagnostics, did_you_mean
from ulplan.manifest.documents import Entry
from ulplan.manifest.enums import SECTIONS, SLUG_MAX_LENGTH, SLUG_PATTERN
from ulplan.manifest.specs import SPEC_TYPES, AnySpec, Lifecycle
from ulplan.manifest.substitution import Substitution
from ulplan.manifest.validation import Place, validate

_SLUG = re.compile(SLUG_PATTERN)


@dataclass(frozen=True)
class Draft:
    """A resource whose own block is valid; references are checked afterwards."""

    entry: Entry
    kind: str
    spec: AnySpec
    lifecycle: Lifecycle
    slug: str

    @property
    def address(self) -> str:
        """``<kind>.<name>``."""
        return f"{self.kind}.{self.entry.name}"


def build_draft(entry: Entry, subst: Substitution, diags: Diagnostics) -> Draft | None:
    """Validate one resource block; None (with diagnostics) when it is not valid."""
    kind = SECTIONS[entry.section]
    address = f"{kind}.{entry.name}"
    body: Any = {} if entry.body is None else entry.body
    if not isinstance(body, dict):
        diags.error(
            f"{address}: the definition must be a map of keys to values", entry.doc.value_at(entry.path)
        )
        return None
    body = subst.apply(body, entry.doc, entry.path)
    lifecycle = _lifecycle(entry, kind, body.pop("lifecycle", None), subst, diags)
    model = SPEC_TYPES[kind]
    place = Place(entry.doc, entry.path, address, skip=subst.failed, extra_keys=("lifecycle",))
    spec = validate(model, body, place, diags)
    slug = _slug(entry, spec, address, diags)
    if spec is None or lifecycle is None or slug is None:
        return None
    return Draft(entry, kind, spec, lifecycle, slug)  # type: ignore[arg-type]


def _lifecycle(
    entry: Entry, kind: str, raw: Any, subst: Substitution, diags: Diagnostics
) -> Lifecycle | None:
    address = f"{kind}.{entry.name}"
    base = (*entry.path, "lifecycle")
    place = Place(entry.doc, base, address, within=("lifecycle",), skip=subst.failed)
    lifecycle = validate(Lifecycle, {} if raw is None else raw, place, diags)
    if lifecycle is None:
        return None
    fields = list(SPEC_TYPES[kind].model_fields)
    valid = True
    for index, path in enumerate(lifecycle.ignore_changes):
        if path.split(".")[0] not in fields:
            hint = did_you_mean(path, fields) or "Fields: " + ", ".join(sorted(fields))
            where = entry.doc.value_at((*base, "ignore_changes", index))
            diags.error(f'{address}: ignore_changes names an unknown field "{path}"', where, hint)
            valid = False
    return lifecycle if valid else None


def _slug(entry: Entry, spec: Any, address: str, diags: Diagnostics) -> str | None:
    written = getattr(spec, "slug", None) if spec is not None else None
    if isinstance(written, str):
        return written
    if entry.section == "exports" or (_SLUG.match(entry.name) and len(entry.name) <= SLUG_MAX_LENGTH):
        return entry.name
    suggestion = re.sub(r"[^a-z0-9]+", "-", entry.name.lower()).strip("-") or "my-resource"
    diags.error(
        f'{address}: "{entry.name}" is not a valid platform slug',
        entry.location,
        f'The key is the platform slug unless `slug:` is set: rename it (e.g. "{suggestion}") '
        "or add a `slug:`. Slugs are lowercase letters, digits and single hyphens.",
    )
    return None
