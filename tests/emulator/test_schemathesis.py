"""Fuzz every operation of /api/openapi.json: no answer may be a server error.

Bounded to a few examples per operation so the whole run takes seconds. GDPR is left
out: a generated ``{"action": "delete"}`` would delete the fuzzing account itself (its
paths are covered by the contract tests).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.support.emulator import Emulator, start_thread_emulator
from ulplan.emulator.app import create_app
from ulplan.emulator.config import EmulatorConfig


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """One emulator for the whole fuzzing run (starting one per operation would dominate)."""
    emulator = start_thread_emulator(Path(tmp_path_factory.mktemp("fuzz")))
    yield emulator
    emulator.stop()


def _document() -> dict[str, Any]:
    """The OpenAPI document an emulator serves, built without a server so that pytest can
    collect one test per operation (schemathesis' lazy fixture loading does not run on
    this pytest); ``test_served_document_is_the_fuzzed_one`` checks the two agree."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(EmulatorConfig(db_path=Path(folder) / "schema.db"))
        try:
            document: dict[str, Any] = app.openapi()
        finally:
            app.state.store.close()
    return document


DOCUMENT = _document()
schema = schemathesis.openapi.from_dict(DOCUMENT).exclude(path="/api/gdpr")


def test_served_document_is_the_fuzzed_one(live: Emulator) -> None:
    assert httpx.get(f"{live.url}/api/openapi.json").json() == DOCUMENT


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case: Any, live: Emulator) -> None:
    case.call_and_validate(
        base_url=live.url, headers={"Authorization": f"Bearer {live.key}"}, checks=[not_a_server_error]
    )
