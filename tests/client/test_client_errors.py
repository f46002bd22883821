"""Every error answer becomes one exception of the tree, with status, code and request id."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.client.client_fakes import KEY, Recorder, fail, ok
from ulplan.client import PlatformClient
from ulplan.client import errors as e
from ulplan.errors import ConfigError, UlplanError

CASES = [
    (400, "VALIDATION_ERROR", e.ValidationError),
    (401, "UNAUTHORIZED", e.UnauthorizedError),
    (402, "INSUFFICIENT_CREDITS", e.InsufficientCreditsError),
    (403, "FORBIDDEN", e.ForbiddenError),
    (404, "NOT_FOUND", e.NotFoundError),
    (409, "CONFLICT", e.ConflictError),
    (413, "PAYLOAD_TOO_LARGE", e.PayloadTooLargeError),
    (429, "RATE_LIMITED", e.RateLimitedError),
    (500, "INTERNAL_ERROR", e.InternalError),
]


@pytest.mark.parametrize(("status", "code", "cls"), CASES)
def test_each_code_raises_its_class_with_everything_the_platform_said(
    make_client: Callable[..., PlatformClient], status: int, code: str, cls: type[e.APIError]
) -> None:
    answer = fail(status, code, "bad things", {"name": "too long"}, headers={"X-Request-Id": "req_42"})
    client = make_client(Recorder(answer), max_retries=0)
    with pytest.raises(cls) as caught:
        client.projects.get("project_1")
    error = caught.value
    assert (error.status, error.code, error.message) == (status, code, "bad things")
    assert error.details == {"name": "too long"}
    assert error.request_id == "req_42"
    assert str(error) == f"{code}: bad things (HTTP {status}, request id req_42) [name: too long]"
    assert isinstance(error, e.APIError) and isinstance(error, UlplanError)


@pytest.mark.parametrize(
    ("status", "cls"),
    [(400, e.ValidationError), (404, e.NotFoundError), (502, e.InternalError), (503, e.InternalError)],
)
def test_an_answer_without_envelope_is_classed_by_status(
    make_client: Callable[..., PlatformClient], status: int, cls: type[e.APIError]
) -> None:
    client = make_client(Recorder(httpx.Response(status, text="<html>proxy error</html>")), max_retries=0)
    with pytest.raises(cls) as caught:
        client.projects.get("project_1")
    assert caught.value.status == status
    assert caught.value.code == cls.default_code


def test_an_unknown_code_keeps_its_name_and_is_a_plain_api_error(
    make_client: Callable[..., PlatformClient],
) -> None:
    client = make_client(Recorder(fail(422, "TEAPOT_EMPTY", "no tea")))
    with pytest.raises(e.APIError) as caught:
        client.projects.get("project_1")
    assert type(caught.value) is e.APIError
    assert caught.value.code == "TEAPOT_EMPTY"


def test_a_success_status_with_a_body_that_is_not_json_is_an_error(
    make_client: Callable[..., PlatformClient],
) -> None:
    client = make_client(Recorder(httpx.Response(200, text="not json")))
    with pytest.raises(e.APIError, match="not JSON"):
        client.projects.get("project_1")


def test_a_success_false_envelope_is_an_error_even_with_status_200(
    make_client: Callable[..., PlatformClient],
) -> None:
    answer = httpx.Response(200, json={"success": False, "error": {"code": "CONFLICT", "message": "taken"}})
    client = make_client(Recorder(answer))
    with pytest.raises(e.ConflictError, match="taken"):
        client.projects.get("project_1")


def test_rate_limited_error_carries_retry_after(make_client: Callable[..., PlatformClient]) -> None:
    answer = fail(429, "RATE_LIMITED", "slow down", headers={"Retry-After": "7"})
    client = make_client(Recorder(answer), max_retries=0)
    with pytest.raises(e.RateLimitedError) as caught:
        client.projects.get("project_1")
    assert caught.value.retry_after == 7.0


@pytest.mark.parametrize(
    ("failure", "cls"),
    [
        (httpx.ConnectError("refused"), e.PlatformUnreachableError),
        (httpx.ReadError("reset by peer"), e.PlatformConnectionError),
        (httpx.RemoteProtocolError("bad"), e.PlatformConnectionError),
        (httpx.ReadTimeout("slow"), e.PlatformTimeoutError),
        (httpx.ConnectTimeout("slow"), e.PlatformTimeoutError),
    ],
)
def test_httpx_failures_are_translated_and_chained(
    make_client: Callable[..., PlatformClient], failure: Exception, cls: type[e.TransportError]
) -> None:
    client = make_client(Recorder(failure), max_retries=0)
    with pytest.raises(cls) as caught:
        client.projects.get("project_1")
    assert caught.value.__cause__ is failure
    assert isinstance(caught.value, e.TransportError)
    assert "GET /api/projects/project_1" in str(caught.value)


def test_a_key_echoed_by_the_platform_is_scrubbed_from_the_error(
    make_client: Callable[..., PlatformClient],
) -> None:
    answer = fail(401, "UNAUTHORIZED", f"unknown key {KEY}", {"key": KEY, "seen": [KEY]})
    client = make_client(Recorder(answer))
    with pytest.raises(e.UnauthorizedError) as caught:
        client.projects.get("project_1")
    text = str(caught.value) + repr(caught.value) + repr(caught.value.details) + caught.value.message
    assert KEY not in text
    assert "ul_***" in caught.value.message


def test_errors_belong_to_the_project_roots() -> None:
    assert issubclass(e.MissingAPIKeyError, ConfigError)
    assert issubclass(e.PlatformError, UlplanError)
    assert issubclass(e.PlatformUnreachableError, e.PlatformConnectionError)
    assert issubclass(e.ChecksumMismatchError, e.TransportError)


def test_a_success_answer_still_works_next_to_the_errors(make_client: Callable[..., PlatformClient]) -> None:
    client = make_client(Recorder(ok({"id": "project_1", "name": "P"})))
    assert client.projects.get("project_1").name == "P"
