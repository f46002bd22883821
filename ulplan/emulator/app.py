"""The emulator's FastAPI application, built by a factory (no module globals)."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ulplan.emulator.clock import Clock
from ulplan.emulator.config import EmulatorConfig
from ulplan.emulator.envelope import error_body
from ulplan.emulator.errors import PlatformFault, RateLimited
from ulplan.emulator.faults import FaultMiddleware
from ulplan.emulator.ratelimit import RateLimitMiddleware
from ulplan.emulator.routes import (
    account,
    activity,
    api_keys,
    billing,
    datasets,
    deployments,
    exports,
    files,
    gdpr,
    health,
    models,
    projects,
    storage,
    training,
    trash,
)
from ulplan.emulator.store import Store

log = logging.getLogger("ulplan.emulator")

DESCRIPTION = """\
A local emulator of the Ultralytics Platform REST API, served by `ulplan serve`.

**This is an emulation.** Projects, datasets, models, files, trash, billing, storage,
API keys and rate limits behave as the platform's API describes. Training, exports and
deployments are *emulated*: their state machines, timings, billing and events are real,
but no model is trained, converted or served, and predict answers that inference is not
available. Payments are emulated too: a checkout URL credits the account when visited.
"""

TICK_SECONDS = 0.1
API_ROUTES: tuple[ModuleType, ...] = (
    account,
    projects,
    datasets,
    models,
    files,
    training,
    exports,
    deployments,
)
API_ROUTES += (activity, trash, billing, storage, gdpr, api_keys)
HTTP_CODES = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMITED",
}


def create_app(config: EmulatorConfig, clock: Clock | None = None) -> FastAPI:
    """An emulator instance over the database ``config.db_path``."""
    store = Store(config, clock)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        ticker = threading.Thread(target=_tick_until, args=(store, stop), name="emulator-jobs", daemon=True)
        ticker.start()
        try:
            yield
        finally:
            stop.set()
            ticker.join(timeout=5)

    app = FastAPI(
        title="Ultralytics Platform API (ulplan emulator)",
        description=DESCRIPTION,
        version="1",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.config = config
    _install_error_handlers(app)
    # The last added is outermost: rate limiting sees (and adds headers to) injected faults.
    app.add_middleware(FaultMiddleware, config=config)
    app.add_middleware(RateLimitMiddleware, store=store, config=config)
    app.include_router(health.router)
    for module in API_ROUTES:
        app.include_router(module.router, prefix="/api")
    return app


def _tick_until(store: Store, stop: threading.Event) -> None:
    """Advance emulated jobs in the background so events fire without being polled."""
    while not stop.wait(TICK_SECONDS):
        try:
            store.tick()
        except Exception:  # a job bug must not kill the ticker; it is logged and retried
            log.exception("emulated job tick failed")


def _install_error_handlers(app: FastAPI) -> None:
    """One place turns every error into the API's envelope."""

    @app.exception_handler(PlatformFault)
    async def platform_fault(_request: Request, exc: PlatformFault) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return JSONResponse(error_body(exc.code, exc.message, exc.details), exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = {"fields": [_field_error(error) for error in exc.errors()]}
        return JSONResponse(error_body("VALIDATION_ERROR", "The request is not valid", details), 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "INTERNAL_ERROR" if exc.status_code >= 500 else "BAD_REQUEST")
        message = {
            404: f"No route {request.url.path}",
            405: f"Method {request.method} not allowed on {request.url.path}",
        }
        body = error_body(code, message.get(exc.status_code, str(exc.detail)))
        return JSONResponse(body, exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse(error_body("INTERNAL_ERROR", "Internal error in the emulator"), 500)


def _field_error(error: Any) -> dict[str, Any]:
    """One of FastAPI's validation errors, as the envelope's details show a bad field."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "header")]
    return {
        "field": ".".join(location) or str(error.get("loc", ("request",))[0]),
        "message": error.get("msg", "invalid"),
        "type": error.get("type", "invalid"),
    }
