"""robots.txt policy per RFC 9309, parsed with protego. No I/O: the fetcher fetches.

RFC 9309 §2.3.1: a robots.txt that is "unavailable" (HTTP 400-499) means no rules, so
everything is allowed; one that is "unreachable" (5xx or a network error) means the crawler
must assume complete disallow. We keep that verdict for the whole run.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego


@dataclass(frozen=True)
class RobotsPolicy:
    """What one site's robots.txt allows us."""

    site: str
    verdict: str  # rules | allow_all | disallow_all
    reason: str = ""  # why allow_all or disallow_all
    rules: Protego | None = None

    def allows(self, url: str, agent: str) -> bool:
        if self.verdict == "allow_all":
            return True
        if self.verdict == "disallow_all":
            return False
        assert self.rules is not None
        return bool(self.rules.can_fetch(url, agent))

    def delay(self, agent: str) -> float | None:
        """Seconds between requests asked for by Crawl-delay or Request-rate, if any."""
        if self.rules is None:
            return None
        delays = []
        crawl_delay = self.rules.crawl_delay(agent)
        if crawl_delay is not None:
            delays.append(float(crawl_delay))
        rate = self.rules.request_rate(agent)
        if rate is not None and rate.requests:
            delays.append(rate.seconds / rate.requests)
        return max(delays) if delays else None


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def policy_from_response(site: str, status: int, body: bytes) -> RobotsPolicy:
    """The policy for a robots.txt response (after redirects)."""
    if 200 <= status < 300:
        text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
        return RobotsPolicy(site, "rules", rules=Protego.parse(text))
    if 400 <= status < 500:
        return RobotsPolicy(site, "allow_all", f"robots.txt unavailable (HTTP {status})")
    return RobotsPolicy(site, "disallow_all", f"robots.txt unreachable (HTTP {status})")


def policy_unreachable(site: str, reason: str) -> RobotsPolicy:
    """robots.txt could not be fetched at all: disallow everything for this run."""
    return RobotsPolicy(site, "disallow_all", f"robots.txt unreachable ({reason})")


def allow_all(site: str, reason: str) -> RobotsPolicy:
    return RobotsPolicy(site, "allow_all", reason)
