"""What one page or one run can cost the crawl (issue #12, cases 2 and 7 and the raw-store
limit of case 8): link discovery capped per page and kept off the event loop, validators
sent back only when they can be, and a run that stops storing at its limit."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path

from pipeline.config import CrawlConfig, DiscoverySettings, Source
from pipeline.discover import analyse_page
from pipeline.frontier import CrawlRun
from pipeline.health import HealthSettings
from pipeline.store import RawStore
from tests.pipeline.test_crawl import SETTINGS, path_of, query, report, report_list, run
from tests.sites import FIXED_DATE, HTML_TYPE, Reply, Request, SiteServer, Static, qingshi
from tests.sites.warehouse import open_warehouse
from warehouse.access import as_warehouse

FAST = replace(SETTINGS, rate=500.0, per_host_concurrency=4)


def config(start: str, discovery: DiscoverySettings | None = None, **source: object):
    return CrawlConfig(
        sources=(Source("hostile", (start,), **source),),
        crawler=FAST,
        discovery=discovery or DiscoverySettings(),
    )


def script_explosion(calls: int, count: int = 500) -> bytes:
    """A list page calling createPageHTML(count, ...) `calls` times, with distinct stems."""
    script = "".join(
        f'<script>createPageHTML({count}, 0, "list{i}", "html");</script>' for i in range(calls)
    )
    return qingshi.list_page([], script).encode()


def anchor_flood(n: int) -> bytes:
    links = "".join(f'<a href="/p/{i}.html">{i}</a>' for i in range(n))
    return qingshi.list_page([], f"<div>{links}</div>").encode()


# ---------------------------------------------------------------- discovery, per page


def test_script_pagination_is_capped_per_page_not_per_call() -> None:
    body = script_explosion(2000)  # before: 1,000,000 URLs and 15 s of CPU
    started = time.process_time()
    page = analyse_page(body, "http://x.cn/ndbg/index.html")
    spent = time.process_time() - started
    assert len(page.links) == 500
    assert page.notes == ("script pagination capped at 500 pages",)
    assert spent < 1.0, spent


def test_a_repeated_pagination_call_adds_nothing() -> None:
    call = '<script>createPageHTML(400, 0, "index", "html");</script>'
    page = analyse_page(qingshi.list_page([], call * 5000).encode(), "http://x.cn/ndbg/")
    assert len(page.links) == 400 and page.notes == ()


def test_anchors_read_per_page_are_capped() -> None:
    body = anchor_flood(300_000)  # 11 MB; before: 8.2 s of CPU
    started = time.process_time()
    page = analyse_page(body, "http://x.cn/ndbg/index.html")
    spent = time.process_time() - started
    assert page.notes == ("more than 10000 links on the page; the rest not read",)
    assert spent < 5.0, spent


def test_links_followed_per_page_are_capped() -> None:
    items = [(f"/r/{i}.html", f"{2000 + i % 24}年政府信息公开工作年度报告") for i in range(50)]
    settings = DiscoverySettings(max_links=20)
    page = analyse_page(report_list(items), "http://x.cn/ndbg/", settings=settings)
    assert len(page.links) == 20
    assert page.notes == ("links followed capped at 20",)


def test_page_analysis_leaves_the_event_loop_free(tmp_path: Path) -> None:
    big, small = anchor_flood(300_000), anchor_flood(100)
    con = open_warehouse(tmp_path / "w.duckdb")
    crawl = CrawlRun(
        config("http://x.cn/"),
        as_warehouse(con),
        RawStore(tmp_path / "raw"),
        1,
        None,
        states={},
        known=set(),
        doc_ids={},
        health=HealthSettings(),
    )

    async def ticks_during(body: bytes) -> int:
        """How often a 10 ms ticker ran on the event loop while `body` was analysed."""
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        await asyncio.sleep(0.05)
        before = ticks
        await crawl.analyse(body, "http://x.cn/ndbg/", "", None)
        during = ticks - before
        ticker.cancel()
        return during

    big_ticks = asyncio.run(ticks_during(big))
    small_ticks = asyncio.run(ticks_during(small))
    con.close()
    # 11 MB take about a second in a thread, and the loop kept ticking all along; a small
    # page is analysed on the loop itself, in less time than one tick.
    assert big_ticks >= 10, big_ticks
    assert small_ticks == 0


# ---------------------------------------------------------------- the crawl records the caps


def test_capped_pages_are_crawled_and_noted(db: Path) -> None:
    discovery = DiscoverySettings(max_script_pages=20, max_anchors=30)
    with SiteServer() as server:
        server.routes["/ndbg/index.html"] = Static(script_explosion(50, count=15))
        server.routes["/ndbg/more.html"] = Static(anchor_flood(100))
        server.routes["/ndbg/"] = Static(
            report_list([("/ndbg/index.html", "更多年报"), ("/ndbg/more.html", "年报栏目")])
        )
        summary = run(config(server.url("/ndbg/"), discovery), db)
        server.settle()
        generated = {e.path for e in server.log if e.path.startswith("/ndbg/list")}
    assert summary.status == "done"
    assert len(generated) == 20
    notes = dict(query(db, "SELECT url, note FROM url_state WHERE note IS NOT NULL"))
    assert {path_of(u): n for u, n in notes.items()} == {
        "/ndbg/index.html": "script pagination capped at 20 pages",
        "/ndbg/more.html": "more than 30 links on the page; the rest not read",
    }


# ---------------------------------------------------------------- validators


def non_ascii_etag(body: bytes, last_modified: bool) -> object:
    """A page whose ETag is UTF-8 text (sent as raw bytes, as some CMSs do)."""
    tag = '"年报-2023"'.encode().decode("latin-1")

    def reply(request: Request) -> Reply:
        headers = {"Content-Type": HTML_TYPE, "ETag": tag}
        if last_modified:
            headers["Last-Modified"] = FIXED_DATE
            if request.headers.get("if-modified-since") == FIXED_DATE:
                return Reply(304, b"", headers)
        return Reply(200, body, headers)

    return reply


def test_a_non_ascii_etag_is_kept_but_never_sent_back(db: Path) -> None:
    items = [
        ("/a.html", "甲市2023年政府信息公开工作年度报告"),
        ("/b.html", "乙市2023年政府信息公开工作年度报告"),
    ]
    with SiteServer() as server:
        server.routes["/ndbg/"] = Static(report_list(items))
        server.routes["/a.html"] = non_ascii_etag(report("甲市", 2023), last_modified=True)
        server.routes["/b.html"] = non_ascii_etag(report("乙市", 2023), last_modified=False)
        first = run(config(server.url("/ndbg/")), db)
        second = run(config(server.url("/ndbg/")), db)
        server.settle()
        sent = [e.headers for e in server.log if e.path in ("/a.html", "/b.html")]
    assert len(first.new_documents) == 2 and not first.failures
    # before: UnicodeEncodeError, an internal error on every later run
    assert second.status == "done" and second.internal_errors == 0 and not second.failures
    assert second.new_documents == ()
    assert not any("if-none-match" in headers for headers in sent)
    assert second.counts.not_modified == 2  # ndbg/ by ETag, a.html by its date
    etags = {e for (e,) in query(db, "SELECT etag FROM url_state WHERE url LIKE '%.html'")}
    assert etags == {'"年报-2023"'}


# ---------------------------------------------------------------- the raw store's limit


def test_a_run_stops_storing_at_its_limit_and_the_next_run_goes_on(db: Path) -> None:
    items = [(f"/r{i}.html", f"{2010 + i}年政府信息公开工作年度报告") for i in range(8)]
    with SiteServer() as server:
        server.routes["/ndbg/"] = Static(report_list(items))
        for i in range(8):
            server.routes[f"/r{i}.html"] = Static(report(f"{i}号市", 2010 + i))
        limit = 3 * len(report("0号市", 2010)) + len(report_list(items))
        tight = config(server.url("/ndbg/"))
        one_by_one = replace(FAST, per_host_concurrency=1, max_store_bytes_per_run=limit)
        tight = replace(tight, crawler=one_by_one)
        first = run(tight, db)
        stored = sum(f.stat().st_size for f in Path(f"{db}.raw").rglob("*") if f.is_file())
        second = run(config(server.url("/ndbg/")), db)
    assert first.status == "done"
    ((_url, reason),) = first.failures
    assert reason == (
        f"not stored: this run has added {stored} bytes to the raw store and its limit is "
        f"{limit} bytes (crawler.max_store_bytes_per_run); the rest of the crawl is left for "
        "the next run"
    )
    assert len(first.new_documents) == 3
    assert first.counts.skipped_urls == 8 - 3 - 1
    assert stored <= limit
    assert second.status == "done" and not second.failures
    assert len(second.new_documents) == 5
