"""The one place where the platform's JSON envelope is opened.

Success: ``{"success": true, "data": ..., "meta": {...}?}``. Failure:
``{"success": false, "error": {"code", "message", "details"}}``, turned into the
exception of ``ulplan.client.errors`` that matches its code (else its HTTP status).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ulplan.client.errors import APIError, error_class_for, scrub, scrub_value
from ulplan.client.retry import parse_retry_after

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class ApiResponse:
    """The unwrapped payload of one successful answer."""

    data: Any
    meta: dict[str, Any] | None
    status: int
    request_id: str | None


def request_id_of(response: httpx.Response) -> str | None:
    """The platform's id of this request (``X-Request-Id``), for support and logs."""
    value: str | None = response.headers.get("x-request-id")
    return value


def unwrap(response: httpx.Response, secret: str | None = None) -> ApiResponse:
    """Return the ``data``/``meta`` of a success envelope, or raise its ``APIError``."""
    request_id = request_id_of(response)
    if response.status_code == 204:
        return ApiResponse(None, None, 204, request_id)
    body = _json_body(response)
    if response.is_success and isinstance(body, dict):
        if body.get("success") is False:
            raise error_from(response, body, secret)
        if "success" not in body and "data" not in body:
            # A bare object (not our contract, but harmless to accept).
            return ApiResponse(body, None, response.status_code, request_id)
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else None
        return ApiResponse(body.get("data"), meta, response.status_code, request_id)
    raise error_from(response, body, secret)


def error_from(response: httpx.Response, body: Any, secret: str | None = None) -> APIError:
    """Build the exception for an error answer, its texts scrubbed of the key."""
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    status = response.status_code
    code = error.get("code") if isinstance(error.get("code"), str) else None
    message = error.get("message") if isinstance(error.get("message"), str) else None
    if message is None:
        message = _fallback_message(response, body)
    details = error.get("details") if isinstance(error.get("details"), dict) else None
    cls = error_class_for(code, status)
    return cls(
        scrub(message, secret),
        status=status,
        code=code,
        details=scrub_value(details, secret) if details else None,
        request_id=request_id_of(response),
        retry_after=parse_retry_after(response.headers.get("retry-after"), time.time()),
    )


def _json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _fallback_message(response: httpx.Response, body: Any) -> str:
    if body is None and response.is_success:
        return "the platform answered with a body that is not JSON"
    reason = response.reason_phrase or "error"
    return f"{reason} (the answer carried no error envelope)"
