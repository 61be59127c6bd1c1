"""Fixture web sites served on 127.0.0.1 for crawler tests and benchmarks.

`SiteServer(routes)` is a threaded HTTP/1.1 server on an ephemeral port. Each route is a
callable taking the `Request` and returning a `Reply`; `Static` answers conditional GETs
(ETag / Last-Modified → 304), `Sequence` replays a list (500 then 200), `Trickle` sends one
byte at a time, `Big` sends megabytes with or without Content-Length, `Redirect` redirects.
Every request is logged (`server.log`) with its headers, status and timing, and the server
tracks the most requests it ever had in flight at once.
"""

from __future__ import annotations

import email.utils
import hashlib
import itertools
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pipeline.config import CrawlerSettings
from pipeline.http import HttpxClient, HttpxResponse

HTML_TYPE = "text/html; charset=utf-8"
FIXED_DATE = "Mon, 15 Jan 2024 08:00:00 GMT"


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # with the query
    headers: dict[str, str]  # lowercased names


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_length: bool = True  # False: no Content-Length, the connection closes after
    chunk_delay: float = 0.0  # seconds before each chunk
    delay: float = 0.0  # seconds before the status line


@dataclass(frozen=True)
class LogEntry:
    method: str
    path: str
    headers: dict[str, str]
    status: int
    started: float
    ended: float
    sent: int  # body bytes written


Route = Callable[[Request], Reply]


@dataclass
class Static:
    """A resource that supports conditional GET: If-None-Match and If-Modified-Since."""

    body: bytes
    content_type: str | None = HTML_TYPE
    etag: bool = True
    last_modified: bool = True
    delay: float = 0.0

    def tag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    def __call__(self, request: Request) -> Reply:
        headers = {}
        if self.content_type:
            headers["Content-Type"] = self.content_type
        if self.etag:
            headers["ETag"] = self.tag()
        if self.last_modified:
            headers["Last-Modified"] = FIXED_DATE
        if_none_match = request.headers.get("if-none-match")
        if_modified_since = request.headers.get("if-modified-since")
        if self.etag and if_none_match is not None:
            if self.tag() in [t.strip() for t in if_none_match.split(",")]:
                return Reply(304, b"", headers, delay=self.delay)
        elif self.last_modified and if_modified_since is not None:
            since = email.utils.parsedate_to_datetime(if_modified_since)
            if since >= email.utils.parsedate_to_datetime(FIXED_DATE):
                return Reply(304, b"", headers, delay=self.delay)
        return Reply(200, self.body, headers, delay=self.delay)


@dataclass
class Sequence:
    """Replies in turn; the last one repeats."""

    routes: list[Route]
    served: int = 0

    def __call__(self, request: Request) -> Reply:
        route = self.routes[min(self.served, len(self.routes) - 1)]
        self.served += 1
        return route(request)


def fixed(reply: Reply) -> Route:
    return lambda request: reply


def status(code: int, headers: dict[str, str] | None = None) -> Route:
    body = f"<html><body>HTTP {code}</body></html>".encode()
    return fixed(Reply(code, body, {"Content-Type": HTML_TYPE, **(headers or {})}))


def redirect(location: str, code: int = 302) -> Route:
    return fixed(Reply(code, b"", {"Location": location}))


def trickle(size: int, interval: float, content_type: str = HTML_TYPE) -> Route:
    """`size` bytes, one every `interval` seconds, with Content-Length."""

    def reply(request: Request) -> Reply:
        headers = {"Content-Type": content_type, "Content-Length": str(size)}
        chunks = (b"x" for _ in range(size))
        return Reply(200, chunks, headers, content_length=False, chunk_delay=interval)

    return reply


