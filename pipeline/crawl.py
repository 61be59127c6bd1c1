"""The crawl: from the sources' start URLs to stored raw documents, one run at a time.

`crawl(config, con, store)` runs the engine in `frontier`, which fetches (`fetch`), decides
what each page is and where it leads (`discover`), keeps the bytes (`store`) and records
URLs, documents, failures and the run itself (`warehouse.crawl`). Hosts are crawled in
parallel, each behind its own rate limit and connection cap. Each URL's state is written as
it completes (batched, within `write_interval` seconds), so an interrupted run loses
nothing: the next one asks again with If-None-Match/If-Modified-Since, gets 304s for what it
already has, and re-reads those pages' links from the raw store.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import duckdb

from parsers.errors import NianbaoError
from pipeline.config import CrawlConfig
from pipeline.frontier import CrawlProgress, CrawlRun, NewDocument
from pipeline.http import HttpClient
from pipeline.store import RawStore, WarehouseLock
from warehouse.crawl import (
    RunCounts,
    close_stale_runs,
    finish_run,
    start_run,
)

log = logging.getLogger(__name__)


class CrawlInterrupted(NianbaoError):
    """The run was stopped (SIGINT or SIGTERM); its row says 'interrupted'."""


@dataclass(frozen=True)
class CrawlSummary:
    run_id: int
    status: str
    counts: RunCounts
    new_documents: tuple[NewDocument, ...]
    failures: tuple[tuple[str, str], ...]  # (url, reason)
    internal_errors: int
    elapsed: float

    @property
    def ok(self) -> bool:
        return not self.failures


def crawl(
    config: CrawlConfig,
    con: duckdb.DuckDBPyConnection,
    store: RawStore,
    *,
    progress: Callable[[CrawlProgress], None] | None = None,
    lock: bool = True,
    client: HttpClient | None = None,
) -> CrawlSummary:
    """Run one crawl of every source in `config` into the warehouse `con` and `store`.

    Takes the warehouse's lock file (`<db>.lock`) unless `lock` is False (the caller holds
    it). Raises WarehouseLockedError if another live run holds it, and CrawlInterrupted on
    SIGINT/SIGTERM after marking the run 'interrupted'.
    """
    db_path = _database_path(con)
    held = WarehouseLock.for_db(db_path) if lock and db_path else None
    if held is not None:
        held.acquire()
    try:
        return _crawl_locked(config, con, store, progress, client)
    finally:
        if held is not None:
            held.release()


def _crawl_locked(
    config: CrawlConfig,
    con: duckdb.DuckDBPyConnection,
    store: RawStore,
    progress: Callable[[CrawlProgress], None] | None,
    client: HttpClient | None,
) -> CrawlSummary:
    stale = close_stale_runs(con)
    if stale:
        log.warning("marked %d run(s) left 'running' by a dead process as interrupted", stale)
    if not config.crawler.contact:
        log.warning("no [crawler] contact set: site operators cannot reach you")
    config_path = str(config.path) if config.path else None
    run_id = start_run(con, config_path=config_path, pid=os.getpid())
    run = CrawlRun(config, con, store, run_id, progress)
    started = time.monotonic()
    status, error = "failed", None
    try:
        with asyncio.Runner() as runner:
            runner.run(run.main(client))
        status = "done"
    except (KeyboardInterrupt, asyncio.CancelledError):
        status = "interrupted"
        why = run.signal_name or "SIGINT"
        error = f"interrupted by {why}"
        raise CrawlInterrupted(
            f"run {run_id} interrupted by {why}; the next run resumes where it stopped"
        ) from None
    except BaseException as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        run.writer.flush()
        run.counts.requests = run.stats_requests()
        run.counts.bytes = run.stats_bytes()
        finish_run(con, run_id, status, run.counts, error)
        log.info(
            "run %d %s: %d requests, %d fetched, %d unchanged, %d new documents, %d failed",
            run_id,
            status,
            run.counts.requests,
            run.counts.fetched,
            run.counts.not_modified,
            run.counts.new_documents,
            run.counts.failed_urls,
        )
    return CrawlSummary(
        run_id=run_id,
        status=status,
        counts=replace(run.counts),
        new_documents=tuple(run.new_documents),
        failures=tuple(run.failures),
        internal_errors=run.internal_errors,
        elapsed=time.monotonic() - started,
    )


def _database_path(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return row[0] if row and row[0] else None
