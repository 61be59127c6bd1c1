"""Crawler benchmark on local fixture sites (127.0.0.1 only).

1. Throughput: HOSTS sites (one port each) with REPORTS report pages in all, behind list
   pages; politeness off (no rate limit, no robots.txt). Prints pages/s and this process's
   CPU seconds per page. The servers run in another process so they do not count.
2. Politeness: 10 sites at 1 request/s each, about 10 requests per site. The bound is
   (requests per site - 1) / rate seconds; prints elapsed / bound (goal: within 10%).

Usage: python bench/crawl_throughput.py [--reports 500] [--hosts 5]
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.sites

from pipeline.config import CrawlConfig, CrawlerSettings, Source
from pipeline.crawl import CrawlSummary, crawl
from pipeline.store import RawStore
from tests.sites import Route, SiteServer, Static, status
from tests.sites.qingshi import list_page, page, report_body
from tests.sites.warehouse import open_warehouse

PER_LIST_PAGE = 20
BASE_SETTINGS = CrawlerSettings(
    user_agent="nianbao-bench/0.1",
    contact="mailto:bench@example.org",
    trust_env=False,
    connect_timeout=5.0,
    read_timeout=10.0,
    response_deadline=20.0,
    url_deadline=60.0,
)


def site_routes(host: int, reports: int) -> dict[str, Route]:
    """One site: list pages index.html, index_1.html … linking `reports` report pages."""
    routes: dict[str, Route] = {"/robots.txt": status(404)}
    paths = [f"/ndbg/{host}/t{i:04d}.html" for i in range(reports)]
    pages = max(1, -(-reports // PER_LIST_PAGE))
    for p in range(pages):
        chunk = paths[p * PER_LIST_PAGE : (p + 1) * PER_LIST_PAGE]
        items = [(path, f"第{host}区{2000 + i % 24}年政府信息公开工作年度报告") for i, path in
                 enumerate(chunk)]  # fmt: skip
        pager = f'<a href="index_{p + 1}.html">下一页</a>' if p + 1 < pages else ""
        name = "/ndbg/index.html" if p == 0 else f"/ndbg/index_{p}.html"
        routes[name] = Static(list_page(items, pager).encode())
    for i, path in enumerate(paths):
        city = f"第{host}区第{i}号"
        title = f"{city}{2000 + i % 24}年政府信息公开工作年度报告"
        routes[path] = Static(page(title, report_body(city, 2000 + i % 24)).encode())
    return routes


def serve(sites: list[int], reports: int, ports: multiprocessing.Queue, stop: object) -> None:
    servers = [SiteServer(site_routes(host, reports)).start() for host in sites]
    ports.put([server.port for server in servers])
    stop.wait()  # type: ignore[attr-defined]
    for server in servers:
        server.stop()


def run_crawl(config: CrawlConfig, workdir: Path, name: str) -> tuple[CrawlSummary, float, float]:
    db = workdir / f"{name}.duckdb"
    con = open_warehouse(db)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        summary = crawl(config, con, RawStore(f"{db}.raw"))
        return summary, time.perf_counter() - wall, time.process_time() - cpu
    finally:
        con.close()


def with_servers(hosts: int, reports_per_host: int):
    context = multiprocessing.get_context("spawn")
    ports: multiprocessing.Queue = context.Queue()
    stop = context.Event()
    process = context.Process(
        target=serve, args=(list(range(hosts)), reports_per_host, ports, stop), daemon=True
    )
    process.start()
    return process, stop, ports.get(timeout=60)


def throughput(reports: int, hosts: int, workdir: Path) -> None:
    per_host = reports // hosts
    process, stop, ports = with_servers(hosts, per_host)
    try:
        settings = replace(BASE_SETTINGS, rate=1e9, obey_robots=False, per_host_concurrency=8)
        sources = tuple(
            Source(f"h{i}", (f"http://127.0.0.1:{port}/ndbg/index.html",), max_pages=10_000)
            for i, port in enumerate(ports)
        )
        summary, wall, cpu = run_crawl(CrawlConfig(sources, settings), workdir, "throughput")
    finally:
        stop.set()
        process.join(timeout=10)
    pages = summary.counts.fetched
    print(f"throughput: {hosts} hosts, {pages} pages fetched ({summary.counts.new_documents} "
          f"report documents), {summary.counts.failed_urls} failed")  # fmt: skip
    print(f"  wall {wall:.2f} s  ->  {pages / wall:.0f} pages/s (goal >= 100)")
    print(f"  CPU  {cpu:.2f} s  ->  {cpu / pages * 1000:.2f} ms CPU per page (crawler process)")


def politeness(hosts: int, workdir: Path) -> None:
    rate = 1.0
    process, stop, ports = with_servers(hosts, 8)  # list page + 8 reports (+ robots.txt)
    try:
        settings = replace(BASE_SETTINGS, rate=rate, per_host_concurrency=2)
        sources = tuple(
            Source(f"p{i}", (f"http://127.0.0.1:{port}/ndbg/index.html",))
            for i, port in enumerate(ports)
        )
        summary, wall, _ = run_crawl(CrawlConfig(sources, settings), workdir, "politeness")
    finally:
        stop.set()
        process.join(timeout=10)
    per_host = summary.counts.requests / hosts
    bound = (per_host - 1) / rate
    print(f"politeness: {hosts} hosts at {rate:g} req/s, {per_host:.0f} requests per host "
          "(robots.txt included)")  # fmt: skip
    print(f"  elapsed {wall:.2f} s, bound {bound:.2f} s, ratio {wall / bound:.3f} "
          "(goal: within 10%, never below 1)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=5)
    parser.add_argument("--polite-hosts", type=int, default=10)
    parser.add_argument("--skip-politeness", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        throughput(args.reports, args.hosts, Path(tmp))
        if not args.skip_politeness:
            politeness(args.polite_hosts, Path(tmp))


if __name__ == "__main__":
    main()
