"""Errors the emulator's store raises; each carries its HTTP status and API code.

    PlatformFault
    ├── InvalidRequest        400 VALIDATION_ERROR (details name each bad field)
    ├── Unauthorized          401 UNAUTHORIZED
    ├── InsufficientCredits   402 INSUFFICIENT_CREDITS
    ├── Forbidden             403 FORBIDDEN
    ├── NotFound              404 NOT_FOUND
    ├── Conflict              409 CONFLICT
    ├── PayloadTooLarge       413 PAYLOAD_TOO_LARGE
    ├── RateLimited           429 RATE_LIMITED (with retry_after)
    ├── InternalFault         500 INTERNAL_ERROR
    └── NotImplementedHere    501 NOT_IMPLEMENTED (predict without an inference backend)

The store knows nothing of HTTP beyond these numbers; one exception handler in app.py
renders every one of them into the API's error envelope.
"""

from __future__ import annotations

from typing import Any


class PlatformFault(Exception):
    """An API error: status, code, message and details, as the envelope shows them."""

    status = 500
    code = "INTERNAL_ERROR"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidRequest(PlatformFault):
    status, code = 400, "VALIDATION_ERROR"


class Unauthorized(PlatformFault):
    status, code = 401, "UNAUTHORIZED"


class InsufficientCredits(PlatformFault):
    status, code = 402, "INSUFFICIENT_CREDITS"


class Forbidden(PlatformFault):
    status, code = 403, "FORBIDDEN"


class NotFound(PlatformFault):
    status, code = 404, "NOT_FOUND"


class Conflict(PlatformFault):
    status, code = 409, "CONFLICT"


class PayloadTooLarge(PlatformFault):
    status, code = 413, "PAYLOAD_TOO_LARGE"


class RateLimited(PlatformFault):
    status, code = 429, "RATE_LIMITED"

    def __init__(self, message: str, retry_after: int, details: dict[str, Any] | None = None) -> None:
        super().__init__(message, details)
        self.retry_after = retry_after


class InternalFault(PlatformFault):
    status, code = 500, "INTERNAL_ERROR"


class NotImplementedHere(PlatformFault):
    status, code = 501, "NOT_IMPLEMENTED"
