"""Whole crawls of fixture sites on 127.0.0.1 into a real DuckDB warehouse and raw store."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from pipeline.config import CrawlConfig, CrawlerSettings, Source, load_config
from pipeline.crawl import CrawlProgress, CrawlSummary, crawl
from pipeline.store import RawStore, WarehouseLock, WarehouseLockedError
from tests.sites import (
    TEST_SETTINGS,
    RecordingClient,
    Sequence,
    SiteServer,
    Static,
    big,
    qingshi,
    status,
    trickle,
)
from tests.sites.qingshi import page, report_body
from tests.sites.warehouse import open_warehouse

REPO = Path(__file__).resolve().parents[2]
SETTINGS = TEST_SETTINGS


@pytest.fixture
def offsite() -> Iterator[SiteServer]:
    with SiteServer(qingshi.offsite_routes()) as server:
        yield server


@pytest.fixture
def site(offsite: SiteServer) -> Iterator[SiteServer]:
    with SiteServer() as server:
        server.routes.update(qingshi.routes(offsite.base))
        yield server


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def config_for(start: str, settings: CrawlerSettings = SETTINGS, **source: object) -> CrawlConfig:
    return CrawlConfig(sources=(Source("qingshi", (start,), **source),), crawler=settings)


def run(config: CrawlConfig, db: Path, **kwargs: object) -> CrawlSummary:
    con = open_warehouse(db)
    try:
        return crawl(config, con, RawStore(f"{db}.raw"), **kwargs)
    finally:
        con.close()


def query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def report_list(items: list[tuple[str, str]]) -> bytes:
    return qingshi.list_page(items, "").encode()


def report(city: str, year: int) -> bytes:
    return page(f"{city}{year}年政府信息公开工作年度报告", report_body(city, year)).encode()


# ---------------------------------------------------------------- one crawl of the site


def test_first_crawl_stores_reports_and_attachments(
    site: SiteServer, offsite: SiteServer, db: Path
) -> None:
    summary = run(config_for(site.url(qingshi.LIST)), db)
    site.settle()
    assert summary.status == "done"

    documents = query(
        db,
        "SELECT doc_id, source, sha256, media_type, size, kind, url, final_url, parent_url, "
        "http_status FROM documents",
    )
    by_path = {path_of(row[6]): row for row in documents}
    assert {p: row[5] for p, row in by_path.items()} == qingshi.EXPECTED_DOCUMENTS
    store = RawStore(f"{db}.raw")
    for doc_id, source, sha, _media, size, _kind, url, *_ in documents:
        raw = store.get(sha)
        assert hashlib.sha256(raw).hexdigest() == sha
        assert doc_id == sha[:16] and size == len(raw) and source == url
    assert by_path[qingshi.POINTER_PDF][3] == "application/pdf"
    assert by_path[qingshi.POINTER_PDF][8] == site.url(qingshi.POINTER_2022)  # parent
    assert by_path[qingshi.GBK_DOCX][3].endswith("wordprocessingml.document")
    assert by_path[qingshi.REDIRECTED][7] == site.url(qingshi.REDIRECT_FINAL)

    # what the caller must parse: exactly the new documents
    assert {(path_of(d.url), d.kind) for d in summary.new_documents} == set(
        qingshi.EXPECTED_DOCUMENTS.items()
    )
    assert {d.doc_id for d in summary.new_documents} == {row[0] for row in documents}

    # navigation pages are remembered, not documents
    states = dict(query(db, "SELECT url, kind FROM url_state"))
    navigation = {path_of(u) for u, kind in states.items() if kind == "navigation"}
    assert navigation == qingshi.EXPECTED_NAVIGATION

    # each failure recorded with its reason; the run went on
    failures = {path_of(url): reason for url, reason in summary.failures}
    assert set(failures) == set(qingshi.EXPECTED_FAILURES)
    for path, words in qingshi.EXPECTED_FAILURES.items():
        assert words in failures[path]
    recorded = query(db, "SELECT url, reason FROM fetch_errors WHERE run_id = ?", [summary.run_id])
    assert sorted(recorded) == sorted(summary.failures)
    assert summary.counts.skipped_urls == len(qingshi.EXPECTED_SKIPPED)

    # never fetched: robots-disallowed, site chrome, and anything off-site
    requested = set(site.paths())
    assert not requested & qingshi.NEVER_REQUESTED
    assert offsite.log == []
    assert all(u.startswith(site.base) for u in states)
    # duplicates (fragment, tracking parameters) were fetched once
    assert len(site.requests_to(qingshi.REPORT_2023)) == 1
    assert len(site.requests_to("/robots.txt")) == 1

    (row,) = query(
        db,
        "SELECT status, requests, fetched, not_modified, new_documents, failed_urls, "
        "skipped_urls, ended_at IS NOT NULL FROM runs",
    )
    assert row == (
        "done",
        len(site.log),
        summary.counts.fetched,
        0,
        len(qingshi.EXPECTED_DOCUMENTS),
        len(qingshi.EXPECTED_FAILURES),
        1,
        True,
    )
    agents = {e.headers["user-agent"] for e in site.log}
    assert agents == {"nianbao-test/1.0 (+mailto:test@example.org)"}


def test_second_crawl_of_an_unchanged_site_downloads_nothing(site: SiteServer, db: Path) -> None:
    config = config_for(site.url(qingshi.LIST))
    first = run(config, db)
    site.settle()
    fetched_first = {e.path for e in site.log if e.status == 200 and e.path != "/robots.txt"}
    site.clear_log()
    rows_before = query(db, "SELECT count(*) FROM documents")

    second = run(config, db)
    site.settle()
    assert second.new_documents == ()
    assert query(db, "SELECT count(*) FROM documents") == rows_before
    repeat = [e for e in site.log if e.path in fetched_first]
    assert {e.path for e in repeat} == fetched_first
    assert all(e.status == 304 and e.sent == 0 for e in repeat)
    # the only bodies served: robots.txt (once per run), redirects and the 404 page
    bodies = [e for e in site.log if e.sent and e.path != "/robots.txt"]
    assert {e.path for e in bodies} == {qingshi.MISSING}
    assert second.counts.fetched == 0
    assert second.counts.not_modified == len(fetched_first)
    # broken files are known broken without downloading them again
    assert {path_of(u) for u, _ in second.failures} == {path_of(u) for u, _ in first.failures}
    statuses = query(db, "SELECT run_id, status FROM runs ORDER BY run_id")
    assert statuses == [(1, "done"), (2, "done")]


def test_changed_document_is_new_and_the_old_row_stays(site: SiteServer, db: Path) -> None:
    config = config_for(site.url(qingshi.LIST))
    first = run(config, db)
    old = next(d for d in first.new_documents if d.url.endswith(qingshi.REPORT_2023))
    site.routes[qingshi.REPORT_2023] = Static(report("青石市", 2023) + b"<!-- corrected -->")

    second = run(config, db)
    (changed,) = second.new_documents
    assert changed.url == old.url and changed.kind == "report_page"
    assert changed.doc_id != old.doc_id
    rows = query(db, "SELECT doc_id FROM documents WHERE url = ? ORDER BY first_seen", [old.url])
    assert [r[0] for r in rows] == [old.doc_id, changed.doc_id]
    (sha,) = query(db, "SELECT sha256 FROM url_state WHERE url = ?", [old.url])[0]
    assert sha == changed.sha256


def test_same_bytes_at_two_urls_are_one_document(db: Path) -> None:
    pdf = qingshi.PDF_BYTES
    with SiteServer() as server:
        server.routes.update(
            {
                "/ndbg/": Static(
                    report_list(
                        [
                            ("/a/2023.pdf", "2023年政府信息公开工作年度报告"),
                            ("/b/2023.pdf", "2023年政府信息公开工作年度报告（镜像）"),
                        ]
                    )
                ),
                "/a/2023.pdf": Static(pdf, "application/pdf"),
                "/b/2023.pdf": Static(pdf, "application/pdf"),
            }
        )
        summary = run(config_for(server.url("/ndbg/")), db)
    assert len(summary.new_documents) == 1
    assert query(db, "SELECT count(*) FROM documents") == [(1,)]
    assert query(db, "SELECT count(*) FROM url_state WHERE kind = 'attachment'") == [(2,)]


def test_reports_named_only_by_title_attribute_or_path_are_fetched(db: Path) -> None:
    """A CMS list that cuts its link text (…), prints 查看, or names the report only in its
    path: every report is fetched; the news item beside them is not."""
    cut = "青石市2023年政府信息公开工作…"
    listing = (
        "<html><head><title>青石市人民政府</title></head><body><ul>"
        f'<li><a href="/c/2023.html" title="青石市2023年政府信息公开工作年度报告">{cut}</a></li>'
        '<li><a href="/c/2022.html" title="青石市2022年政府信息公开工作年度报告">查看</a></li>'
        '<li><a href="/zfxxgkndbg/2021/t1.html">查看</a></li>'
        f'<li><a href="/c/2020.html">青石市2020年政府信息公开工作…</a></li>'
        '<li><a href="/news/2023/t9.html">查看</a></li>'
        "</ul></body></html>"
    )
    with SiteServer() as server:
        server.routes["/ndbg/"] = Static(listing.encode())
        for year, path in ((2023, "/c/2023.html"), (2022, "/c/2022.html"), (2020, "/c/2020.html")):
            server.routes[path] = Static(report("青石市", year))
        server.routes["/zfxxgkndbg/2021/t1.html"] = Static(report("青石市", 2021))
        server.routes["/news/2023/t9.html"] = Static(page("新闻", "<p>新闻</p>").encode())
        summary = run(config_for(server.url("/ndbg/")), db)
        fetched = {e.path for e in server.log}
    assert len(summary.new_documents) == 4
    assert "/news/2023/t9.html" not in fetched


# ---------------------------------------------------------------- faults


def test_faulty_site_records_each_failure_and_finishes(db: Path) -> None:
    mib = 1024 * 1024
    with SiteServer() as server:
        server.routes.update(
            {
                "/ndbg/": Static(
                    report_list(
                        [
                            ("/flaky.html", "2023年政府信息公开工作年度报告"),
                            ("/busy.html", "2022年政府信息公开工作年度报告"),
                            ("/slow.html", "2021年政府信息公开工作年度报告"),
                            ("/big-length.pdf", "2020年政府信息公开工作年度报告"),
                            ("/big-stream.pdf", "2019年政府信息公开工作年度报告"),
                        ]
                    )
                ),
                "/flaky.html": Sequence([status(500), Static(report("甲市", 2023))]),
                "/busy.html": Sequence(
                    [status(429, {"Retry-After": "1"}), Static(report("乙市", 2022))]
                ),
                "/slow.html": trickle(1000, 0.05),
                "/big-length.pdf": big(3 * mib, with_length=True),
                "/big-stream.pdf": big(3 * mib, with_length=False),
            }
        )
        settings = replace(
            SETTINGS, max_bytes=mib, read_timeout=5.0, response_deadline=0.5, url_deadline=1.5
        )
        started = time.monotonic()
        summary = run(config_for(server.url("/ndbg/"), settings), db)
        elapsed = time.monotonic() - started
        server.settle()
    assert summary.status == "done"
    assert {path_of(d.url) for d in summary.new_documents} == {"/flaky.html", "/busy.html"}
    failures = {path_of(u): reason for u, reason in summary.failures}
    assert set(failures) == {"/slow.html", "/big-length.pdf", "/big-stream.pdf"}
    assert "total deadline" in failures["/slow.html"]
    assert "Content-Length 3145728 exceeds" in failures["/big-length.pdf"]
    assert "body exceeds the 1048576-byte cap" in failures["/big-stream.pdf"]
    assert summary.counts.bytes < 3 * mib
    assert elapsed < 6
    busy = [e for e in server.log if e.path == "/busy.html"]
    assert busy[1].started - busy[0].started >= 0.95


def test_unreachable_robots_blocks_the_site_and_is_a_failure(db: Path) -> None:
    with SiteServer({"/robots.txt": status(503), "/ndbg/": Static(b"<html></html>")}) as server:
        summary = run(config_for(server.url("/ndbg/")), db)
        server.settle()
        assert set(server.paths()) == {"/robots.txt"}
    ((url, reason),) = summary.failures
    assert url == server.url("/ndbg/") and "robots.txt unreachable (HTTP 503)" in reason


# ---------------------------------------------------------------- scope and limits


def test_allow_extends_scope_off_site(offsite: SiteServer, db: Path) -> None:
    with SiteServer() as server:
        server.routes["/ndbg/"] = Static(
            report_list([(offsite.url("/gov/2023.html"), "国务院2023年政府信息公开工作年度报告")])
        )
        summary = run(config_for(server.url("/ndbg/"), allow=(offsite.url("/gov/"),)), db)
    assert [path_of(d.url) for d in summary.new_documents] == ["/gov/2023.html"]
    assert offsite.paths() == ["/robots.txt", "/gov/2023.html"]


def test_allow_patterns_are_regexes(offsite: SiteServer, db: Path) -> None:
    with SiteServer() as server:
        server.routes["/ndbg/"] = Static(
            report_list([(offsite.url("/gov/2023.html"), "国务院2023年政府信息公开工作年度报告")])
        )
        pattern = rf"^http://127\.0\.0\.1:{offsite.port}/gov/\d+\.html$"
        summary = run(config_for(server.url("/ndbg/"), allow_patterns=(pattern,)), db)
    assert len(summary.new_documents) == 1


def test_max_depth_and_max_pages(site: SiteServer, tmp_path: Path) -> None:
    shallow = run(config_for(site.url(qingshi.LIST), max_depth=0), tmp_path / "a.duckdb")
    assert shallow.new_documents == ()
    site.settle()
    assert {e.path for e in site.log} == {"/robots.txt"} | qingshi.EXPECTED_NAVIGATION
    site.clear_log()
    few = run(config_for(site.url(qingshi.LIST), max_pages=3), tmp_path / "b.duckdb")
    site.settle()
    assert few.counts.fetched + few.counts.failed_urls + few.counts.skipped_urls == 3
    assert len([e for e in site.log if e.path != "/robots.txt"]) <= 3 + 2  # + redirect hops


# ---------------------------------------------------------------- politeness


def test_politeness_rate_and_connections_per_host_hosts_in_parallel(db: Path) -> None:
    def routes(city: str) -> dict[str, object]:
        items = [(f"/r{i}.html", f"{2015 + i}年政府信息公开工作年度报告") for i in range(6)]
        found = {"/ndbg/": Static(report_list(items))}
        for i in range(6):
            found[f"/r{i}.html"] = Static(report(city, 2015 + i), delay=0.25)
        return found

    rate = 5.0
    with SiteServer(routes("丙市")) as one, SiteServer(routes("戊市")) as two:
        config = CrawlConfig(
            sources=(
                Source("one", (one.url("/ndbg/"),), rate=rate),
                Source("two", (two.url("/ndbg/"),), rate=rate),
            ),
            crawler=SETTINGS,
        )
        client = RecordingClient.for_settings(SETTINGS)
        summary = run(config, db, client=client)
        one.settle()
        two.settle()
    assert len(summary.new_documents) == 12
    for server in (one, two):
        assert len(server.log) == 8  # robots.txt, the list, six reports
        # requests left the crawler at least 1/rate apart (measured where the gate acts) ...
        assert min(client.gaps(server.base)) >= 1 / rate - 0.005
        # ... and the server never had more than two at once
        assert server.max_in_flight <= 2
    # the two hosts were crawled at the same time, not one after the other: each host had
    # at least half its requests before the other's last (one after the other, the second
    # host has none; a bound on the elapsed time failed on a loaded machine instead)
    for a, b in ((one, two), (two, one)):
        last = max(e.started for e in b.log)
        assert sum(e.started < last for e in a.log) >= len(a.log) // 2


# ---------------------------------------------------------------- the lock


HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pipeline.store import WarehouseLock
    with WarehouseLock.for_db(sys.argv[1]):
        print("held", flush=True)
        time.sleep(30)
    """
)


