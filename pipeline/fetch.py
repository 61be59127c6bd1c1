"""Fetching one URL politely and defensively.

`Fetcher.fetch(url)` does, in order, for each redirect hop: check the hop against the
source's site rule and robots.txt; wait for the host's rate limit and connection cap; send a
conditional GET; stream the body under a size cap and a total deadline; retry connection
errors, timeouts, 429 and 5xx with exponential backoff and jitter (honouring Retry-After);
fail fast on other 4xx. It returns a `FetchResult` or raises `FetchError` with a reason.
What the page means is not its business (see `discover`), nor where bytes go (see `store`).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import random
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC
from urllib.parse import urlsplit

from pipeline.config import CrawlerSettings
from pipeline.content_coding import BodyDecoder
from pipeline.destinations import Destinations
from pipeline.discover import canonical_url, site_of
from pipeline.errors import FetchError
from pipeline.http import HttpClient, HttpxClient, TransportError
from pipeline.robots import RobotsPolicy, allow_all, policy_from_response, policy_unreachable

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))

# Media types by magic bytes and by extension; the header is believed only when bytes agree.
PDF = "application/pdf"
HTML = "text/html"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WPS = "application/vnd.ms-works"
XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCTET = "application/octet-stream"
EXTENSION_TYPES = {
    ".pdf": PDF,
    ".doc": DOC,
    ".docx": DOCX,
    ".wps": WPS,
    ".xls": XLS,
    ".xlsx": XLSX,
    ".htm": HTML,
}
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<!--")


class HttpStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status = status


class RobotsDisallowedError(FetchError):
    """robots.txt forbids the URL, or could not be fetched (RFC 9309 §2.3.1.4: `unreachable`)."""

    def __init__(self, reason: str, *, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.unreachable = unreachable


@dataclass(frozen=True)
class Validators:
    """What the last 200 said about a URL, sent back for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The conditional headers to send: only validators that can go back as they came.

        A server may send an ETag or date with bytes outside visible ASCII; echoing one
        would fail to encode (or smuggle a header), so such a validator is not sent and the
        request asks for the whole body instead.
        """
        headers = {}
        if self.etag and sendable(self.etag):
            headers["If-None-Match"] = self.etag
        if self.last_modified and sendable(self.last_modified):
            headers["If-Modified-Since"] = self.last_modified
        return headers


def sendable(value: str) -> bool:
    """True if a header value is visible ASCII and spaces only (RFC 9110 §5.5, no obs-text)."""
    return value.isascii() and all(" " <= ch <= "~" for ch in value)


@dataclass(frozen=True)
class FetchResult:
    """A successful fetch: 200 with a body, or 304 (unchanged) without one."""

    url: str
    final_url: str
    status: int
    body: bytes | None
    content_type: str | None  # as the server said
    media_type: str | None  # as sniffed from the bytes (None for a 304)
    etag: str | None
    last_modified: str | None
    redirects: tuple[str, ...] = ()
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class FetchStats:
    requests: int = 0
    bytes: int = 0
    robots_fetched: int = 0


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes


def sniff_media_type(body: bytes, content_type: str | None, url: str) -> str:
    """The body's media type, from its magic bytes first, then the header, then the URL."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf-"):
        return PDF
    path = url.lower().split("?")[0]
    if head.startswith(b"pk\x03\x04"):
        # Word and Excel packages are both zips: the workbook part (or the name) tells.
        return XLSX if b"xl/" in body[:4096] or path.endswith(".xlsx") else DOCX
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if path.endswith((".xls", ".et")):
            return XLS
        return WPS if path.endswith(".wps") else DOC
    if head.startswith(HTML_STARTS) or b"<html" in head:
        return HTML
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared and declared not in (OCTET, PDF, DOC, DOCX, WPS, XLS, XLSX):
        return declared
    return OCTET


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class HostGate:
    """One host's politeness: at most `concurrency` requests at once, starts `interval` apart."""

    def __init__(self, interval: float, concurrency: int) -> None:
        self.interval = interval
        self._semaphore = asyncio.Semaphore(concurrency)
        self._turn = asyncio.Lock()
        self._next_start = 0.0
        self._last_start = -math.inf
        self.in_flight = 0

    def slow_down(self, interval: float) -> None:
        """Space requests at least `interval` seconds apart from now on."""
        if interval > self.interval:
            self.interval = interval
            self._next_start = max(self._next_start, self._last_start + interval)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[float]:
        """Hold a connection slot once the rate allows; yields the seconds waited."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        async with self._semaphore:
            async with self._turn:
                # Wait our turn, then count the interval from when we really go: a busy event
                # loop may resume us late, and the next request must not make up for it.
                while (wait := self._next_start - loop.time()) > 0:
                    await asyncio.sleep(wait)
                start = loop.time()
                self._next_start = start + self.interval
                self._last_start = start
            self.in_flight += 1
            try:
                yield loop.time() - began
            finally:
                self.in_flight -= 1


@dataclass
class _Budget:
    """Time one URL may spend on the network, not counting waits for politeness."""

    ends: float

    def remaining(self) -> float:
        return self.ends - asyncio.get_running_loop().time()

    def extend(self, seconds: float) -> None:
        self.ends += seconds


@dataclass
class Fetcher:
    """Fetches URLs under one `CrawlerSettings`; use as `async with Fetcher(...) as f`."""

    settings: CrawlerSettings
    client: HttpClient | None = None
    stats: FetchStats = field(default_factory=FetchStats)
    _gates: dict[str, HostGate] = field(default_factory=dict)
    _robots: dict[str, asyncio.Task[RobotsPolicy]] = field(default_factory=dict)
    _rng: random.Random = field(default_factory=random.Random)
    destinations: Destinations = field(default_factory=Destinations)

    async def __aenter__(self) -> Fetcher:
        self.destinations.timeout = self.settings.connect_timeout
        if self.client is None:
            self.client = HttpxClient(
                user_agent=self.settings.user_agent_header,
                connect_timeout=self.settings.connect_timeout,
                read_timeout=self.settings.read_timeout,
                trust_env=self.settings.trust_env,
            )
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._robots.values():
            task.cancel()
        if self.client is not None:
            await self.client.aclose()

    # ------------------------------------------------------------ politeness

    def set_rate(self, site: str, rate: float) -> None:
        """Requests per second for a site (before its first request); the slowest rate wins."""
        interval = 1.0 / rate
        gate = self._gates.get(site)
        if gate is None:
            self._gates[site] = HostGate(interval, self.settings.per_host_concurrency)
        else:
            gate.slow_down(interval)

    def gate(self, site: str) -> HostGate:
        gate = self._gates.get(site)
        if gate is None:
            gate = HostGate(1.0 / self.settings.rate, self.settings.per_host_concurrency)
            self._gates[site] = gate
        return gate

    async def robots(
        self,
        url: str,
        allowed: Callable[[str], bool] | None = None,
        home: frozenset[str | None] = frozenset(),
    ) -> RobotsPolicy:
        """The robots.txt policy of the URL's site, fetched once per run.

        Its redirects are followed only on the site's host or where `allowed` admits, and
        only to addresses `home` (the source's own kinds of address) permits.
        """
        site = site_of(url)
        if not self.settings.obey_robots:
            return allow_all(site, "robots.txt not consulted (obey_robots = false)")
        task = self._robots.get(site)
        if task is None:
            task = asyncio.ensure_future(self._load_robots(site, allowed, home))
            self._robots[site] = task
        return await asyncio.shield(task)

    async def _load_robots(
        self, site: str, allowed: Callable[[str], bool] | None, home: frozenset[str | None]
    ) -> RobotsPolicy:
        url = f"{site}/robots.txt"
        host = urlsplit(site).hostname
        budget = _Budget(asyncio.get_running_loop().time() + self.settings.url_deadline)
        self.stats.robots_fetched += 1
        try:
            for _ in range(self.settings.max_redirects + 1):
                answer, _ = await self._attempt(
                    url, {}, budget, self.settings.robots_max_bytes, is_robots=True
                )
                location = answer.headers.get("location")
                if answer.status in REDIRECT_STATUSES and location:
                    target = canonical_url(location, url)
                    if target is None:
                        raise FetchError(f"redirected to an unusable Location {location!r}")
                    await self.destinations.check(target, home, "redirected to")
                    in_scope = urlsplit(target).hostname == host or (
                        allowed is not None and allowed(target)
                    )
                    if not in_scope:
                        raise FetchError(f"redirected off the source's sites to {target}")
                    url = target
                    continue
                break
        except FetchError as exc:
            policy = policy_unreachable(site, exc.reason)
        else:
            policy = policy_from_response(site, answer.status, answer.body)
        if policy.verdict != "rules":
            log.info("%s: %s", site, policy.reason)
        delay = policy.delay(self.settings.robots_agent)
        if delay:
            if delay > self.settings.max_crawl_delay:
                log.warning(
                    "%s: Crawl-delay %.1fs capped at %.1fs",
                    site,
                    delay,
                    self.settings.max_crawl_delay,
                )
                delay = self.settings.max_crawl_delay
            self.gate(site).slow_down(delay)
        return policy

    # ------------------------------------------------------------ fetching

    async def fetch(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        conditional_url: str | None = None,
        allowed: Callable[[str], bool] | None = None,
        home: Sequence[str] | None = None,
    ) -> FetchResult:
        """GET `url`, following up to max_redirects hops, each checked by `allowed` and robots.

        `validators` are sent on the hop to `conditional_url` (the final URL of the last
        fetch; by default `url` itself). Every hop must resolve to public addresses, or to
        the kinds of address the `home` URLs (the source's start URLs; by default `url`)
        resolve to. Raises FetchError with a reason.
        """
        loop = asyncio.get_running_loop()
        budget = _Budget(loop.time() + self.settings.url_deadline)
        conditional_url = conditional_url or url
        home_classes = await self.destinations.home(home if home is not None else (url,))
        hops: list[str] = []
        current = url
        attempts = 0
        for _ in range(self.settings.max_redirects + 1):
            await self.destinations.check(current, home_classes, "redirected to" if hops else "")
            policy = await self.robots(current, allowed, home_classes)
            if not policy.allows(current, self.settings.robots_agent):
                why = policy.reason or "robots.txt disallows it"
                raise RobotsDisallowedError(
                    f"{current}: {why}", unreachable=policy.verdict == "disallow_all"
                )
            headers = validators.headers() if validators and current == conditional_url else {}
            answer, tries = await self._attempt(current, headers, budget, self.settings.max_bytes)
            attempts += tries
            if answer.status in REDIRECT_STATUSES:
                location = answer.headers.get("location")
                target = canonical_url(location, current) if location else None
                if target is None:
                    raise HttpStatusError(
                        f"HTTP {answer.status} without a usable Location", answer.status
                    )
                if target == current or target in hops or target == url:
                    raise FetchError(f"redirect loop at {target}")
                if allowed is not None and not allowed(target):
                    raise FetchError(f"redirected off the source's sites to {target}")
                hops.append(target)
                current = target
                continue
            if answer.status == 304:
                return FetchResult(
                    url,
                    current,
                    304,
                    None,
                    None,
                    None,
                    answer.headers.get("etag"),
                    answer.headers.get("last-modified"),
                    tuple(hops),
                    attempts,
                )
            content_type = answer.headers.get("content-type")
            return FetchResult(
                url,
                current,
                answer.status,
                answer.body,
                content_type,
                sniff_media_type(answer.body, content_type, current),
                answer.headers.get("etag"),
                answer.headers.get("last-modified"),
                tuple(hops),
                attempts,
            )
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    async def _attempt(
        self,
        url: str,
        headers: Mapping[str, str],
        budget: _Budget,
        cap: int,
        *,
        is_robots: bool = False,
    ) -> tuple[_Answer, int]:
        """One hop with retries; returns the answer (2xx, 3xx, 304; any status for robots)."""
        settings = self.settings
        gate = self.gate(site_of(url))
        last: FetchError | None = None
        tries = 0
        for attempt in range(settings.retries + 1):
            remaining = budget.remaining()
            if remaining <= 0:
                break
            tries += 1
            wait: float | None = None
            try:
                async with gate.slot() as waited:
                    budget.extend(waited)
                    self.stats.requests += 1
                    deadline = min(remaining, settings.response_deadline)
                    answer = await self._get(url, headers, deadline, cap)
            except TransportError as exc:
                if not exc.retryable:
                    raise
                last = exc
            else:
                if answer.status in RETRY_STATUSES:
                    last = HttpStatusError(f"HTTP {answer.status}", answer.status)
                    wait = retry_after_seconds(answer.headers.get("retry-after"))
                    if wait is not None:
                        wait = min(wait, settings.retry_after_max)
                elif answer.status >= 400 and not is_robots:
                    raise HttpStatusError(f"HTTP {answer.status}", answer.status)
                else:
                    return answer, tries
            if attempt == settings.retries:
                break
            if wait is None:
                wait = min(settings.backoff_max, settings.backoff_base * 2**attempt)
                wait *= self._rng.uniform(0.5, 1.5)
            if wait >= budget.remaining():
                break
            log.debug("%s: %s; retrying in %.2fs", url, last.reason if last else "?", wait)
            await asyncio.sleep(wait)
        if last is None:
            raise FetchError(f"gave up: over the {settings.url_deadline:g}s limit for one URL")
        if is_robots and isinstance(last, HttpStatusError):
            return _Answer(last.status, {}, b""), tries
        detail = f"{last.reason} (after {tries} attempt{'s' if tries != 1 else ''})"
        if isinstance(last, HttpStatusError):
            raise HttpStatusError(detail, last.status)
        raise TransportError(detail)

    async def _get(
        self, url: str, headers: Mapping[str, str], deadline: float, cap: int
    ) -> _Answer:
        """One request; the whole response must arrive within `deadline` seconds."""
        assert self.client is not None
        try:
            async with asyncio.timeout(deadline):
                async with self.client.stream(url, headers) as response:
                    status = response.status
                    if not (200 <= status < 300):
                        return _Answer(status, response.headers, b"")
                    length = response.headers.get("content-length")
                    if length and length.strip().isdigit() and int(length) > cap:
                        raise FetchError(
                            f"Content-Length {int(length)} exceeds the {cap}-byte cap; "
                            "not downloaded"
                        )
                    decoder = BodyDecoder(response.headers.get("content-encoding"))
                    body = bytearray()
                    received = 0
                    async for chunk in response.chunks():
                        received += len(chunk)
                        for piece in decoder.feed(chunk):
                            if len(body) + len(piece) > cap:
                                raise FetchError(_over_cap(cap, len(body), decoder, received))
                            body += piece
                            self.stats.bytes += len(piece)
                    return _Answer(status, response.headers, bytes(body))
        except TimeoutError:
            raise TransportError(
                f"response not complete within {deadline:g}s (total deadline)"
            ) from None


def _over_cap(cap: int, kept: int, decoder: BodyDecoder, received: int) -> str:
    """Why a body was abandoned at the size cap, in bytes decoded and received."""
    if decoder.coding is None:
        return f"body exceeds the {cap}-byte cap; download aborted at {kept} bytes"
    return (
        f"body exceeds the {cap}-byte cap once decoded ({decoder.coding}): aborted after "
        f"{kept} decoded bytes from {received} bytes received"
    )
