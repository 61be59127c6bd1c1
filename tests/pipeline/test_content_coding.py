"""Compressed bodies count against the size cap as decoded bytes (issue #12, case 1).

Before: httpx inflated each network chunk whole, so a 1 MB gzip body reached 166 MB of RSS
and `gzip, gzip` (2.5 KB on the wire, 1 GiB decoded) 2.1 GB in 10 s, both recorded as
"download aborted at 0 bytes".
"""

from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import Iterator
from dataclasses import replace

import pytest

from pipeline.content_coding import BodyDecoder, ContentCodingError, codings_of
from pipeline.errors import FetchError
from pipeline.fetch import Fetcher, RobotsDisallowedError
from tests.measured import run_measured
from tests.pipeline.test_fetch import FAST, PAGE
from tests.sites import Reply, SiteServer, Static, fixed, status
from tests.sites.bombs import gzip_bomb, stacked_bomb

GIB = 1024**3
MIB = 1024**2
CAP = 25 * MIB  # the default CrawlerSettings.max_bytes


def encoded(body: bytes, coding: str, content_type: str = "text/html") -> Reply:
    return Reply(200, body, {"Content-Type": content_type, "Content-Encoding": coding})


@pytest.fixture
def server() -> Iterator[SiteServer]:
    with SiteServer({"/robots.txt": status(404)}) as site:
        yield site


def fetch_in_child(url: str) -> tuple[str, float, float]:
    """Fetch `url` with the default caps in a fresh process: (outcome, seconds, peak MB)."""
    code = """
import asyncio
from dataclasses import replace
from pipeline.errors import FetchError
from pipeline.fetch import Fetcher
from tests.sites import TEST_SETTINGS
settings = replace(TEST_SETTINGS, response_deadline=60, url_deadline=60, retries=0)
async def go():
    async with Fetcher(settings) as fetcher:
        try:
            print("fetched", len((await fetcher.fetch(sys.argv[1])).body))
        except FetchError as exc:
            print("failed:", exc.reason)
asyncio.run(go())
"""
    measured = run_measured(code, url, timeout=120)
    assert measured.returncode == 0, measured.stderr[-2000:]
    return measured.stdout.strip(), measured.seconds, measured.peak_mb


# ---------------------------------------------------------------- the decoder alone


def test_decoder_yields_bounded_pieces_and_counts_every_byte() -> None:
    body = gzip_bomb(8 * MIB)
    decoder = BodyDecoder("gzip", piece=64 * 1024)
    total = 0
    for start in range(0, len(body), 1000):
        for piece in decoder.feed(body[start : start + 1000]):
            assert len(piece) <= 64 * 1024
            total += len(piece)
    assert total == 8 * MIB


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("gzip, gzip", "stacked Content-Encoding 'gzip, gzip' refused"),
        ("deflate, gzip", "stacked"),
        ("br", "Content-Encoding 'br' not supported"),
    ],
)
def test_decoder_refuses_stacked_and_unknown_codings(header: str, words: str) -> None:
    with pytest.raises(ContentCodingError) as caught:
        BodyDecoder(header)
    assert words in caught.value.reason


def test_decoder_undoes_gzip_deflate_raw_deflate_and_multi_member_gzip() -> None:
    text = b"<html>" + "年度报告".encode() * 5000 + b"</html>"
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    cases = {
        "gzip": gzip.compress(text),
        "x-gzip": gzip.compress(text),
        "deflate": zlib.compress(text),
        "identity": text,
        None: text,
    }
    for header, body in cases.items():
        assert b"".join(BodyDecoder(header).feed(body)) == text, header
    raw_deflate = raw.compress(text) + raw.flush()
    assert b"".join(BodyDecoder("deflate").feed(raw_deflate)) == text
    two_members = gzip.compress(text[:100]) + gzip.compress(text[100:])
    assert b"".join(BodyDecoder("gzip").feed(two_members)) == text
    assert codings_of("identity, GZIP") == ["gzip"]


def test_corrupt_gzip_is_reported_as_such() -> None:
    with pytest.raises(ContentCodingError) as caught:
        list(BodyDecoder("gzip").feed(b"\x1f\x8bnot really gzip"))
    assert "undecodable gzip body" in caught.value.reason


# ---------------------------------------------------------------- through the fetcher


def test_gzip_bomb_stops_at_the_cap_in_bounded_memory(server: SiteServer) -> None:
    server.routes["/bomb.html"] = fixed(encoded(gzip_bomb(GIB), "gzip"))
    outcome, seconds, peak_mb = fetch_in_child(server.url("/bomb.html"))
    assert outcome.startswith(f"failed: body exceeds the {CAP}-byte cap once decoded (gzip)")
    assert f"aborted after {CAP} decoded bytes from" in outcome
    assert peak_mb < 100, peak_mb
    assert seconds < 10


def test_stacked_gzip_is_refused_before_any_decoding(server: SiteServer) -> None:
    server.routes["/stacked.html"] = fixed(encoded(stacked_bomb(GIB), "gzip, gzip"))
    outcome, seconds, peak_mb = fetch_in_child(server.url("/stacked.html"))
    assert outcome == (
        "failed: stacked Content-Encoding 'gzip, gzip' refused (a body may carry one coding)"
    )
    assert peak_mb < 100, peak_mb
    assert seconds < 10
    assert len(server.requests_to("/stacked.html")) == 1  # not retried


def test_robots_txt_bomb_makes_the_site_unreachable_with_the_reason(server: SiteServer) -> None:
    server.routes["/robots.txt"] = fixed(encoded(gzip_bomb(64 * MIB), "gzip", "text/plain"))
    server.routes["/a.html"] = Static(PAGE)

    async def go() -> FetchError:
        async with Fetcher(FAST) as fetcher:
            with pytest.raises(RobotsDisallowedError) as caught:
                await fetcher.fetch(server.url("/a.html"))
            return caught.value

    error = asyncio.run(go())
    assert error.unreachable
    assert "robots.txt unreachable (body exceeds the 524288-byte cap once decoded (gzip)" in (
        error.reason
    )
    assert server.requests_to("/a.html") == []


def test_compressed_pages_are_fetched_whole(server: SiteServer) -> None:
    page = b"<!DOCTYPE html><html><body>" + "年度报告".encode() * 10000 + b"</body></html>"
    server.routes["/gz.html"] = fixed(encoded(gzip.compress(page), "gzip"))

    async def go() -> bytes:
        async with Fetcher(replace(FAST, max_bytes=len(page))) as fetcher:
            return (await fetcher.fetch(server.url("/gz.html"))).body or b""

    assert asyncio.run(go()) == page
    (entry,) = server.requests_to("/gz.html")
    assert entry.headers["accept-encoding"] == "gzip, deflate"
