"""What watching a run costs: health and change tracking, and writing in short sessions.

1. Tracking share: `run_once` (crawl, parse, load) over HOSTS local sites of real generated
   reports, politeness off so nothing hides in network waits (the worst case). Every
   function that exists only for health and change tracking is timed in place (list-page
   shapes, classifying documents, gone reports, revisits, per-source request counting,
   judging and storing the sources' health, change rows, comparing figures, reading the
   run's changes); their sum is divided by the run's wall time, in the same run. Run 1
   finds everything new; run 2 follows the republication of REPUBLISH of the reports with
   one figure corrected (the nightly case: mostly 304s, a few changes).
2. Short sessions: the same crawl (no parse) into fresh warehouses, alternately with the
   file held for the whole run (as before) and opened for each batch of writes (as now);
   the ratio of the medians is what "readers never blocked" costs.

Part 1 runs again with politeness on (--polite-rate requests/s per host), as nightly runs are.

The servers run in another process, so they do not count.
Usage: python bench/run_overhead.py [--hosts 4] [--reports 40] [--rounds 3] [--polite-rate 4]
"""

from __future__ import annotations

import argparse
import functools
import logging
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.sites

import pipeline.crawl
import pipeline.frontier
import pipeline.run
import warehouse.crawl
from pipeline.batch import BatchSettings
from pipeline.config import CrawlConfig, CrawlerSettings, Source
from pipeline.crawl import crawl
from pipeline.frontier import CrawlRun
from pipeline.health import CountingClient, SourceTally
from pipeline.store import RawStore
from tests.sites import Route, SiteServer, Static
from tests.sites.column import correct_one_figure, list_page, report_files
from warehouse.access import HeldWarehouse, Warehouse
from warehouse.schema import connect

REPUBLISH = 0.1
SETTINGS = CrawlerSettings(
    user_agent="nianbao-bench/0.1",
    contact="mailto:bench@example.org",
    trust_env=False,
    rate=1e9,
    obey_robots=False,
    per_host_concurrency=8,
    connect_timeout=5.0,
    read_timeout=10.0,
    response_deadline=20.0,
    url_deadline=60.0,
)
TIMED: dict[str, float] = defaultdict(float)


class Republished:
    """A report that serves its corrected version once the event is set."""

    def __init__(self, before: bytes, after: bytes, event) -> None:
        self.before, self.after, self.event = Static(before), Static(after), event

    def __call__(self, request):
        return (self.after if self.event.is_set() else self.before)(request)


