"""Each source's health in a run: what its crawl found, and the flags that need a person.

`SourceTally` counts, per source and run, the requests, list pages, report links found,
documents new / changed / unchanged / gone and failures by kind. `judge` compares a tally
with the source's earlier runs (`warehouse.health.PastRun`) and raises flags, each with a
sentence saying why:

- `no_report_links`: the list pages yielded no report link, where the source usually has some
  (a redesign that discovery no longer reads);
- `report_links_dropped`: far fewer than usual (below `drop_ratio` of the median of the last
  `history` runs in which the source was up);
- `structure_changed`: a list page's structure changed (`pipeline.shape`);
- `robots_disallows_reports`: robots.txt now disallows URLs that held reports or lists;
- `down`: nothing could be fetched for `down_runs` completed runs in a row.

Requests are counted per source by `CountingClient`, which wraps the HTTP client and reads
the source being worked on from a context variable set by the crawl's workers.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from contextvars import ContextVar
from dataclasses import dataclass, field

from pipeline.errors import FetchError
from pipeline.fetch import HttpStatusError, RobotsDisallowedError
from pipeline.http import HttpClient, Response, TransportError
from warehouse.health import PastRun

FLAGS = (
    "no_report_links",
    "report_links_dropped",
    "structure_changed",
    "robots_disallows_reports",
    "down",
)
# Statuses that say a document is gone for good (RFC 9110 §15.5.5, §15.5.11).
GONE_STATUSES = (404, 410)


@dataclass(frozen=True)
class HealthSettings:
    """When a source is flagged, and what the crawl does to notice."""

    history: int = 5  # earlier completed runs that make a source's usual
    drop_ratio: float = 0.5  # report links below this share of the usual are "far below"
    down_runs: int = 3  # consecutive completed runs with nothing fetched
    reshape_below: float = 0.5  # a list page whose shape similarity falls below this changed
    # Ask again (conditionally) for known report URLs no page links to any more, so a report
    # taken down is reported gone: one request per such URL per run, until it is gone.
    revisit_unlinked: bool = True

    def __post_init__(self) -> None:
        if self.history < 1 or self.down_runs < 1:
            raise ValueError("history and down_runs must be >= 1")
        for name in ("drop_ratio", "reshape_below"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"{name} must be in (0, 1], got {getattr(self, name)!r}")


@dataclass
class SourceTally:
    """What one source's crawl found in one run."""

    source: str
    requests: int = 0
    urls: int = 0  # URLs visited: fetched, unchanged, failed or skipped
    reached: int = 0  # URLs answered 200 or 304
    pages: int = 0  # list (navigation) pages read
    report_links: set[str] = field(default_factory=set)
    documents_new: int = 0
    documents_changed: int = 0
    documents_unchanged: int = 0
    documents_gone: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # kind -> first URL and reason
    robots_blocked: list[str] = field(default_factory=list)
    reshaped: list[str] = field(default_factory=list)

    def failed(self, kind: str, url: str, reason: str) -> None:
        self.failures[kind] += 1
        self.examples.setdefault(kind, f"{url}: {reason}")

    @property
    def failed_urls(self) -> int:
        return sum(self.failures.values())

    @property
    def down(self) -> bool:
        """Nothing was reached and something failed (a source with no URLs is not down)."""
        return self.reached == 0 and self.failed_urls > 0


@dataclass(frozen=True)
class Verdict:
    """Flags raised on a source in a run, with a reason each."""

    flags: tuple[str, ...]
    reasons: tuple[str, ...]
    usual_report_links: float | None
    down_runs: int


def judge(tally: SourceTally, past: list[PastRun], settings: HealthSettings) -> Verdict:
    """Flags for a completed run's tally, given the source's earlier completed runs (newest
    first)."""
    flags: list[str] = []
    reasons: list[str] = []
    up = [p.report_links for p in past[: settings.history] if not p.down]
    usual = float(statistics.median(up)) if up else None
    down_runs = (past[0].down_runs if past else 0) + 1 if tally.down else 0
    links = len(tally.report_links)
    if tally.down:
        if down_runs >= settings.down_runs:
            worst = tally.failures.most_common(1)[0][0]
            flags.append("down")
            reasons.append(
                f"down {down_runs} runs in a row: nothing could be fetched; "
                f"{tally.failed_urls} URLs failed, e.g. {tally.examples[worst]}"
            )
    elif usual:
        if links == 0:
            flags.append("no_report_links")
            reasons.append(
                f"no report links found on its {tally.pages} list pages; usually {usual:g} "
                f"(median of the last {len(up)} runs): redesigned or moved?"
            )
        elif links < usual * settings.drop_ratio:
            flags.append("report_links_dropped")
            reasons.append(
                f"{links} report links found; usually {usual:g} (median of the last {len(up)} runs)"
            )
    if tally.reshaped:
        flags.append("structure_changed")
        more = f" and {len(tally.reshaped) - 1} more" if len(tally.reshaped) > 1 else ""
        reasons.append(f"list page structure changed: {tally.reshaped[0]}{more}")
    if tally.robots_blocked:
        flags.append("robots_disallows_reports")
        more = f" and {len(tally.robots_blocked) - 1} more" if len(tally.robots_blocked) > 1 else ""
        reasons.append(
            "robots.txt now disallows URLs that held reports or their lists: "
            f"{tally.robots_blocked[0]}{more}"
        )
    return Verdict(tuple(flags), tuple(reasons), usual, down_runs)


def failure_kind(exc: FetchError) -> str:
    """A failure's kind, for counting: http_404, http_5xx, network, robots_unreachable, ..."""
    if isinstance(exc, HttpStatusError):
        if exc.status in (403, 404, 410, 429):
            return f"http_{exc.status}"
        return "http_5xx" if exc.status >= 500 else "http_4xx"
    if isinstance(exc, TransportError):
        return "network"
    if isinstance(exc, RobotsDisallowedError):
        return "robots_unreachable"
    return "refused"  # over a size or time limit, redirected off the source's sites, ...


# The source whose URL the current task is fetching (set by the crawl's workers).
CURRENT_SOURCE: ContextVar[str | None] = ContextVar("nianbao_current_source", default=None)


class CountingClient:
    """An HTTP client that counts each request against the source being worked on."""

    def __init__(self, inner: HttpClient, tallies: Mapping[str, SourceTally]) -> None:
        self.inner = inner
        self.tallies = tallies

    def stream(self, url: str, headers: Mapping[str, str]) -> AbstractAsyncContextManager[Response]:
        source = CURRENT_SOURCE.get()
        if source is not None and source in self.tallies:
            self.tallies[source].requests += 1
        return self.inner.stream(url, headers)

    async def aclose(self) -> None:
        await self.inner.aclose()
