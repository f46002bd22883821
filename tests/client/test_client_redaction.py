"""The key reaches the Authorization header and nowhere else."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.client.client_fakes import KEY, Recorder, fail, ok
from ulplan import __version__
from ulplan.client import PlatformClient
from ulplan.client.config import Secret
from ulplan.client.errors import PlatformError

Build = Callable[..., PlatformClient]


def test_requests_carry_the_key_and_the_user_agent(make_client: Build) -> None:
    platform = Recorder(ok({"id": "project_1"}))
    make_client(platform).projects.get("project_1")
    request = platform.requests[0]
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["User-Agent"] == f"ulplan/{__version__}"
    assert str(request.url) == "https://platform.test/api/projects/project_1"


def test_repr_and_str_never_show_the_key(make_client: Build) -> None:
    client = make_client(Recorder(ok({"id": "x"})))
    shown = [repr(client), str(client), repr(client._transport), repr(client.projects), repr(Secret(KEY))]
    shown += [str(Secret(KEY)), repr(client._transport._http.auth)]
    for text in shown:
        assert KEY not in text


def test_debug_logs_show_the_request_but_not_the_key(
    make_client: Build, caplog: pytest.LogCaptureFixture
) -> None:
    answer = ok([{"id": "project_1"}], headers={"X-Request-Id": "req_abc"})
    client = make_client(Recorder(answer))
    with caplog.at_level(logging.DEBUG):
        client.projects.page(page=2, limit=5)
    ours = [r.getMessage() for r in caplog.records if r.name == "ulplan.client"]
    assert any(
        "GET /api/projects?page=2&limit=5 -> 200" in line and "req_abc" in line and " ms " in line
        for line in ours
    )
    assert all(KEY not in r.getMessage() for r in caplog.records)
    assert any("Bearer ul_***" in line for line in ours)


def test_failures_and_retries_are_logged_without_the_key(
    make_client: Build, caplog: pytest.LogCaptureFixture
) -> None:
    platform = Recorder(httpx.ConnectError(f"could not reach with {KEY}"), fail(500, "INTERNAL_ERROR", KEY))
    client = make_client(platform, max_retries=1)
    with caplog.at_level(logging.DEBUG), pytest.raises(PlatformError) as caught:
        client.projects.get("project_1")
    assert all(KEY not in r.getMessage() for r in caplog.records)
    assert any("retrying GET /api/projects/project_1" in r.getMessage() for r in caplog.records)
    assert KEY not in str(caught.value)


def test_a_transport_error_message_is_scrubbed(make_client: Build) -> None:
    client = make_client(Recorder(httpx.ConnectError(f"proxy said {KEY}")), max_retries=0)
    with pytest.raises(PlatformError) as caught:
        client.projects.get("project_1")
    assert KEY not in str(caught.value)
    assert KEY not in repr(caught.value)


def test_signed_link_signatures_are_not_logged(
    make_client: Build, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    url = "/api/files/blob_1?expires=99&signature=deadbeefcafe"
    files = ok({"files": [{"name": "best.pt", "url": url}]})
    seen: list[str] = []
    client = make_client(
        Recorder(files, httpx.Response(200, content=b"w")), on_request=lambda *a: seen.append(a[1])
    )
    with caplog.at_level(logging.DEBUG):
        client.models.download("model_1", tmp_path)
    assert all("deadbeefcafe" not in r.getMessage() for r in caplog.records if r.name == "ulplan.client")
    assert seen[-1] == "/api/files/blob_1?expires=99&signature=***"