def site_routes(host: int, reports: int, republish, every: int) -> dict[str, Route]:
    """List pages of 20 links; reports are the demo site's, each made distinct."""
    sources = [p.read_bytes() for p in report_files(100, "*-[cqd]*-*.htm*")]
    routes: dict[str, Route] = {}
    items = []
    for i in range(reports):
        path = f"/ndbg/{host}/t{i:04d}.html"
        body = sources[i % len(sources)] + f"<!-- {host}/{i} -->".encode()
        if i % every == 0:
            routes[path] = Republished(body, correct_one_figure(body)[0], republish)
        else:
            routes[path] = Static(body)
        items.append((path, f"第{host}区{2000 + i % 24}年政府信息公开工作年度报告"))
    pages = -(-reports // 20)
    for p in range(pages):
        pager = f'<a href="index_{p + 1}.html">下一页</a>' if p + 1 < pages else ""
        name = "/ndbg/index.html" if p == 0 else f"/ndbg/index_{p}.html"
        body = list_page(items[p * 20 : (p + 1) * 20]).replace(b"</ul>", f"</ul>{pager}".encode())
        routes[name] = Static(body)
    return routes


def serve(hosts: int, reports: int, every: int, ports, republish, stop) -> None:
    servers = [SiteServer(site_routes(h, reports, republish, every)).start() for h in range(hosts)]
    ports.put([s.port for s in servers])
    stop.wait()
    for server in servers:
        server.stop()


def timed(name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMED[name] += time.perf_counter() - started

    return wrapper


def instrument() -> None:
    """Time, in place, every function that exists for health and change tracking."""
    pipeline.frontier.page_shape = timed("list-page shapes", pipeline.frontier.page_shape)
    for method in ("classify", "gone", "revisit_unlinked"):
        setattr(CrawlRun, method, timed(f"frontier.{method}", getattr(CrawlRun, method)))
    CountingClient.stream = timed("requests per source", CountingClient.stream)
    SourceTally.failed = timed("failures by kind", SourceTally.failed)
    for name in ("judge", "source_history", "save_source_runs", "_health_rows"):
        setattr(pipeline.crawl, name, timed(f"health: {name}", getattr(pipeline.crawl, name)))
    pipeline.run.compare_figures = timed("compare figures", pipeline.run.compare_figures)
    pipeline.run.run_changes = timed("read the run's changes", pipeline.run.run_changes)
    pipeline.run.raw_store_usage = timed("raw store per source", pipeline.run.raw_store_usage)
    insert = warehouse.crawl._insert

    def insert_rows(con, table, *args, **kwargs):
        if table != "run_changes":
            return insert(con, table, *args, **kwargs)
        return timed("change rows", insert)(con, table, *args, **kwargs)

    warehouse.crawl._insert = insert_rows


def tracking_share(hosts: int, reports: int, workdir: Path, rate: float | None = None) -> None:
    ctx = multiprocessing.get_context("spawn")
    ports, republish, stop = ctx.Queue(), ctx.Event(), ctx.Event()
    every = round(1 / REPUBLISH)
    server = ctx.Process(target=serve, args=(hosts, reports, every, ports, republish, stop))
    server.start()
    try:
        config = config_for(ports.get(timeout=120), rate)
        db = workdir / f"share-{rate}.duckdb"
        print(f"-- politeness {'off' if rate is None else f'on: {rate:g} requests/s per host'}")
        for label in ("run 1 (all new)", "run 2 (10% republished)"):
            if label.startswith("run 2"):
                republish.set()
            TIMED.clear()
            started = time.perf_counter()
            result = pipeline.run.run_once(config, db, BatchSettings(jobs=2))
            wall = time.perf_counter() - started
            tracked = sum(TIMED.values())
            c = result.crawl.counts
            figures = sum(len(ch.figures) for ch in result.changes)
            changes = len(result.changes)
            print(f"{label}: {c.requests} requests, {c.fetched} fetched, {c.not_modified} "
                  f"unchanged, {changes} changes, {figures} figures changed")  # fmt: skip
            print(f"  run {wall:.2f} s; tracking {tracked * 1000:.0f} ms = "
                  f"{tracked / wall:.2%} of the run (goal < 5%)")  # fmt: skip
            for name, seconds in sorted(TIMED.items(), key=lambda kv: -kv[1]):
                print(f"    {name:28s} {seconds * 1000:8.1f} ms")
    finally:
        stop.set()
        server.join(timeout=10)


def sessions_cost(hosts: int, reports: int, rounds: int, workdir: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    ports, republish, stop = ctx.Queue(), ctx.Event(), ctx.Event()
    server = ctx.Process(target=serve, args=(hosts, reports, 10**9, ports, republish, stop))
    server.start()
    try:
        config = config_for(ports.get(timeout=120))
        times: dict[str, list[float]] = {"held": [], "sessions": []}
        for r in range(rounds):
            for mode in ("held", "sessions") if r % 2 == 0 else ("sessions", "held"):
                db = workdir / f"{mode}{r}.duckdb"
                con = connect(db)
                target = HeldWarehouse(con) if mode == "held" else Warehouse(db)
                if mode == "sessions":
                    con.close()
                started = time.perf_counter()
                crawl(config, target, RawStore(f"{db}.raw"))
                times[mode].append(time.perf_counter() - started)
                if mode == "held":
                    con.close()
        held, sessions = (statistics.median(times[m]) for m in ("held", "sessions"))
        pages = hosts * (reports + -(-reports // 20))
        print(f"crawl of {pages} pages, median of {rounds}: file held {held:.2f} s, "
              f"short sessions {sessions:.2f} s, ratio {sessions / held:.3f}")  # fmt: skip
    finally:
        stop.set()
        server.join(timeout=10)


def config_for(ports: list[int], rate: float | None = None) -> CrawlConfig:
    sources = tuple(
        Source(f"h{i}", (f"http://127.0.0.1:{port}/ndbg/index.html",), max_pages=10_000)
        for i, port in enumerate(ports)
    )
    if rate is None:
        return CrawlConfig(sources, replace(SETTINGS))
    return CrawlConfig(sources, replace(SETTINGS, rate=rate, per_host_concurrency=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--reports", type=int, default=40, help="per host")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--polite-rate", type=float, default=4.0, help="requests/s per host")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        sessions_cost(args.hosts, args.reports, args.rounds, Path(tmp))
        instrument()
        tracking_share(args.hosts, args.reports, Path(tmp))
        tracking_share(args.hosts, args.reports, Path(tmp), args.polite_rate)


if __name__ == "__main__":
    main()
