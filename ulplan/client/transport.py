"""Sending requests: one pooled httpx client, pacing, retries, accounting and logging.

This is the only module that touches httpx exceptions: ``_translated`` turns each into
a ``TransportError`` subclass, chained, so nothing above sees httpx's types.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from ulplan import __version__
from ulplan.client.config import Secret
from ulplan.client.envelope import ApiResponse, request_id_of, unwrap
from ulplan.client.errors import (
    PlatformConnectionError,
    PlatformError,
    PlatformTimeoutError,
    PlatformUnreachableError,
    RateLimitedError,
    TransportError,
    scrub,
)
from ulplan.client.pacing import RateLimiter, RateLimitInfo, Sleep
from ulplan.client.retry import RetryPolicy
from ulplan.client.stats import RequestStats

logger = logging.getLogger("ulplan.client")
# Query parameters of signed download links that grant access and must not be logged.
_SECRET_PARAM = re.compile(r"sig|token|key|credential", re.IGNORECASE)

OnRequest = Callable[[str, str, int], None]
T = TypeVar("T")
USER_AGENT = f"ulplan/{__version__}"


class BearerAuth(httpx.Auth):
    """Adds ``Authorization: Bearer <key>``; its repr never shows the key."""

    def __init__(self, key: Secret) -> None:
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._key.reveal()}"
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(Bearer ul_***)"


@contextmanager
def _translated(method: str, url: str, secret: str) -> Iterator[None]:
    """Turn httpx's exceptions into ours (the single translation point)."""
    what = f"{method} {url}"
    try:
        yield
    except httpx.ConnectError as exc:
        raise PlatformUnreachableError(f"cannot connect for {what}: {scrub(str(exc), secret)}") from exc
    except httpx.TimeoutException as exc:
        raise PlatformTimeoutError(f"timed out on {what}: {type(exc).__name__}") from exc
    except httpx.TransportError as exc:
        raise PlatformConnectionError(f"connection failed on {what}: {scrub(str(exc), secret)}") from exc
    except httpx.HTTPError as exc:
        raise TransportError(f"{what} failed: {scrub(str(exc), secret)}") from exc


