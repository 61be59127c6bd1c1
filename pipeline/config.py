"""Crawler settings and the sources config: every default in one place.

A sources config is a TOML file::

    [crawler]                       # optional; every key has a default below
    user_agent = "nianbao/0.1"
    contact = "mailto:data@example.org"
    rate = 1.0                      # requests per second per host
    per_host_concurrency = 2

    [[sources]]
    name = "qingshi"
    start_urls = ["http://127.0.0.1:8000/xxgk/ndbg/"]
    rate = 1.0                      # optional, overrides [crawler].rate
    agency = "青石市人民政府"         # optional hint for the parser
    allow = ["https://files.example.gov.cn/"]    # optional: sites (and path prefixes) beyond
    allow_patterns = ['^https://cdn\\.example\\.gov\\.cn/']   # optional: regexes from the start
    max_depth = 5
    max_pages = 2000

`load_config(path)` returns a frozen `CrawlConfig`, or raises `ConfigError` naming the file
and the key.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.errors import ConfigError

MIB = 1024 * 1024


@dataclass(frozen=True)
class CrawlerSettings:
    """How the fetcher behaves; the `[crawler]` table overrides these defaults."""

    user_agent: str = "nianbao/0.1"
    contact: str = ""  # a URL or mailto: where site operators can reach us
    rate: float = 1.0  # default requests per second per host (sources may override)
    per_host_concurrency: int = 2  # connections per host at once
    connect_timeout: float = 10.0  # seconds to establish a connection
    read_timeout: float = 20.0  # seconds of silence tolerated while reading
    response_deadline: float = 30.0  # seconds for one whole response, however it trickles
    url_deadline: float = 60.0  # seconds one URL may take, retries and redirects included
    max_bytes: int = 25 * MIB  # larger bodies are refused
    retries: int = 3  # extra attempts after connection errors, timeouts, 429 and 5xx
    backoff_base: float = 1.0  # first retry waits about this long, doubling each time
    backoff_max: float = 20.0  # no backoff wait is longer than this
    retry_after_max: float = 30.0  # a server's Retry-After is honoured up to this
    max_redirects: int = 5
    obey_robots: bool = True  # False only for benchmarks on our own fixture sites
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay above this is capped
    robots_max_bytes: int = 512 * 1024  # RFC 9309 §2.5: parse at least 500 KiB
    # Pages up to this size are analysed on the event loop (at most some tens of ms);
    # larger ones in a thread, so one big page cannot hold up every host's requests.
    analyse_inline_max_bytes: int = 64 * 1024
    # New raw bytes one run may add to the store (DB.raw/); what does not fit waits for the
    # next run. A first crawl of a few hundred sources needs a few GB.
    max_store_bytes_per_run: int = 8 * 1024 * MIB
    trust_env: bool = True  # use HTTP(S)_PROXY and friends from the environment
    # URL states are written in batches: at least this often (seconds) and this many rows.
    # At most write_interval seconds of work is lost if the process is killed outright.
    write_interval: float = 1.0  # each batch is a warehouse session of its own (#15)
    write_batch: int = 200

    def __post_init__(self) -> None:
        positive = (
            "rate",
            "connect_timeout",
            "read_timeout",
            "response_deadline",
            "url_deadline",
            "backoff_base",
            "backoff_max",
            "write_interval",
        )
        for name in positive:
            value = getattr(self, name)
            if not (value > 0):
                raise ValueError(f"{name} must be > 0, got {value!r}")
        at_least_one = (
            "per_host_concurrency",
            "max_bytes",
            "robots_max_bytes",
            "max_store_bytes_per_run",
            "write_batch",
        )
        for name in at_least_one:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)!r}")
        non_negative = (
            "retries",
            "max_redirects",
            "retry_after_max",
            "max_crawl_delay",
            "analyse_inline_max_bytes",
        )
        for name in non_negative:
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        if not self.user_agent.strip():
            raise ValueError("user_agent must not be empty")

    @property
    def user_agent_header(self) -> str:
        """The User-Agent sent with every request: product, version and contact."""
        if self.contact:
            return f"{self.user_agent} (+{self.contact})"
        return self.user_agent

    @property
    def robots_agent(self) -> str:
        """The product token matched against robots.txt user-agent lines (RFC 9309 §2.2.1)."""
        return self.user_agent.split("/")[0].split()[0]


@dataclass(frozen=True)
class DiscoverySettings:
    """What makes a link a report, a page of a list, or an attachment.

    The words are the titles Chinese governments give these reports (国务院办公厅政府信息
    公开办公室 calls them 政府信息公开工作年度报告); substrings, so the short forms cover
    the long one. Thresholds are in characters of visible, non-link text.
    """

    report_words: tuple[str, ...] = ("年度报告", "年度报", "年报")
    # Report words as CMS paths spell them (zfxxgkndbg: 政府信息公开年度报告).
    report_url_words: tuple[str, ...] = ("ndbg", "gknb", "ndbaogao")
    # Link text the CMS cut (2023年某区政府信息公开工…) names a report when what is left
    # names the disclosure work.
    cut_marks: tuple[str, ...] = ("…", "...", "..", "⋯")
    cut_report_words: tuple[str, ...] = ("政府信息公开", "政务公开", "信息公开工作")
    pagination_texts: tuple[str, ...] = (
        "下一页",
        "下页",
        "后页",
        "上一页",
        "上页",
        "前页",
        "尾页",
        "末页",
        "最后一页",
        "next",
        "last",
        "prev",
        "previous",
        ">",
        ">>",
        "»",
        "›",
        "<",
        "<<",
        "«",
        "‹",
    )
    pointer_words: tuple[str, ...] = ("详见附件", "见附件", "请见附件", "点击下载", "附件下载")
    attachment_extensions: tuple[str, ...] = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx")
    # Query parameters that only track where a click came from: dropped from URLs.
    tracking_params: tuple[str, ...] = ("spm", "from", "utm_*", "gclid", "fbclid")
    # A report page with at most this much text of its own and an attachment is a pointer.
    pointer_max_text: int = 500
    # ... or at most this much when it says 详见附件 or the like.
    pointer_phrase_max_text: int = 1500
    # A titled page linking to this many reports (and no attachment) is a list, not a report.
    list_min_report_links: int = 3
    # Element ids/classes that hold an article's body on common government CMSs (TRS etc.).
    content_markers: tuple[str, ...] = (
        "trs_editor",
        "zoom",
        "article",
        "content",
        "detail",
        "con_text",
        "pages_content",
        "main-txt",
    )
    # createPageHTML(...) page counts above this are ignored as implausible, and one page's
    # calls together announce at most this many pages (a hostile page repeats the call).
    max_script_pages: int = 500
    # <a href> read per page, and links followed from one page: a list of reports has tens,
    # a site map a few thousand; a page with more is read only this far.
    max_anchors: int = 10000
    max_links: int = 2000


@dataclass(frozen=True)
class Source:
    """One site (or set of start URLs) to crawl."""

    name: str
    start_urls: tuple[str, ...]
    rate: float | None = None  # None: the crawler's default
    agency: str | None = None  # hint for the parser: whose reports these are
    allow: tuple[str, ...] = ()  # sites with a path prefix allowed beyond the start URLs' sites
    allow_patterns: tuple[str, ...] = ()  # regexes matched from the URL's start (re.match)
    max_depth: int = 5  # navigation hops from a start URL to a report page
    max_pages: int = 2000  # URLs fetched for this source in one run

    def __post_init__(self) -> None:
        if not self.start_urls:
            raise ValueError("start_urls must not be empty")
        if self.rate is not None and not (self.rate > 0):
            raise ValueError(f"rate must be > 0, got {self.rate!r}")
        if self.max_depth < 0:
            raise ValueError(f"max_depth must be >= 0, got {self.max_depth!r}")
        if self.max_pages < 1:
            raise ValueError(f"max_pages must be >= 1, got {self.max_pages!r}")


@dataclass(frozen=True)
class CrawlConfig:
    """Everything a crawl needs to know, loaded from one TOML file."""

    sources: tuple[Source, ...]
    crawler: CrawlerSettings = field(default_factory=CrawlerSettings)
    discovery: DiscoverySettings = field(default_factory=DiscoverySettings)
    path: Path | None = None

    def rate_for(self, source: Source) -> float:
        return source.rate if source.rate is not None else self.crawler.rate


NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def load_config(path: str | Path) -> CrawlConfig:
    """Read and validate a sources config; raise ConfigError naming the file and key."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(raw, path)


