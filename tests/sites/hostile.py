"""A hostile site beside good reports (issue #12): what a site can send to hurt a crawler.

The main site lists five good reports (one with an ETag in UTF-8) and, among them: a gzip
bomb (1 MB expanding to 1 GiB), a body gzipped twice (2.5 KB, 1 GiB), a page whose script
announces a million list pages, a page of 100,000 links, a report whose table spans a grid
of millions of cells, and one nested past libxml2's depth limit. It links to a second host
whose robots.txt redirects to the cloud metadata address (spelled `2852039166`), to that
address directly (admitted by a careless allow pattern), and to a look-alike of an allowed
host. `EXPECTED_*` say what the warehouse must hold afterwards.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config import DiscoverySettings
from pipeline.discover import script_pages
from tests.sites import HTML_TYPE, Reply, Route, Static, fixed, redirect, status
from tests.sites.bombs import gzip_bomb, span_bomb, stacked_bomb
from tests.sites.qingshi import list_page

DEMO = Path(__file__).resolve().parents[2] / "pipeline" / "demo_site" / "reports"
GIB = 1024**3
METADATA = "http://2852039166/latest/meta-data/"  # 169.254.169.254
LOOKALIKE = "http://files.qingshi.gov.cn.attacker.example/2023.pdf"

GOOD = {
    "/ndbg/good1.html": "0001-clean-2020.html",
    "/ndbg/good2.html": "0002-clean-2021.html",
    "/ndbg/good3.html": "0003-clean-2021.html",
    "/ndbg/good4.html": "0004-clean-2023.html",
    "/ndbg/etag.html": "0006-clean-2025.html",
}
BOMB, STACKED = "/ndbg/bomb.html", "/ndbg/stacked.html"
PAGES, ANCHORS = "/ndbg/pages/index.html", "/ndbg/anchors.html"
SPANS, DEEP = "/ndbg/spans.html", "/ndbg/deep.html"

# path → words the fetch failure must contain (fetch_errors)
EXPECTED_FETCH_FAILURES = {
    BOMB: f"body exceeds the {25 * 1024 * 1024}-byte cap once decoded (gzip)",
    STACKED: "stacked Content-Encoding 'gzip, gzip' refused",
}
# path → words the report's error must contain (stored, parsed, failed)
EXPECTED_PARSE_FAILURES = {
    SPANS: "over the 100000 cells a report table can have",
    DEEP: "elements nested deeper than 256 levels",
}
# path → url_state.note
EXPECTED_NOTES = {
    PAGES: "script pagination capped at 500 pages",
    ANCHORS: "more than 10000 links on the page; the rest not read",
}


def good(name: str) -> bytes:
    return (DEMO / name).read_bytes()


def with_non_ascii_etag(body: bytes) -> Route:
    tag = '"年报-2025"'.encode().decode("latin-1")  # raw UTF-8 bytes on the wire
    return fixed(Reply(200, body, {"Content-Type": HTML_TYPE, "ETag": tag}))


def encoded(body: bytes, coding: str) -> Route:
    return fixed(Reply(200, body, {"Content-Type": HTML_TYPE, "Content-Encoding": coding}))


def inside_body(page: bytes, extra: bytes) -> bytes:
    return page.replace(b"</body>", extra + b"</body>")


def nested(page: bytes, depth: int) -> bytes:
    start = page.index(b">", page.index(b"<body")) + 1
    return page[:start] + b"<div>" * depth + page[start:]


def routes(base: str, other: str) -> dict[str, Route]:
    """The main site at `base`; `other` is the second host's base URL."""
    explosion = "".join(
        f'<script>createPageHTML(500, 0, "list{i}", "html");</script>' for i in range(2000)
    )
    pages_html = list_page([], explosion)
    anchors = "".join(f'<a href="/x/{i}.html">{i}</a>' for i in range(100_000))
    spans_table = span_bomb().split(b"<body>")[1].split(b"</body>")[0]
    items = [
        (path, f"青岛市{2000 + i}年政府信息公开工作年度报告")
        for i, path in enumerate([*GOOD, BOMB, STACKED, SPANS, DEEP])
    ]
    items += [
        (PAGES, "年报栏目"),
        (ANCHORS, "年报目录"),
        (f"{other}/report.html", "乙区2023年政府信息公开工作年度报告"),
        (METADATA, "2023年政府信息公开工作年度报告（元数据）"),
        (LOOKALIKE, "2023年政府信息公开工作年度报告（附件）"),
    ]
    found: dict[str, Route] = {
        "/robots.txt": status(404),
        "/ndbg/": Static(list_page(items, "").encode()),
        BOMB: encoded(gzip_bomb(GIB), "gzip"),
        STACKED: encoded(stacked_bomb(GIB), "gzip, gzip"),
        PAGES: Static(pages_html.encode()),
        ANCHORS: Static(list_page([], anchors).encode()),
        SPANS: Static(inside_body(good("0008-quirky-2020.html"), spans_table)),
        DEEP: Static(nested(good("0007-quirky-2023.html"), 300)),
    }
    for path, name in GOOD.items():
        found[path] = Static(good(name))
    found["/ndbg/etag.html"] = with_non_ascii_etag(good(GOOD["/ndbg/etag.html"]))
    announced = script_pages(pages_html, base + PAGES, DiscoverySettings())
    for url in announced:  # the pages the capped script announces: small, empty lists
        found[url[len(base) :]] = Static(list_page([], "").encode())
    return found


def other_routes() -> dict[str, Route]:
    """The second host: its robots.txt sends the crawler to the metadata address."""
    return {
        "/robots.txt": redirect("http://2852039166/robots.txt"),
        "/report.html": Static(good("0017-quirky-2021.html")),
    }