def test_lock_held_by_a_live_process_refuses_the_run(site: SiteServer, db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseLockedError, match=f"pid {holder.pid}"):
            run(config_for(site.url(qingshi.LIST)), db)
        assert site.log == []
    finally:
        holder.kill()
        holder.wait()
    # the kernel released the dead holder's lock: no stale lock to take over
    assert run(config_for(site.url(qingshi.LIST)), db).status == "done"


def test_stale_lock_is_taken_over_and_released(site: SiteServer, db: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = Path(f"{db}.lock")
    lock.write_text(f"{dead.pid}\n")
    seen: list[str] = []

    def progress(event: CrawlProgress) -> None:
        seen.append(lock.read_text().strip())

    summary = run(config_for(site.url(qingshi.LIST)), db, progress=progress)
    assert summary.status == "done"
    assert set(seen) == {str(os.getpid())}
    assert not lock.exists()


def test_lock_excludes_a_second_run_in_the_same_process(site: SiteServer, db: Path) -> None:
    with WarehouseLock.for_db(db), pytest.raises(WarehouseLockedError):
        run(config_for(site.url(qingshi.LIST)), db)
    summary = run(config_for(site.url(qingshi.LIST)), db)  # released: runs now
    assert summary.status == "done"


def test_progress_reports_every_url_and_library_prints_nothing(
    site: SiteServer, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events: list[CrawlProgress] = []
    summary = run(config_for(site.url(qingshi.LIST)), db, progress=events.append)
    outcomes = [e.outcome for e in events]
    assert outcomes.count("failed") == len(summary.failures)
    assert outcomes.count("skipped") == summary.counts.skipped_urls
    assert events[-1].pending == 0
    assert [e.done for e in events] == list(range(1, len(events) + 1))
    assert capsys.readouterr() == ("", "")


def test_run_left_running_by_a_dead_process_is_marked_interrupted(
    site: SiteServer, db: Path
) -> None:
    con = open_warehouse(db)
    con.execute("INSERT INTO runs (run_id, started_at, status) VALUES (1, now(), 'running')")
    con.close()
    run(config_for(site.url(qingshi.LIST)), db)
    assert query(db, "SELECT run_id, status FROM runs ORDER BY run_id") == [
        (1, "interrupted"),
        (2, "done"),
    ]


# ---------------------------------------------------------------- interruption


CRAWLER_SCRIPT = textwrap.dedent(
    """
    import sys
    from pipeline.config import load_config
    from pipeline.crawl import CrawlInterrupted, crawl
    from pipeline.store import RawStore
    from tests.sites.warehouse import open_warehouse

    db, config = sys.argv[1], sys.argv[2]
    con = open_warehouse(db)
    try:
        crawl(load_config(config), con, RawStore(db + ".raw"))
    except CrawlInterrupted as exc:
        print(exc.reason)
        sys.exit(130)
    """
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_run_is_marked_and_the_next_run_resumes(
    tmp_path: Path, db: Path, signum: int
) -> None:
    items = [(f"/r{i}.html", f"{2010 + i}年政府信息公开工作年度报告") for i in range(8)]
    routes = {"/ndbg/": Static(report_list(items))}
    for i in range(8):
        routes[f"/r{i}.html"] = Static(report("丁市", 2010 + i), delay=0 if i < 3 else 10)
    with SiteServer(routes) as server:
        config = tmp_path / "sources.toml"
        config.write_text(
            textwrap.dedent(
                f"""
                [crawler]
                rate = 50
                per_host_concurrency = 1
                trust_env = false
                response_deadline = 60
                read_timeout = 60
                url_deadline = 60

                [[sources]]
                name = "ding"
                start_urls = ["{server.url("/ndbg/")}"]
                """
            )
        )
        script = tmp_path / "crawler.py"
        script.write_text(CRAWLER_SCRIPT)
        child = subprocess.Popen(
            [sys.executable, str(script), str(db), str(config)],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 20
            while "/r3.html" not in server.arrived and time.monotonic() < deadline:
                time.sleep(0.05)
            assert server.in_flight == 1  # /r3.html is hanging
            child.send_signal(signum)
            out, _ = child.communicate(timeout=15)
        finally:
            child.kill()
        assert child.returncode == 130
        assert "interrupted" in out

        ((status_, error),) = query(db, "SELECT status, error FROM runs")
        assert status_ == "interrupted"
        assert signal.Signals(signum).name in error
        done = {path_of(u) for (u,) in query(db, "SELECT url FROM url_state")}
        assert done == {"/ndbg/", "/r0.html", "/r1.html", "/r2.html"}
        assert not Path(f"{db}.lock").exists()

        for i in range(3, 8):
            server.routes[f"/r{i}.html"] = Static(report("丁市", 2010 + i))
        server.clear_log()
        summary = run(replace(load_config(config), crawler=replace(SETTINGS, rate=50.0)), db)
        server.wait_for([f"/r{i}.html" for i in range(8)])  # the hung request is still open
    assert summary.status == "done"
    assert {path_of(d.url) for d in summary.new_documents} == {f"/r{i}.html" for i in range(3, 8)}
    statuses = {e.path: e.status for e in server.log}
    assert all(statuses[f"/r{i}.html"] == 304 for i in range(3))
    assert query(db, "SELECT count(*) FROM documents") == [(8,)]
    assert query(db, "SELECT status FROM runs ORDER BY run_id") == [("interrupted",), ("done",)]