def parse_config(raw: dict[str, Any], path: str | Path = "<config>") -> CrawlConfig:
    """Validate an already-decoded TOML document (see `load_config`)."""
    where = str(path)
    _check_keys(raw, {"crawler", "sources"}, where, "")
    crawler = _parse_crawler(raw.get("crawler", {}), where)
    sources_raw = raw.get("sources")
    if sources_raw is None:
        raise ConfigError(f"{where}: no [[sources]] given; name at least one source")
    if not isinstance(sources_raw, list) or not all(isinstance(s, dict) for s in sources_raw):
        raise ConfigError(f"{where}: sources must be an array of tables ([[sources]])")
    if not sources_raw:
        raise ConfigError(f"{where}: sources is empty; name at least one source")
    sources = tuple(_parse_source(s, i, where) for i, s in enumerate(sources_raw))
    seen: dict[str, int] = {}
    for i, source in enumerate(sources):
        if source.name in seen:
            raise ConfigError(
                f"{where}: sources[{i}].name {source.name!r} repeats sources[{seen[source.name]}]"
            )
        seen[source.name] = i
    return CrawlConfig(
        sources=sources, crawler=crawler, path=Path(path) if path != "<config>" else None
    )


def _check_keys(table: dict[str, Any], known: set[str], where: str, prefix: str) -> None:
    for key in table:
        if key not in known:
            label = f"{prefix}.{key}" if prefix else key
            raise ConfigError(f"{where}: unknown key {label} (known: {', '.join(sorted(known))})")