class Transport:
    """Sends one logical request, with pacing and retries, and unwraps the answer."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: Secret,
        timeout: float,
        retry: RetryPolicy,
        limiter: RateLimiter,
        stats: RequestStats,
        on_request: OnRequest | None = None,
        http_transport: httpx.BaseTransport | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.base_url = base_url
        self._key = api_key
        self._retry = retry
        self._limiter = limiter
        self.stats = stats
        self._on_request = on_request
        self.sleep = sleep
        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            auth=BearerAuth(api_key),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=http_transport,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: dict[str, Any] | None = None,
        files: list[tuple[str, Any]] | None = None,
        retry_safe: bool = False,
    ) -> ApiResponse:
        """Send ``method path`` and return the unwrapped answer, or raise its error.

        A DELETE answered 404 on a retry counts as done.
        """

        def attempt(number: int) -> ApiResponse:
            response = self._send(method, path, params=params, json=json, data=data, files=files)
            if method == "DELETE" and number > 0 and response.status_code == 404:
                # An earlier attempt whose answer was lost already deleted it.
                logger.debug("DELETE %s: 404 on a retry counts as done", path)
                return ApiResponse(None, None, 404, request_id_of(response))
            return unwrap(response, self._key.reveal())

        return self.with_retries(method, path, attempt, retry_safe=retry_safe)

    def with_retries(
        self, method: str, path: str, attempt: Callable[[int], T], *, retry_safe: bool = False
    ) -> T:
        """Call ``attempt(n)`` until it succeeds, fails for good, or retries run out."""
        number = 0
        while True:
            try:
                return attempt(number)
            except PlatformError as error:
                if not self._retry.should_retry(error, method, number, retry_safe):
                    raise
                self.stats.record_retry()
                self._pause_before_retry(error, method, path, number)
                number += 1

    def _pause_before_retry(self, error: PlatformError, method: str, path: str, number: int) -> None:
        wait = self._retry.delay(number, error.retry_after)
        if isinstance(error, RateLimitedError):
            # Every thread of this key must hold off, not only the one that was refused.
            self._limiter.penalize(wait)
        logger.debug(
            "retrying %s %s in %.2f s after %s (retry %d of %d)",
            method,
            path,
            wait,
            error.code,
            number + 1,
            self._retry.max_retries,
        )
        self.sleep(wait)

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One paced, counted, logged attempt; the body is read before returning."""
        return self._paced(method, url, lambda: self._http.request(method, url, **kwargs))

    def download(self, url: str, sink: Callable[[httpx.Response], None]) -> None:
        """Stream ``url`` into ``sink``, retried like any GET.

        A relative URL is on the platform; the key is sent only to the platform's own
        origin, never to a signed link on another host.
        """
        absolute = url if urlsplit(url).netloc else self.base_url + "/" + url.lstrip("/")
        on_platform = _origin(absolute) == _origin(self.base_url)
        self.with_retries(
            "GET", _path_of(absolute), lambda _n: self.stream_to(absolute, sink, authenticated=on_platform)
        )

    def stream_to(self, url: str, sink: Callable[[httpx.Response], None], *, authenticated: bool) -> None:
        """GET ``url`` and hand the streamed answer to ``sink`` (paced if authenticated).

        URLs on another host (signed download links) get neither the key nor pacing.
        """

        def call() -> httpx.Response:
            auth = httpx.USE_CLIENT_DEFAULT if authenticated else None
            with self._http.stream("GET", url, auth=auth) as response:
                if response.is_success:
                    sink(response)
                else:
                    response.read()
                return response

        response = self._paced("GET", url, call) if authenticated else self._unpaced("GET", url, call)
        if not response.is_success:
            unwrap(response, self._key.reveal())

    def _paced(self, method: str, url: str, call: Callable[[], httpx.Response]) -> httpx.Response:
        self._limiter.acquire()
        info: RateLimitInfo | None = None
        try:
            response = self._unpaced(method, url, call)
            info = RateLimitInfo.from_headers(response.headers)
        finally:
            self._limiter.release(info)
        return response

    def _unpaced(self, method: str, url: str, call: Callable[[], httpx.Response]) -> httpx.Response:
        self.stats.record_attempt(method)
        started = time.perf_counter()
        try:
            with _translated(method, _path_of(url), self._key.reveal()):
                response = call()
        except TransportError as error:
            self._report(method, url, 0, started, None, error.code)
            raise
        if response.status_code == 429:
            self.stats.record_rate_limited()
        full_url = str(response.request.url)
        self._report(method, full_url, response.status_code, started, request_id_of(response), None)
        return response

    def _report(
        self, method: str, url: str, status: int, started: float, request_id: str | None, failure: str | None
    ) -> None:
        path = _path_of(url)
        if logger.isEnabledFor(logging.DEBUG):
            elapsed_ms = (time.perf_counter() - started) * 1000
            outcome = failure or str(status)
            logger.debug(
                "%s %s -> %s in %.1f ms (request id %s; Authorization: Bearer ul_***)",
                method,
                path,
                outcome,
                elapsed_ms,
                request_id or "-",
            )
        if self._on_request is not None:
            self._on_request(method, path, status)

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r}, api_key=***)"


def _path_of(url: str) -> str:
    """The path and query of a URL for logs and errors, signatures of signed links masked."""
    parsed = httpx.URL(url)
    params = [
        (name, "***" if _SECRET_PARAM.search(name) else value) for name, value in parsed.params.multi_items()
    ]
    query = "&".join(f"{name}={value}" for name, value in params)
    return parsed.path + (f"?{query}" if query else "")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()
