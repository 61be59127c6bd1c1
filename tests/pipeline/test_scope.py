"""Allow-lists judged on parsed URLs; no hop to a loopback, private or link-local address the
source does not live on, robots.txt redirects included (issue #12, case 4).

The fixture sites are on 127.0.0.1, so a source here lives on loopback: loopback stays
reachable, link-local (169.254.169.254, the cloud metadata address) and private (10/8) do
not. `http://2852039166/` is 169.254.169.254 spelled as one number, which only the
resolver decodes: it shows the check runs on resolved addresses, with no network needed.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterator

import pytest

from pipeline.config import Source, parse_config
from pipeline.destinations import DestinationRefusedError, address_class
from pipeline.errors import ConfigError
from pipeline.fetch import Fetcher, RobotsDisallowedError
from pipeline.scope import SourceScope
from tests.pipeline.test_fetch import FAST, PAGE, fetch, fetch_error
from tests.sites import SiteServer, Static, redirect, status

METADATA = "http://2852039166/latest/meta-data/"  # 169.254.169.254


@pytest.fixture
def server() -> Iterator[SiteServer]:
    with SiteServer({"/robots.txt": status(404)}) as site:
        yield site


# ---------------------------------------------------------------- allow-lists


def scope(**source: object) -> SourceScope:
    return SourceScope(Source("s", ("http://www.example.gov.cn/xxgk/",), **source))


def test_allow_prefixes_match_scheme_host_port_and_whole_path_segments() -> None:
    admits = scope(allow=("http://files.example.gov.cn", "https://cdn.example.gov.cn/ndbg"))
    assert admits("http://www.example.gov.cn/anything.html")
    assert admits("http://files.example.gov.cn/a.pdf")
    assert not admits("http://files.example.gov.cn.attacker.example/a.pdf")
    assert not admits("http://files.example.gov.cn:8080/a.pdf")
    assert not admits("https://files.example.gov.cn/a.pdf")
    assert admits("https://cdn.example.gov.cn/ndbg/2023.pdf")
    assert admits("https://cdn.example.gov.cn/ndbg")
    assert not admits("https://cdn.example.gov.cn/ndbg-other/2023.pdf")
    assert not admits("http://www.example.gov.cn.evil.example/")


def test_allow_patterns_match_from_the_start_and_cover_the_whole_host() -> None:
    admits = scope(allow_patterns=(r"^https?://cdn\d\.example\.gov\.cn",))
    assert admits("https://cdn1.example.gov.cn/a.pdf")
    assert admits("https://cdn1.example.gov.cn:8443/a.pdf")
    assert not admits("https://cdn1.example.gov.cn.attacker.example/a.pdf")
    assert not admits("http://169.254.169.254/?u=https://cdn1.example.gov.cn/")


def test_a_pattern_that_does_not_name_scheme_and_host_is_a_config_error() -> None:
    raw = {"sources": [{"name": "s", "start_urls": ["http://x.cn/"], "allow_patterns": ["cdn"]}]}
    with pytest.raises(ConfigError) as caught:
        parse_config(raw)
    assert "allow_patterns[0] 'cdn' must match URLs from their start" in caught.value.reason
    raw["sources"][0]["allow_patterns"] = []
    raw["sources"][0]["allow"] = ["files.example.gov.cn"]
    with pytest.raises(ConfigError) as caught:
        parse_config(raw)
    assert "allow[0] 'files.example.gov.cn' is not an http(s) URL with a host" in (
        caught.value.reason
    )


# ---------------------------------------------------------------- address classes


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("fd00::1", "private"),
        ("0.0.0.0", "private"),
        ("100.64.0.1", "non-public"),
        ("8.8.8.8", None),
        ("2001:4860:4860::8888", None),
    ],
)
def test_address_classes(address: str, expected: str | None) -> None:
    assert address_class(ipaddress.ip_address(address)) == expected


# ---------------------------------------------------------------- redirects and robots.txt


@pytest.mark.parametrize(
    ("target", "kind"),
    [(METADATA, "link-local"), ("http://10.1.2.3/admin", "private")],
)
def test_redirect_to_a_non_public_address_is_refused_unfollowed(
    server: SiteServer, target: str, kind: str
) -> None:
    server.routes["/go"] = redirect(target)
    error = fetch_error(server.url("/go"), allowed=lambda url: True)
    assert isinstance(error, DestinationRefusedError)
    assert error.reason.startswith(f"redirected to {target} refused")
    assert f"is a {kind} address, and the source's own sites are not" in error.reason


def test_the_sources_own_kind_of_address_stays_reachable(server: SiteServer) -> None:
    server.routes["/go"] = redirect(f"http://localhost:{server.port}/a.html")
    server.routes["/a.html"] = Static(PAGE)
    result, _ = fetch(server.url("/go"), allowed=lambda url: True)
    assert result.status == 200 and result.final_url.startswith("http://localhost:")


def test_a_link_to_a_non_public_address_is_refused_for_a_source_that_is_not_there() -> None:
    async def go() -> DestinationRefusedError:
        async with Fetcher(FAST) as fetcher:
            with pytest.raises(DestinationRefusedError) as caught:
                await fetcher.fetch(METADATA, home=("http://127.0.0.1:9/",))
            return caught.value

    assert "2852039166 is a link-local address" in asyncio.run(go()).reason


@pytest.mark.parametrize("target", [METADATA, "http://10.1.2.3/robots.txt"])
def test_robots_txt_redirect_is_checked_like_any_hop(server: SiteServer, target: str) -> None:
    server.routes["/robots.txt"] = redirect(target)
    server.routes["/a.html"] = Static(PAGE)
    error = fetch_error(server.url("/a.html"), allowed=lambda url: True)
    assert isinstance(error, RobotsDisallowedError) and error.unreachable
    assert f"robots.txt unreachable (redirected to {target} refused" in error.reason
    assert server.requests_to("/a.html") == []


def test_robots_txt_redirect_off_the_sources_sites_is_not_followed(server: SiteServer) -> None:
    with SiteServer({"/robots.txt": Static(b"User-agent: *\nAllow: /\n", "text/plain")}) as other:
        elsewhere = f"http://localhost:{other.port}/robots.txt"  # another host
        server.routes["/robots.txt"] = redirect(elsewhere)
        server.routes["/a.html"] = Static(PAGE)
        mine = server.base
        error = fetch_error(server.url("/a.html"), allowed=lambda url: url.startswith(mine))
        assert f"robots.txt unreachable (redirected off the source's sites to {elsewhere})" in (
            error.reason
        )
        assert other.log == []


def test_robots_txt_redirect_on_the_same_host_is_followed(server: SiteServer) -> None:
    """As from http to https: same host, another port."""
    with SiteServer({"/robots.txt": Static(b"User-agent: *\nDisallow: /a", "text/plain")}) as new:
        server.routes["/robots.txt"] = redirect(new.url("/robots.txt"), 301)
        server.routes["/a.html"] = Static(PAGE)
        error = fetch_error(server.url("/a.html"), allowed=lambda url: False)
        assert isinstance(error, RobotsDisallowedError) and not error.unreachable
        assert len(new.requests_to("/robots.txt")) == 1
