"""Diagnostics: every problem found in the manifests, with its place, collected not raised.

A user fixes five mistakes in one round, not five rounds: loading never stops at the
first problem, it records a :class:`Diagnostic` and goes on.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ulplan.errors import UlplanError


class Severity(enum.StrEnum):
    """How bad a diagnostic is: errors stop plan and apply, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A 1-based position in a manifest file."""

    file: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem: severity, a one-line summary, an optional detail and its place."""

    severity: Severity
    summary: str
    detail: str = ""
    location: SourceLocation | None = None

    def format(self) -> str:
        """``file:3:7: error: summary`` then the detail, indented, on the next lines."""
        head = f"{self.severity.value}: {self.summary}"
        if self.location is not None:
            head = f"{self.location}: {head}"
        if not self.detail:
            return head
        detail = "\n".join(f"  {line}" for line in self.detail.splitlines())
        return f"{head}\n{detail}"

    def to_json(self) -> dict[str, object]:
        """The diagnostic as a flat JSON object, for ``validate --json`` and tools."""
        loc = self.location
        return {
            "severity": self.severity.value,
            "summary": self.summary,
            "detail": self.detail,
            "file": str(loc.file) if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
        }


class ManifestError(UlplanError):
    """The manifests have errors; carries every diagnostic, formatted in the message."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        errors = sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)
        body = "\n".join(d.format() for d in self.diagnostics)
        super().__init__(f"{errors} error(s) in the manifests:\n{body}")


class Diagnostics:
    """An ordered collector of diagnostics, shared by every stage of loading."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, summary: str, location: SourceLocation | None = None, detail: str = "") -> None:
        """Record an error."""
        self.items.append(Diagnostic(Severity.ERROR, summary, detail, location))

    def warning(self, summary: str, location: SourceLocation | None = None, detail: str = "") -> None:
        """Record a warning."""
        self.items.append(Diagnostic(Severity.WARNING, summary, detail, location))

    @property
    def has_errors(self) -> bool:
        """True when any recorded diagnostic is an error."""
        return any(d.severity is Severity.ERROR for d in self.items)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ``Did you mean "x"?`` hint for a misspelt word, or "" when nothing is close."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f'Did you mean "{matches[0]}"?' if matches else ""


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    """Order diagnostics by file and position, those without a place first."""
    loc = diagnostic.location
    if loc is None:
        return ("", 0, 0, diagnostic.summary)
    return (str(loc.file), loc.line, loc.column, diagnostic.summary)
