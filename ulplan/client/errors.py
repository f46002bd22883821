"""Errors raised by the Platform API client.

    UlplanError                                 (ulplan.errors)
    ├── ConfigError
    │   ├── MissingAPIKeyError                  no key in argument, env or settings file
    │   └── InvalidEndpointError                base URL that is not http(s)
    └── PlatformError                           .status .code .message .details .request_id
                                                .retry_after (from Retry-After, when sent)
        ├── APIError                            the platform answered with an error envelope
        │   ├── ValidationError                 VALIDATION_ERROR       400
        │   ├── UnauthorizedError               UNAUTHORIZED           401
        │   ├── InsufficientCreditsError        INSUFFICIENT_CREDITS   402
        │   ├── ForbiddenError                  FORBIDDEN              403
        │   ├── NotFoundError                   NOT_FOUND              404
        │   ├── ConflictError                   CONFLICT               409
        │   ├── PayloadTooLargeError            PAYLOAD_TOO_LARGE      413
        │   ├── RateLimitedError                RATE_LIMITED           429  (.retry_after; also
        │   │                                   raised unsent, status None, when pacing would wait
        │   │                                   longer than its limit)
        │   └── InternalError                   INTERNAL_ERROR         500 and any other 5xx
        ├── UnexpectedResponseError             a success answer not shaped as API.md says
        ├── WaitTimeoutError                    a job did not settle within the wait's timeout
        └── TransportError                      no usable answer came back
            ├── PlatformConnectionError         connect/read/write failed, protocol error
            │   └── PlatformUnreachableError    no connection made: nothing was sent
            ├── PlatformTimeoutError            a timeout expired
            └── ChecksumMismatchError           a download's sha256 is not the announced one

An answer whose code is unknown is classed by its HTTP status, and failing that is a
plain ``APIError``. httpx exceptions become ``TransportError`` subclasses in exactly one
place (``ulplan.client.transport``) and are chained with ``raise ... from exc``.

No text in this module ever holds the API key: messages and details are scrubbed of
anything shaped like a key before they are stored.
"""

from __future__ import annotations

import re
from typing import Any

from ulplan.errors import ConfigError, UlplanError

# Platform keys look like ``ul_`` + 40 hex digits; seeded emulator keys may be shorter,
# so anything ``ul_`` followed by 8+ key characters is treated as a key.
_KEY_PATTERN = re.compile(r"\bul_[A-Za-z0-9]{8,}")
REDACTED = "ul_***"


def scrub(text: str, secret: str | None = None) -> str:
    """Return ``text`` with ``secret`` and anything shaped like an API key masked."""
    if secret:
        text = text.replace(secret, REDACTED)
    return _KEY_PATTERN.sub(REDACTED, text)


def scrub_value(value: Any, secret: str | None = None) -> Any:
    """Scrub every string inside a JSON-like value (dicts, lists, scalars)."""
    if isinstance(value, str):
        return scrub(value, secret)
    if isinstance(value, dict):
        return {key: scrub_value(item, secret) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub_value(item, secret) for item in value]
    return value


class MissingAPIKeyError(ConfigError):
    """No API key was found in any of the places the client looks."""


class InvalidEndpointError(ConfigError):
    """The platform base URL is not an absolute http(s) URL."""


class PlatformError(UlplanError):
    """A request to the platform failed; carries what the platform said about it."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after  # seconds the platform asked to wait (Retry-After)
        self.message = scrub(message)
        self.status = status
        self.code = code or type(self).default_code
        self.details = scrub_value(details) if details else None
        self.request_id = request_id
        super().__init__(str(self))

    default_code = "ERROR"

    def __str__(self) -> str:
        where = [f"HTTP {self.status}"] if self.status else []
        if self.request_id:
            where.append(f"request id {self.request_id}")
        text = f"{self.code}: {self.message}"
        if where:
            text += f" ({', '.join(where)})"
        if self.details:
            text += " " + _format_details(self.details)
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


def _format_details(details: dict[str, Any]) -> str:
    return "[" + "; ".join(f"{key}: {value}" for key, value in details.items()) + "]"


class APIError(PlatformError):
    """The platform answered with an error envelope (or a bare error status)."""


class ValidationError(APIError):
    """VALIDATION_ERROR (400): ``details`` names each bad field."""

    default_code = "VALIDATION_ERROR"


class UnauthorizedError(APIError):
    """UNAUTHORIZED (401): the key is missing, unknown or revoked."""

    default_code = "UNAUTHORIZED"


class InsufficientCreditsError(APIError):
    """INSUFFICIENT_CREDITS (402): the balance cannot cover a training or checkout."""

    default_code = "INSUFFICIENT_CREDITS"


class ForbiddenError(APIError):
    """FORBIDDEN (403): the key lacks the scope this request needs."""

    default_code = "FORBIDDEN"


class NotFoundError(APIError):
    """NOT_FOUND (404): no such resource (or not this account's)."""

    default_code = "NOT_FOUND"


class ConflictError(APIError):
    """CONFLICT (409): a name or slug is taken, or a job is already (or not) active."""

    default_code = "CONFLICT"


class PayloadTooLargeError(APIError):
    """PAYLOAD_TOO_LARGE (413): an upload over the plan's limit."""

    default_code = "PAYLOAD_TOO_LARGE"


class RateLimitedError(APIError):
    """RATE_LIMITED (429): retries are exhausted or the wait would be too long."""

    default_code = "RATE_LIMITED"


class InternalError(APIError):
    """INTERNAL_ERROR (500) or any other 5xx answer, after retries."""

    default_code = "INTERNAL_ERROR"


class UnexpectedResponseError(PlatformError):
    """A success answer whose data does not have the shape of the documented object."""

    default_code = "UNEXPECTED_RESPONSE"


class WaitTimeoutError(PlatformError):
    """A training, export or deployment did not settle within the time given to wait."""

    default_code = "WAIT_TIMEOUT"


class TransportError(PlatformError):
    """No usable answer came back from the platform."""

    default_code = "TRANSPORT_ERROR"


class PlatformConnectionError(TransportError):
    """The connection failed (refused, reset, DNS, protocol error)."""

    default_code = "CONNECTION_ERROR"


class PlatformUnreachableError(PlatformConnectionError):
    """No connection could be made (refused, DNS, connect timeout): nothing was sent."""

    default_code = "UNREACHABLE"


class PlatformTimeoutError(TransportError):
    """A connect, read, write or pool timeout expired."""

    default_code = "TIMEOUT"


ERRORS_BY_CODE: dict[str, type[APIError]] = {
    cls.default_code: cls
    for cls in (
        ValidationError,
        UnauthorizedError,
        InsufficientCreditsError,
        ForbiddenError,
        NotFoundError,
        ConflictError,
        PayloadTooLargeError,
        RateLimitedError,
        InternalError,
    )
}
ERRORS_BY_STATUS: dict[int, type[APIError]] = {
    400: ValidationError,
    401: UnauthorizedError,
    402: InsufficientCreditsError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitedError,
}


def error_class_for(code: str | None, status: int) -> type[APIError]:
    """Pick the exception class for an error answer: by code, else by status."""
    if code and code in ERRORS_BY_CODE:
        return ERRORS_BY_CODE[code]
    if status in ERRORS_BY_STATUS:
        return ERRORS_BY_STATUS[status]
    if status >= 500:
        return InternalError
    return APIError


class ChecksumMismatchError(TransportError):
    """A downloaded file's sha256 differs from the one the platform announced."""

    default_code = "CHECKSUM_MISMATCH"
