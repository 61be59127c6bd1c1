"""The crawl: from the sources' start URLs to stored raw documents, one run at a time.

`crawl(config, warehouse, store)` runs the engine in `frontier`, which fetches (`fetch`),
decides what each page is and where it leads (`discover`), keeps the bytes (`store`) and
records URLs, documents, failures, changes and the run itself (`warehouse.crawl`). Hosts are
crawled in parallel, each behind its own rate limit and connection cap. Each URL's state is
written as it completes (batched, within `write_interval` seconds, each batch a short
session of the warehouse so readers are never kept out for long), so an interrupted run
loses nothing: the next one asks again with If-None-Match/If-Modified-Since, gets 304s for
what it already has, and re-reads those pages' links from the raw store.

At the end each source's tally is judged against its earlier runs (`pipeline.health`) and
stored with its flags (`warehouse.health`), in the same session that closes the run's row.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from parsers.errors import NianbaoError
from pipeline.config import CrawlConfig
from pipeline.frontier import CrawlProgress, CrawlRun, NewDocument
from pipeline.health import HealthSettings, SourceTally, Verdict, judge
from pipeline.http import HttpClient
from pipeline.store import RawStore, WarehouseLock
from warehouse.access import (
    HeldWarehouse,
    Warehouse,
    WarehouseInUseError,
    WarehouseUnwritableError,
    as_warehouse,
)
from warehouse.crawl import (
    RunCounts,
    close_stale_runs,
    finish_run,
    known_document_hashes,
    load_url_states,
    start_run,
)
from warehouse.doc_ids import id_holders
from warehouse.health import save_source_runs, source_history

log = logging.getLogger(__name__)

UNWRITABLE = "unwritable"  # a CrawlSummary status: the warehouse refused the run's writes


class CrawlInterrupted(NianbaoError):
    """The run was stopped (SIGINT or SIGTERM); its row says 'interrupted'."""


@dataclass(frozen=True)
class SourceHealth:
    """One source in one run: its tally and the flags raised on it."""

    tally: SourceTally
    verdict: Verdict

    @property
    def name(self) -> str:
        return self.tally.source

    def as_dict(self) -> dict[str, object]:
        t, v = self.tally, self.verdict
        return {
            "source": t.source,
            "requests": t.requests,
            "urls": t.urls,
            "pages": t.pages,
            "report_links": len(t.report_links),
            "usual_report_links": v.usual_report_links,
            "documents": {
                "new": t.documents_new,
                "changed": t.documents_changed,
                "unchanged": t.documents_unchanged,
                "gone": t.documents_gone,
            },
            "failed_urls": t.failed_urls,
            "failures_by_kind": dict(sorted(t.failures.items())),
            "robots_blocked": len(t.robots_blocked),
            "pages_reshaped": len(t.reshaped),
            "down": t.down,
            "down_runs": v.down_runs,
            "flags": list(v.flags),
            "reasons": list(v.reasons),
        }


@dataclass(frozen=True)
class CrawlSummary:
    run_id: int
    status: str  # done | interrupted | failed | unwritable
    counts: RunCounts
    new_documents: tuple[NewDocument, ...]
    failures: tuple[tuple[str, str], ...]  # (url, reason)
    internal_errors: int
    elapsed: float
    sources: tuple[SourceHealth, ...] = ()
    error: str | None = None  # why, when the status is not done
    unsaved_rows: int = 0  # rows the warehouse refused (unwritable): the next run refetches

    @property
    def ok(self) -> bool:
        return not self.failures and self.status == "done"

    @property
    def flagged(self) -> tuple[SourceHealth, ...]:
        return tuple(s for s in self.sources if s.verdict.flags)


def crawl(
    config: CrawlConfig,
    warehouse: Warehouse | duckdb.DuckDBPyConnection | str | Path,
    store: RawStore,
    *,
    progress: Callable[[CrawlProgress], None] | None = None,
    lock: bool = True,
    client: HttpClient | None = None,
    health: HealthSettings | None = None,
) -> CrawlSummary:
    """Run one crawl of every source in `config` into the warehouse and `store`.

    `warehouse` is a `Warehouse` (or its path), opened for each batch of writes only; a
    connection the caller holds also works (it then stays open). Takes the warehouse's lock
    file (`<db>.lock`) unless `lock` is False (the caller holds it). Raises
    WarehouseLockedError if another live run holds it, and CrawlInterrupted on
    SIGINT/SIGTERM after marking the run 'interrupted'. A warehouse that refuses writes
    ends the crawl with status 'unwritable' and the reason.
    """
    warehouse = as_warehouse(warehouse)
    on_disk = not isinstance(warehouse, HeldWarehouse) or str(warehouse.path) != ":memory:"
    held = WarehouseLock.for_db(warehouse.path) if lock and on_disk else None
    if held is not None:
        held.acquire()
    try:
        return _crawl_locked(config, warehouse, store, progress, client, health)
    finally:
        if held is not None:
            held.release()


def _crawl_locked(
    config: CrawlConfig,
    warehouse: Warehouse,
    store: RawStore,
    progress: Callable[[CrawlProgress], None] | None,
    client: HttpClient | None,
    health: HealthSettings | None,
) -> CrawlSummary:
    health = health or HealthSettings()
    if not config.crawler.contact:
        log.warning("no [crawler] contact set: site operators cannot reach you")
    config_path = str(config.path) if config.path else None
    with warehouse.writing() as con:
        stale = close_stale_runs(con)
        run_id = start_run(con, config_path=config_path, pid=os.getpid())
        states = load_url_states(con)
        known = known_document_hashes(con)
        doc_ids = id_holders(con)  # doc_id -> sha256, to tell an id another document holds
    if stale:
        log.warning("marked %d run(s) left 'running' by a dead process as interrupted", stale)
    run = CrawlRun(
        config,
        warehouse,
        store,
        run_id,
        progress,
        states=states,
        known=known,
        doc_ids=doc_ids,
        health=health,
    )
    started = time.monotonic()
    status, error = "failed", None
    try:
        with asyncio.Runner() as runner:
            runner.run(run.main(client))
        status = "done"
    except (KeyboardInterrupt, asyncio.CancelledError):
        if run.unwritable is not None:
            status, error = UNWRITABLE, run.unwritable.reason
        else:
            status = "interrupted"
            why = run.signal_name or "SIGINT"
            error = f"interrupted by {why}"
            _close_run(run, warehouse, status, error, health)
            raise CrawlInterrupted(
                f"run {run_id} interrupted by {why}; the next run resumes where it stopped"
            ) from None
    except BaseException as exc:
        error = f"{type(exc).__name__}: {exc}"
        _close_run(run, warehouse, status, error, health)
        raise
    status, error, sources = _close_run(run, warehouse, status, error, health)
    return CrawlSummary(
        run_id=run_id,
        status=status,
        counts=replace(run.counts),
        new_documents=tuple(run.new_documents),
        failures=tuple(run.failures),
        internal_errors=run.internal_errors,
        elapsed=time.monotonic() - started,
        sources=sources,
        error=error,
        unsaved_rows=run.writer.pending,
    )


def _close_run(
    run: CrawlRun, warehouse: Warehouse, status: str, error: str | None, health: HealthSettings
) -> tuple[str, str | None, tuple[SourceHealth, ...]]:
    """Write what is queued, then the sources' health and the run's row in one session.

    Never raises for the warehouse's sake: a warehouse that refuses the writes turns the
    status into 'unwritable' (the rows not written are counted in `run.writer.pending`).
    """
    run.counts.requests = run.stats_requests()
    run.counts.bytes = run.stats_bytes()
    sources = tuple(SourceHealth(t, Verdict((), (), None, 0)) for t in run.tallies.values())
    try:
        run.writer.flush(warehouse.settings.writer_wait)
        with warehouse.writing() as con:
            if status == "done":
                history = source_history(
                    con, run.run_id, list(run.tallies), health.history + health.down_runs
                )
                sources = tuple(
                    SourceHealth(t, judge(t, history[t.source], health))
                    for t in run.tallies.values()
                )
            rows, failures = _health_rows(run.run_id, sources)
            save_source_runs(con, rows, failures)
            finish_run(
                con, run.run_id, "failed" if status == UNWRITABLE else status, run.counts, error
            )
    except Exception as exc:
        if not isinstance(exc, WarehouseUnwritableError | WarehouseInUseError):
            log.exception("run %d: writing its last rows failed", run.run_id)
        if isinstance(exc, WarehouseUnwritableError):
            reason = exc.reason
        elif isinstance(exc, WarehouseInUseError):
            reason = f"warehouse not writable: {exc.reason}"
        else:
            reason = f"warehouse not writable: internal error: {type(exc).__name__}: {exc}"
        status, error = UNWRITABLE, error or reason
        log.error(
            "run %d: %s; %d rows not saved (the next run fetches those URLs again)",
            run.run_id,
            error,
            run.writer.pending,
        )
    log.info(
        "run %d %s: %d requests, %d fetched, %d unchanged, %d new documents, %d failed",
        run.run_id,
        status,
        run.counts.requests,
        run.counts.fetched,
        run.counts.not_modified,
        run.counts.new_documents,
        run.counts.failed_urls,
    )
    return status, error, sources


def _health_rows(
    run_id: int, sources: tuple[SourceHealth, ...]
) -> tuple[list[tuple], list[tuple[int, str, str, int, str | None]]]:
    rows, failures = [], []
    for s in sources:
        t, v = s.tally, s.verdict
        rows.append(
            (
                run_id,
                t.source,
                t.requests,
                t.urls,
                t.pages,
                len(t.report_links),
                t.documents_new,
                t.documents_changed,
                t.documents_unchanged,
                t.documents_gone,
                t.failed_urls,
                len(t.robots_blocked),
                len(t.reshaped),
                t.down,
                v.down_runs,
                v.usual_report_links,
                list(v.flags),
                list(v.reasons),
            )
        )
        failures += [
            (run_id, t.source, kind, n, t.examples.get(kind)) for kind, n in t.failures.items()
        ]
    return rows, failures
