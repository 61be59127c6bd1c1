"""A scheduled run: crawl the sources, then parse and load what is new or changed.

The run holds the run lock (`DB.lock`) throughout, but the warehouse file only for each
short write (`warehouse.access`): readers are answered at any moment of a run. Documents a
previous run stored but never parsed (it was interrupted, or the warehouse refused the
load) are parsed now. Once the new versions are loaded, each republished report's figures
are compared with its previous version (`warehouse.changes`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.batch import BatchSettings, BatchSummary, Parsed, load_stream, parse_all
from pipeline.config import CrawlConfig
from pipeline.crawl import UNWRITABLE, CrawlProgress, CrawlSummary, NewDocument, crawl
from pipeline.health import HealthSettings
from pipeline.store import RawStore, WarehouseLock, default_raw_root
from warehouse.access import (
    AccessSettings,
    Warehouse,
    WarehouseInUseError,
    WarehouseUnwritableError,
)
from warehouse.changes import DocumentChange, compare_figures, run_changes
from warehouse.crawl import utc_now
from warehouse.health import raw_store_usage

log = logging.getLogger(__name__)

# Media types a parser reads (Word, WPS and Excel attachments too: legacy ones are converted
# by LibreOffice in the worker).
PARSEABLE = (
    "text/html",
    "application/pdf",
    "text/plain",
    "application/xhtml+xml",
    "application/msword",
    "application/vnd.ms-works",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.",
)


@dataclass(frozen=True)
class RunResult:
    """What one run fetched, what it parsed, what it stored without parsing, what changed."""

    crawl: CrawlSummary
    parsed: BatchSummary | None
    not_parsed: tuple[NewDocument, ...]
    changes: tuple[DocumentChange, ...] = ()
    backlog: int = 0  # documents of earlier runs parsed by this one
    raw_store: tuple[tuple, ...] = ()  # per source: see warehouse.health.raw_store_usage
    status: str = "done"  # done | unwritable (the crawl's own status aside)
    error: str | None = None

    @property
    def unwritable(self) -> bool:
        return self.status == UNWRITABLE or self.crawl.status == UNWRITABLE


def to_parse(docs: tuple[NewDocument, ...]) -> tuple[list[NewDocument], list[NewDocument]]:
    """New documents that carry a report, and the ones stored but not parsed.

    A pointer page only links to its attachment, which carries the report.
    """
    parse, skip = [], []
    for d in docs:
        if d.kind == "pointer" or not d.media_type.startswith(PARSEABLE):
            skip.append(d)
        else:
            parse.append(d)
    return parse, skip


def unparsed_documents(con: duckdb.DuckDBPyConnection) -> list[NewDocument]:
    """Crawled report documents that have no report yet (an earlier run stopped first)."""
    rows = con.execute(
        """SELECT d.doc_id, d.sha256, d.url, coalesce(d.final_url, d.url), d.media_type,
                  d.kind, coalesce(u.source, ''), d.parent_url
           FROM documents d LEFT JOIN url_state u ON u.url = d.url
           WHERE d.kind IN ('report_page', 'attachment') AND d.url IS NOT NULL
             AND d.media_type IS NOT NULL
             AND d.doc_id NOT IN (SELECT report_id FROM reports)
           ORDER BY d.fetched_at, d.doc_id"""
    ).fetchall()
    return [
        NewDocument(doc_id, sha, url, final, media, kind, source, None, parent)
        for doc_id, sha, url, final, media, kind, source, parent in rows
    ]


def run_once(
    config: CrawlConfig,
    db: str | Path,
    settings: BatchSettings,
    *,
    parse: bool = True,
    progress: Callable[[CrawlProgress], None] | None = None,
    parsed_progress: Callable[[Parsed], None] | None = None,
    health: HealthSettings | None = None,
    access: AccessSettings | None = None,
) -> RunResult:
    """Crawl every source (and, with `parse`, load the new documents), holding the run lock."""
    warehouse = Warehouse(db, access)
    store = RawStore(default_raw_root(db))
    with WarehouseLock.for_db(db):
        summary = crawl(config, warehouse, store, progress=progress, lock=False, health=health)
        if summary.status == UNWRITABLE:
            return RunResult(summary, None, (), status=UNWRITABLE, error=summary.error)
        if not parse:
            return RunResult(summary, None, (), _changes(warehouse, summary.run_id))
        try:
            with warehouse.writing() as con:
                fresh = {d.doc_id for d in summary.new_documents}
                backlog = [
                    d
                    for d in unparsed_documents(con)
                    if d.doc_id not in fresh and d.media_type.startswith(PARSEABLE)
                ]
            todo, skipped = to_parse(summary.new_documents + tuple(backlog))
            for d in skipped:
                if d.kind != "pointer":
                    log.info("stored, not parsed (%s): %s", d.media_type, d.url)
            if backlog:
                log.info("parsing %d documents earlier runs stored but did not parse", len(backlog))
            tasks = [(str(store.path(d.sha256)), d.url) for d in todo]
            parsed = load_stream(
                warehouse, parse_all(tasks, settings, budget_all=True), settings, parsed_progress
            )
            with warehouse.writing() as con:
                compared = compare_figures(con, utc_now())
                changes = tuple(run_changes(con, summary.run_id))
                usage = tuple(raw_store_usage(con))
            if compared:
                log.info("%d figures changed in republished reports", compared)
        except (WarehouseUnwritableError, WarehouseInUseError) as exc:
            reason = exc.reason
            if isinstance(exc, WarehouseInUseError):
                reason = f"warehouse not writable: {reason}"
            log.error("run %d: %s; the next run parses what was not loaded", summary.run_id, reason)
            return RunResult(summary, None, (), status=UNWRITABLE, error=reason)
        return RunResult(
            summary, parsed, tuple(skipped), changes, backlog=len(backlog), raw_store=usage
        )


def _changes(warehouse: Warehouse, run_id: int) -> tuple[DocumentChange, ...]:
    with warehouse.writing() as con:
        return tuple(run_changes(con, run_id))
