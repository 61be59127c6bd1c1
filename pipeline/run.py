"""A scheduled run: crawl the sources, then parse and load what is new or changed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.batch import BatchSettings, BatchSummary, Parsed, load_stream, parse_all
from pipeline.config import CrawlConfig
from pipeline.crawl import CrawlProgress, CrawlSummary, NewDocument, crawl
from pipeline.store import RawStore, WarehouseLock, default_raw_root
from warehouse.schema import connect

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
    """What one run fetched, what it parsed, and what it stored without parsing."""

    crawl: CrawlSummary
    parsed: BatchSummary | None
    not_parsed: tuple[NewDocument, ...]


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


def run_once(
    config: CrawlConfig,
    db: str | Path,
    settings: BatchSettings,
    *,
    parse: bool = True,
    progress: Callable[[CrawlProgress], None] | None = None,
    parsed_progress: Callable[[Parsed], None] | None = None,
) -> RunResult:
    """Crawl every source (and, with `parse`, load the new documents), holding the lock."""
    with WarehouseLock.for_db(db):
        con = connect(db)
        try:
            store = RawStore(default_raw_root(db))
            summary = crawl(config, con, store, progress=progress, lock=False)
            if not parse:
                return RunResult(summary, None, ())
            todo, skipped = to_parse(summary.new_documents)
            for d in skipped:
                if d.kind != "pointer":
                    log.info("stored, not parsed (%s): %s", d.media_type, d.url)
            tasks = [(str(store.path(d.sha256)), d.url) for d in todo]
            parsed = load_stream(
                con, parse_all(tasks, settings, budget_all=True), settings, parsed_progress
            )
            return RunResult(summary, parsed, tuple(skipped))
        finally:
            con.close()
