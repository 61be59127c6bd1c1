"""The HTTP client behind the fetcher, wrapped so it can be swapped.

The fetcher needs only `HttpClient.stream(url, headers)`: an async context manager giving a
`Response` with a status, headers and an async iterator of body chunks exactly as sent, still
content-coded (the fetcher decodes them itself under its size cap, see `content_coding`).
`HttpxClient` is the real one; anything with the same shape (another library, a recorder)
can stand in.
Transport failures come out as `TransportError`, never as the library's own exceptions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from pipeline.content_coding import ACCEPT_ENCODING
from pipeline.errors import FetchError


class TransportError(FetchError):
    """The connection failed or broke: nothing (or not all) came back."""

    def __init__(self, reason: str, *, retryable: bool = True) -> None:
        super().__init__(reason)
        self.retryable = retryable


class Response(Protocol):
    status: int
    headers: Mapping[str, str]  # case-insensitive

    def chunks(self) -> AsyncIterator[bytes]:
        """The body's raw bytes, Content-Encoding not undone."""
        ...


class HttpClient(Protocol):
    def stream(
        self, url: str, headers: Mapping[str, str]
    ) -> AbstractAsyncContextManager[Response]: ...

    async def aclose(self) -> None: ...


@dataclass
class HttpxResponse:
    status: int
    headers: Mapping[str, str]
    raw: httpx.Response

    async def chunks(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.raw.aiter_raw():
                yield chunk
        except httpx.HTTPError as exc:
            raise _transport_error(exc) from exc


class HttpxClient:
    """httpx without automatic redirects (the fetcher checks each hop).

    One httpx.AsyncClient per site (scheme, host, port): httpcore scans its whole pool on
    every request, so one shared pool over many hosts costs time quadratic in connections.
    """

    def __init__(
        self,
        *,
        user_agent: str,
        connect_timeout: float,
        read_timeout: float,
        max_connections: int | None = None,
        trust_env: bool = True,
    ) -> None:
        self._options = {
            "follow_redirects": False,
            "headers": {"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            "timeout": httpx.Timeout(
                connect=connect_timeout, read=read_timeout, write=read_timeout, pool=None
            ),
            "limits": httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            "trust_env": trust_env,
        }
        self._clients: dict[str, httpx.AsyncClient] = {}

    def _client(self, url: str) -> httpx.AsyncClient:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        client = self._clients.get(site)
        if client is None:
            client = self._clients[site] = httpx.AsyncClient(**self._options)
        return client

    def stream(
        self, url: str, headers: Mapping[str, str]
    ) -> AbstractAsyncContextManager[HttpxResponse]:
        return self._stream(url, headers)

    @asynccontextmanager
    async def _stream(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[HttpxResponse]:
        client = self._client(url)
        try:
            request = client.build_request("GET", url, headers=dict(headers))
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise TransportError(f"bad URL: {exc}", retryable=False) from exc
        except UnicodeEncodeError as exc:  # a header value that is not ASCII
            raise TransportError(f"request header not sendable: {exc}", retryable=False) from exc
        try:
            raw = await client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise _transport_error(exc) from exc
        try:
            yield HttpxResponse(raw.status_code, raw.headers, raw)
        finally:
            await raw.aclose()

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()


def _transport_error(exc: httpx.HTTPError) -> TransportError:
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return TransportError(f"connect timeout: {detail}")
    if isinstance(exc, httpx.ConnectError):
        return TransportError(f"connection failed: {detail}")
    if isinstance(exc, httpx.ReadTimeout):
        return TransportError(f"read timeout: no data for too long: {detail}")
    if isinstance(exc, httpx.TimeoutException):
        return TransportError(f"timeout: {detail}")
    if isinstance(exc, httpx.DecodingError):
        return TransportError(f"undecodable body: {detail}", retryable=False)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return TransportError(f"unsupported URL: {detail}", retryable=False)
    if isinstance(exc, httpx.TooManyRedirects):
        return TransportError(detail, retryable=False)
    return TransportError(f"{type(exc).__name__}: {detail}")