def _parse_crawler(table: Any, where: str) -> CrawlerSettings:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: crawler must be a table ([crawler])")
    specs = {f.name: f for f in fields(CrawlerSettings)}
    _check_keys(table, set(specs), where, "crawler")
    values: dict[str, Any] = {}
    for key, value in table.items():
        kind = type(getattr(CrawlerSettings(), key))
        values[key] = _typed(value, kind, where, f"crawler.{key}")
    try:
        return CrawlerSettings(**values)
    except ValueError as exc:
        raise ConfigError(f"{where}: crawler.{exc}") from None


def _parse_source(table: dict[str, Any], index: int, where: str) -> Source:
    label = f"sources[{index}]"
    known = {f.name for f in fields(Source)}
    _check_keys(table, known, where, label)
    if "name" not in table:
        raise ConfigError(f"{where}: {label}.name is missing")
    name = _typed(table["name"], str, where, f"{label}.name")
    if not NAME_RE.match(name):
        raise ConfigError(
            f"{where}: {label}.name {name!r} must be letters, digits, '_', '-' or '.'"
        )
    if "start_urls" not in table:
        raise ConfigError(f"{where}: {label}.start_urls is missing")
    start_urls = _string_list(table["start_urls"], where, f"{label}.start_urls")
    if not start_urls:
        raise ConfigError(f"{where}: {label}.start_urls must name at least one URL")
    for j, url in enumerate(start_urls):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"{where}: {label}.start_urls[{j}] {url!r} is not an http(s) URL with a host"
            )
    rate = table.get("rate")
    if rate is not None:
        rate = _typed(rate, float, where, f"{label}.rate")
        if not (rate > 0) or math.isinf(rate):
            raise ConfigError(f"{where}: {label}.rate must be > 0 (requests per second)")
    agency = table.get("agency")
    if agency is not None:
        agency = _typed(agency, str, where, f"{label}.agency")
    allow = _string_list(table.get("allow", []), where, f"{label}.allow")
    for j, url in enumerate(allow):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"{where}: {label}.allow[{j}] {url!r} is not an http(s) URL with a host"
            )
    patterns = _string_list(table.get("allow_patterns", []), where, f"{label}.allow_patterns")
    for j, pattern in enumerate(patterns):
        problem = pattern_problem(pattern)
        if problem:
            raise ConfigError(f"{where}: {label}.allow_patterns[{j}] {problem}")
    max_depth = _typed(table.get("max_depth", 5), int, where, f"{label}.max_depth")
    if max_depth < 0:
        raise ConfigError(f"{where}: {label}.max_depth must be >= 0")
    max_pages = _typed(table.get("max_pages", 2000), int, where, f"{label}.max_pages")
    if max_pages < 1:
        raise ConfigError(f"{where}: {label}.max_pages must be >= 1")
    return Source(
        name=name,
        start_urls=tuple(start_urls),
        rate=rate,
        agency=agency,
        allow=tuple(allow),
        allow_patterns=tuple(patterns),
        max_depth=max_depth,
        max_pages=max_pages,
    )


def pattern_problem(pattern: str) -> str | None:
    """Why an allow_patterns entry cannot be used, or None. Patterns are matched from the
    start of the URL (re.match), so each must name the scheme and host it admits."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"is not a valid regex: {exc}"
    if not pattern.lstrip("^").lower().startswith("http"):
        return (
            f"{pattern!r} must match URLs from their start, scheme and host included "
            r"(e.g. '^https?://cdn\.example\.gov\.cn/')"
        )
    return None


def _typed(value: Any, kind: type, where: str, label: str) -> Any:
    """Check a TOML value's type; ints are accepted where floats are expected."""
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, bool):
        raise ConfigError(f"{where}: {label} must be an integer, got {value!r}")
    if not isinstance(value, kind):
        names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
        expected = names.get(kind, kind.__name__)
        raise ConfigError(f"{where}: {label} must be {expected}, got {value!r}")
    return value


def _string_list(value: Any, where: str, label: str) -> list[str]:
    if isinstance(value, str):
        raise ConfigError(f"{where}: {label} must be a list of strings, e.g. [{value!r}]")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {label} must be a list of strings")
    return list(value)
