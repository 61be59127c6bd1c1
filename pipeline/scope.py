"""Which URLs a source may fetch: its own sites and its allow-list, judged on parsed URLs.

A URL is in a source's scope when its scheme, host and port are those of a start URL (a
site, per the contract), or when it matches an `allow` entry or an `allow_patterns` regex.
Both are checked on the URL's parts, never as plain strings: `http://files.example.gov.cn`
admits `http://files.example.gov.cn/a.pdf` but not `http://files.example.gov.cn.evil.example/`
nor `http://files.example.gov.cn:8080/`, and a pattern must match the URL from its start and
cover the whole host. Pure functions: where an admitted URL may connect is `destinations`'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from pipeline.config import Source

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class UrlParts:
    """The parts of an http(s) URL that decide where it goes."""

    scheme: str
    host: str
    port: int
    path: str

    @classmethod
    def of(cls, url: str) -> UrlParts | None:
        """The URL's parts, or None if it is not an http(s) URL with a host."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".").lower()
        if scheme not in DEFAULT_PORTS or not host:
            return None
        return cls(scheme, host, port or DEFAULT_PORTS[scheme], parts.path or "/")

    @property
    def site(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    def end_of_host(self, url: str) -> int:
        """Index in `url` just after its authority (scheme://userinfo@host:port)."""
        start = url.index("//") + 2
        slash = [i for i in (url.find(c, start) for c in "/?#") if i >= 0]
        return min(slash) if slash else len(url)


@dataclass(frozen=True)
class AllowPrefix:
    """An `allow` entry: a site, and a path prefix that matches whole segments."""

    parts: UrlParts

    def admits(self, url: UrlParts) -> bool:
        if url.site != self.parts.site:
            return False
        prefix = self.parts.path
        if prefix.endswith("/"):
            return url.path.startswith(prefix)
        return url.path == prefix or url.path.startswith(prefix + "/")


class SourceScope:
    """The site rule of one source; call it with a canonical URL."""

    def __init__(self, source: Source) -> None:
        self.sites = {p.site for p in map(UrlParts.of, source.start_urls) if p is not None}
        self.hosts = {site[1] for site in self.sites}
        self.prefixes = [AllowPrefix(p) for p in map(UrlParts.of, source.allow) if p is not None]
        self.patterns = [re.compile(p) for p in source.allow_patterns]

    def __call__(self, url: str) -> bool:
        parts = UrlParts.of(url)
        if parts is None:
            return False
        if parts.site in self.sites or any(p.admits(parts) for p in self.prefixes):
            return True
        return any(self._pattern_admits(p, url, parts) for p in self.patterns)

    def same_host(self, url: str) -> bool:
        """On a start URL's host, whatever the scheme or port (http → https moves)."""
        parts = UrlParts.of(url)
        return parts is not None and parts.host in self.hosts

    @staticmethod
    def _pattern_admits(pattern: re.Pattern[str], url: str, parts: UrlParts) -> bool:
        match = pattern.match(url)
        if match is None:
            return False
        # A match that stops inside the host (`^https://cdn\.example\.gov\.cn` against
        # `https://cdn.example.gov.cn.evil.example/`) does not name this host.
        end = parts.end_of_host(url)
        return match.end() >= end or url[match.end()] == ":"