def big(size: int, *, with_length: bool, chunk: int = 64 * 1024) -> Route:
    """`size` bytes of PDF-looking data, with or without Content-Length."""

    def chunks() -> Iterator[bytes]:
        yield b"%PDF-1.4\n"
        sent = 9
        while sent < size:
            piece = min(chunk, size - sent)
            yield b"0" * piece
            sent += piece

    headers = {"Content-Type": "application/pdf"}
    if with_length:
        headers["Content-Length"] = str(size)
    return lambda request: Reply(200, chunks(), dict(headers), content_length=False)


class SiteServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 serving `routes` (path or path?query → route)."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.log: list[LogEntry] = []  # requests answered, in the order they ended
        self.arrived: list[str] = []  # paths requested, in the order they arrived
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.site = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def start(self) -> SiteServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def settle(self, timeout: float = 5.0) -> None:
        """Wait until no request is in flight, so the log is complete."""
        ends = time.monotonic() + timeout
        while self.in_flight and time.monotonic() < ends:
            time.sleep(0.01)

    def wait_for(self, paths: list[str], timeout: float = 5.0) -> None:
        """Wait until each path has been answered at least once."""
        ends = time.monotonic() + timeout
        while not set(paths) <= {e.path for e in self.log} and time.monotonic() < ends:
            time.sleep(0.01)

    def requests_to(self, path: str) -> list[LogEntry]:
        self.settle()
        return [e for e in self.log if e.path == path]

    def paths(self) -> list[str]:
        """Paths answered, in the order the requests arrived."""
        self.settle()
        return [e.path for e in sorted(self.log, key=lambda e: e.started)]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.arrived.clear()
            self.max_in_flight = 0

    def route(self, request: Request) -> Reply:
        route = self.routes.get(request.path) or self.routes.get(request.path.split("?")[0])
        if route is None:
            return status(404)(request)
        return route(request)

    def enter(self, path: str) -> None:
        with self._lock:
            self.arrived.append(path)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self, entry: LogEntry) -> None:
        with self._lock:
            self.in_flight -= 1
            self.log.append(entry)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128
    site: SiteServer

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # a bug in a route: show it


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # the site keeps its own log

    def do_GET(self) -> None:
        site = self.server.site
        started = time.monotonic()
        request = Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
        site.enter(self.path)
        sent = 0
        reply = Reply(500)
        try:
            reply = site.route(request)
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            body = reply.body
            if isinstance(body, bytes):
                if reply.status == 304:
                    pass
                elif reply.content_length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if reply.status != 304:
                    self.wfile.write(body)
                    sent = len(body)
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                for chunk in body:
                    if reply.chunk_delay:
                        time.sleep(reply.chunk_delay)
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
        finally:
            site.leave(
                LogEntry(
                    "GET", self.path, request.headers, reply.status, started, time.monotonic(), sent
                )
            )


class RecordingClient(HttpxClient):
    """The real HTTP client, noting when each request leaves: the politeness gate's own
    timing, free of the jitter a same-process server adds to its arrival times."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.sent: list[tuple[float, str]] = []

    @classmethod
    def for_settings(cls, settings: CrawlerSettings) -> RecordingClient:
        return cls(
            user_agent=settings.user_agent_header,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            trust_env=settings.trust_env,
        )

    def stream(
        self, url: str, headers: Mapping[str, str]
    ) -> AbstractAsyncContextManager[HttpxResponse]:
        self.sent.append((time.monotonic(), url))
        return super().stream(url, headers)

    def gaps(self, site: str) -> list[float]:
        """Seconds between consecutive requests to one site."""
        times = [t for t, url in self.sent if url.startswith(site)]
        return [b - a for a, b in itertools.pairwise(times)]


# Crawler settings for tests: quick timeouts and retries, no proxies from the environment.
TEST_SETTINGS = CrawlerSettings(
    user_agent="nianbao-test/1.0",
    contact="mailto:test@example.org",
    rate=50.0,
    connect_timeout=1.0,
    read_timeout=2.0,
    response_deadline=2.0,
    url_deadline=4.0,
    retries=2,
    backoff_base=0.05,
    backoff_max=0.2,
    retry_after_max=2.0,
    trust_env=False,
)
