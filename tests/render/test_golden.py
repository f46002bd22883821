"""Golden renders of hand-built plans: text (no colour), JSON and markdown.

Regenerate after an intended change with ``ULPLAN_UPDATE_GOLDEN=1 pytest tests/render``
and review the diff of tests/render/golden/ like any other change.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.render.plans import PLANS
from ulplan import __version__
from ulplan.changes import Plan
from ulplan.render.json import plan_to_json
from ulplan.render.markdown import plan_to_markdown
from ulplan.render.text import plan_to_text

GOLDEN = Path(__file__).parent / "golden"
RENDERERS: dict[str, Callable[[Plan], str]] = {
    "txt": lambda plan: plan_to_text(plan, color=False),
    "json": lambda plan: json.dumps(_versionless(plan_to_json(plan)), indent=2, sort_keys=True) + "\n",
    "md": plan_to_markdown,
}


def _versionless(data: dict[str, Any]) -> dict[str, Any]:
    """The golden files must not change with every release."""
    assert data["ulplan_version"] == __version__
    return {**data, "ulplan_version": "<version>"}


@pytest.mark.parametrize("suffix", sorted(RENDERERS))
@pytest.mark.parametrize("name", sorted(PLANS))
def test_render_matches_golden(name: str, suffix: str) -> None:
    got = RENDERERS[suffix](PLANS[name]())
    path = GOLDEN / f"{name}.{suffix}"
    if os.environ.get("ULPLAN_UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8"), f"{path} differs; see the module docstring to update"
