"""The fetcher against real servers on 127.0.0.1: retries, deadlines, caps, redirects, robots."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from pipeline.config import CrawlerSettings
from pipeline.errors import FetchError
from pipeline.fetch import (
    DOCX,
    HTML,
    PDF,
    Fetcher,
    FetchResult,
    HttpStatusError,
    RobotsDisallowedError,
    Validators,
    retry_after_seconds,
    sniff_media_type,
)
from pipeline.http import TransportError
from tests.sites import (
    TEST_SETTINGS,
    RecordingClient,
    Reply,
    Sequence,
    SiteServer,
    Static,
    big,
    fixed,
    redirect,
    status,
    trickle,
)

FAST = replace(TEST_SETTINGS, rate=1000.0, per_host_concurrency=4)
PAGE = b"<!DOCTYPE html><html><body><p>hello</p></body></html>"
MIB = 1024 * 1024


@pytest.fixture
def server() -> Iterator[SiteServer]:
    with SiteServer({"/robots.txt": status(404)}) as site:
        yield site


def fetch(
    url: str, settings: CrawlerSettings = FAST, **kwargs: object
) -> tuple[FetchResult, Fetcher]:
    async def go() -> tuple[FetchResult, Fetcher]:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, **kwargs), fetcher

    return asyncio.run(go())


def fetch_error(url: str, settings: CrawlerSettings = FAST, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, settings, **kwargs)
    return caught.value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------- plain and conditional GET


def test_get_records_validators_and_identifies_itself(server: SiteServer) -> None:
    server.routes["/a.html"] = Static(PAGE)
    result, fetcher = fetch(server.url("/a.html"))
    assert result.status == 200
    assert result.body == PAGE
    assert result.media_type == HTML
    assert result.etag == Static(PAGE).tag()
    assert result.last_modified
    assert result.final_url == server.url("/a.html")
    (entry,) = server.requests_to("/a.html")
    assert entry.headers["user-agent"] == "nianbao-test/1.0 (+mailto:test@example.org)"
    assert fetcher.stats.requests == 2  # robots.txt, then the page


def test_conditional_get_gives_304_without_body(server: SiteServer) -> None:
    server.routes["/a.html"] = Static(PAGE)
    first, _ = fetch(server.url("/a.html"))
    by_etag, _ = fetch(server.url("/a.html"), validators=Validators(etag=first.etag))
    assert by_etag.status == 304 and by_etag.body is None and by_etag.not_modified
    server.routes["/b.html"] = Static(PAGE, etag=False)
    by_date, _ = fetch(
        server.url("/b.html"), validators=Validators(last_modified=first.last_modified)
    )
    assert by_date.status == 304
    sent = server.requests_to("/a.html")[1].headers
    assert sent["if-none-match"] == first.etag


def test_changed_resource_answers_200_to_old_validators(server: SiteServer) -> None:
    server.routes["/a.html"] = Static(b"<html>new</html>", last_modified=False)
    result, _ = fetch(server.url("/a.html"), validators=Validators(etag='"old"'))
    assert result.status == 200 and result.body == b"<html>new</html>"


# ---------------------------------------------------------------- retries


def test_500_then_200_is_retried(server: SiteServer) -> None:
    server.routes["/flaky.html"] = Sequence([status(500), Static(PAGE)])
    result, _ = fetch(server.url("/flaky.html"))
    assert result.status == 200 and result.attempts == 2
    assert [e.status for e in server.requests_to("/flaky.html")] == [500, 200]


def test_persistent_503_gives_up_after_retries(server: SiteServer) -> None:
    server.routes["/down.html"] = status(503)
    error = fetch_error(server.url("/down.html"))
    assert isinstance(error, HttpStatusError) and error.status == 503
    assert error.reason == "HTTP 503 (after 3 attempts)"
    assert len(server.requests_to("/down.html")) == FAST.retries + 1


def test_429_honours_retry_after(server: SiteServer) -> None:
    server.routes["/busy.html"] = Sequence([status(429, {"Retry-After": "1"}), Static(PAGE)])
    result, _ = fetch(server.url("/busy.html"))
    assert result.status == 200
    first, second = server.requests_to("/busy.html")
    assert second.started - first.started >= 0.95


def test_retry_after_is_capped(server: SiteServer) -> None:
    server.routes["/busy.html"] = Sequence([status(503, {"Retry-After": "3600"}), Static(PAGE)])
    settings = replace(FAST, retry_after_max=0.3)
    started = time.monotonic()
    result, _ = fetch(server.url("/busy.html"), settings)
    assert result.status == 200
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("code", [400, 403, 404, 410])
def test_other_4xx_are_not_retried(server: SiteServer, code: int) -> None:
    server.routes["/x.html"] = status(code)
    error = fetch_error(server.url("/x.html"))
    assert isinstance(error, HttpStatusError)
    assert error.reason == f"HTTP {code}"
    assert len(server.requests_to("/x.html")) == 1


def test_connection_refused_is_retried_then_reported() -> None:
    port = free_port()  # nothing listens here
    settings = replace(FAST, obey_robots=False)
    started = time.monotonic()
    error = fetch_error(f"http://127.0.0.1:{port}/a.html", settings)
    assert isinstance(error, TransportError)
    assert "connection failed" in error.reason
    assert "after 3 attempts" in error.reason
    assert time.monotonic() - started < 3


def test_retry_after_seconds() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    now = 1_700_000_000.0
    date = "Tue, 14 Nov 2023 22:13:40 GMT"  # now + 20 s
    assert retry_after_seconds(date, now) == pytest.approx(20.0)
    assert retry_after_seconds("Tue, 14 Nov 2023 00:00:00 GMT", now) == 0.0


# ---------------------------------------------------------------- deadlines and size caps


def test_trickling_response_is_cut_off_by_the_total_deadline(server: SiteServer) -> None:
    server.routes["/slow.html"] = trickle(200, 0.05)  # 10 s in all, a byte every 50 ms
    settings = replace(FAST, read_timeout=5.0, response_deadline=0.5, url_deadline=1.5)
    started = time.monotonic()
    error = fetch_error(server.url("/slow.html"), settings)
    elapsed = time.monotonic() - started
    assert "total deadline" in error.reason
    assert elapsed < 2.5  # the URL's whole budget, retries included, plus slack
    assert 1 <= len(server.requests_to("/slow.html")) <= FAST.retries + 1


def test_read_timeout_when_the_server_goes_quiet(server: SiteServer) -> None:
    server.routes["/quiet.html"] = fixed(Reply(200, PAGE, {"Content-Type": HTML}, delay=1.0))
    settings = replace(FAST, read_timeout=0.2, retries=0)
    error = fetch_error(server.url("/quiet.html"), settings)
    assert "read timeout" in error.reason


def test_oversized_body_with_content_length_is_refused_early(server: SiteServer) -> None:
    server.routes["/big.pdf"] = big(3 * MIB, with_length=True)
    settings = replace(FAST, max_bytes=MIB)

    async def go() -> tuple[FetchError, int]:
        async with Fetcher(settings) as fetcher:
            with pytest.raises(FetchError) as caught:
                await fetcher.fetch(server.url("/big.pdf"))
            return caught.value, fetcher.stats.bytes

    error, received = asyncio.run(go())
    assert "Content-Length 3145728 exceeds the 1048576-byte cap" in error.reason
    assert received == 0
    assert len(server.requests_to("/big.pdf")) == 1  # not retried


def test_oversized_body_without_content_length_is_aborted_mid_stream(server: SiteServer) -> None:
    server.routes["/big.pdf"] = big(3 * MIB, with_length=False)
    settings = replace(FAST, max_bytes=MIB)

    async def go() -> tuple[FetchError, int]:
        async with Fetcher(settings) as fetcher:
            with pytest.raises(FetchError) as caught:
                await fetcher.fetch(server.url("/big.pdf"))
            return caught.value, fetcher.stats.bytes

    error, received = asyncio.run(go())
    assert "body exceeds the 1048576-byte cap" in error.reason
    assert received <= MIB
    assert len(server.requests_to("/big.pdf")) == 1


def test_body_at_the_cap_is_accepted(server: SiteServer) -> None:
    body = b"%PDF-1.4\n" + b"0" * (MIB - 9)
    server.routes["/ok.pdf"] = Static(body, "application/pdf")
    result, _ = fetch(server.url("/ok.pdf"), replace(FAST, max_bytes=MIB))
    assert len(result.body or b"") == MIB


# ---------------------------------------------------------------- redirects


def test_redirect_chain_records_final_url(server: SiteServer) -> None:
    server.routes.update(
        {"/a": redirect("/b", 301), "/b": redirect("./c.html#x", 307), "/c.html": Static(PAGE)}
    )
    result, _ = fetch(server.url("/a"))
    assert result.final_url == server.url("/c.html")
    assert result.redirects == (server.url("/b"), server.url("/c.html"))
    assert result.url == server.url("/a")


def test_redirect_off_site_is_refused_before_following(server: SiteServer) -> None:
    with SiteServer({"/x.html": Static(PAGE)}) as other:
        server.routes["/go"] = redirect(other.url("/x.html"))
        same_site = server.base

        error = fetch_error(server.url("/go"), allowed=lambda url: url.startswith(same_site))
        assert error.reason == f"redirected off the source's sites to {other.url('/x.html')}"
        assert other.log == []


def test_redirect_loop_and_too_many_redirects(server: SiteServer) -> None:
    server.routes.update({"/loop1": redirect("/loop2"), "/loop2": redirect("/loop1")})
    assert "redirect loop" in fetch_error(server.url("/loop1")).reason
    for i in range(7):
        server.routes[f"/r{i}"] = redirect(f"/r{i + 1}")
    server.routes["/r7"] = Static(PAGE)
    assert fetch_error(server.url("/r0")).reason == "more than 5 redirects"
    assert fetch(server.url("/r2"))[0].final_url == server.url("/r7")


def test_redirect_into_a_disallowed_path_is_not_followed(server: SiteServer) -> None:
    server.routes["/robots.txt"] = Static(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    server.routes["/open"] = redirect("/private/x.html")
    server.routes["/private/x.html"] = Static(PAGE)
    error = fetch_error(server.url("/open"))
    assert isinstance(error, RobotsDisallowedError)
    assert server.requests_to("/private/x.html") == []


def test_conditional_headers_go_to_the_final_url_only(server: SiteServer) -> None:
    server.routes.update({"/a": redirect("/c.html", 301), "/c.html": Static(PAGE)})
    tag = Static(PAGE).tag()
    result, _ = fetch(
        server.url("/a"),
        validators=Validators(etag=tag),
        conditional_url=server.url("/c.html"),
    )
    assert result.status == 304
    assert "if-none-match" not in server.requests_to("/a")[0].headers
    assert server.requests_to("/c.html")[0].headers["if-none-match"] == tag


# ---------------------------------------------------------------- robots.txt


def test_robots_fetched_once_and_obeyed(server: SiteServer) -> None:
    server.routes["/robots.txt"] = Static(
        b"User-agent: *\nDisallow: /private/\n\nUser-agent: other\nDisallow: /\n", "text/plain"
    )
    server.routes.update({f"/p{i}.html": Static(PAGE) for i in range(6)})
    server.routes["/private/a.html"] = Static(PAGE)

    async def go() -> list[object]:
        async with Fetcher(FAST) as fetcher:
            jobs = [fetcher.fetch(server.url(f"/p{i}.html")) for i in range(6)]
            jobs.append(fetcher.fetch(server.url("/private/a.html")))
            return await asyncio.gather(*jobs, return_exceptions=True)

    results = asyncio.run(go())
    assert all(isinstance(r, FetchResult) for r in results[:6])
    assert isinstance(results[6], RobotsDisallowedError)
    assert len(server.requests_to("/robots.txt")) == 1
    assert server.requests_to("/private/a.html") == []


def test_robots_404_allows_everything(server: SiteServer) -> None:
    server.routes["/a.html"] = Static(PAGE)
    assert fetch(server.url("/a.html"))[0].status == 200


def test_robots_5xx_disallows_everything_for_the_run(server: SiteServer) -> None:
    server.routes["/robots.txt"] = status(503)
    server.routes["/a.html"] = Static(PAGE)
    error = fetch_error(server.url("/a.html"))
    assert isinstance(error, RobotsDisallowedError)
    assert "unreachable (HTTP 503)" in error.reason
    assert server.requests_to("/a.html") == []


def test_crawl_delay_spaces_requests(server: SiteServer) -> None:
    server.routes["/robots.txt"] = Static(b"User-agent: *\nCrawl-delay: 0.3\n", "text/plain")
    server.routes.update({f"/p{i}.html": Static(PAGE) for i in range(3)})

    client = RecordingClient.for_settings(FAST)

    async def go() -> None:
        async with Fetcher(FAST, client) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(f"/p{i}.html")) for i in range(3)))

    asyncio.run(go())
    gaps = client.gaps(server.base)
    assert len(gaps) == 3  # robots.txt and three pages
    assert min(gaps) >= 0.3 - 0.005


# ---------------------------------------------------------------- politeness gate


def test_per_host_rate_and_connection_cap(server: SiteServer) -> None:
    server.routes.update({f"/p{i}.html": Static(PAGE, delay=0.3) for i in range(6)})
    settings = replace(FAST, per_host_concurrency=2, rate=10.0)

    client = RecordingClient.for_settings(settings)

    async def go() -> None:
        async with Fetcher(settings, client) as fetcher:
            await asyncio.gather(*(fetcher.fetch(server.url(f"/p{i}.html")) for i in range(6)))

    asyncio.run(go())
    assert server.max_in_flight == 2
    assert min(client.gaps(server.base)) >= 0.1 - 0.005


# ---------------------------------------------------------------- content types


@pytest.mark.parametrize(
    ("body", "content_type", "url", "expected"),
    [
        (b"%PDF-1.7\n...", None, "http://x/a", PDF),
        (b"%PDF-1.7\n...", "text/html", "http://x/a.html", PDF),
        (b"\n<!DOCTYPE html><html>", "application/octet-stream", "http://x/a.pdf", HTML),
        (b"<html><body>", "text/plain", "http://x/a", HTML),
        (b"PK\x03\x04rest", None, "http://x/a.docx", DOCX),
        (b"\xd0\xcf\x11\xe0rest", None, "http://x/a.doc", "application/msword"),
        (b"garbage", "application/pdf", "http://x/a.pdf", "application/octet-stream"),
        (b"plain words", "text/plain; charset=utf-8", "http://x/a.txt", "text/plain"),
    ],
)
def test_sniff_media_type(body: bytes, content_type: str | None, url: str, expected: str) -> None:
    assert sniff_media_type(body, content_type, url) == expected


def test_missing_content_type_is_sniffed(server: SiteServer) -> None:
    server.routes["/doc"] = Static(b"%PDF-1.4\n%%EOF", None)
    result, _ = fetch(server.url("/doc"))
    assert result.content_type is None
    assert result.media_type == PDF
