"""Parse many documents with a pool of worker processes and load them with one writer.

The writer opens the warehouse for each group commit only (`warehouse.access`), so readers
are answered between groups; a group lands whole or not at all.
"""

from __future__ import annotations

import hashlib
import logging
import os
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from parsers import PARSER_VERSION, parse
from parsers.model import Report
from parsers.readers import sniff
from pipeline.pool import PoolSettings, TaskFailure, run_pool
from warehouse.access import (
    Warehouse,
    WarehouseInUseError,
    WarehouseUnwritableError,
    as_warehouse,
    is_storage_error,
)
from warehouse.load import DocumentRecord, load_reports

log = logging.getLogger(__name__)

EXTENSIONS = (".html", ".htm", ".shtml", ".txt", ".pdf")
MEDIA_TYPES = {"html": "text/html", "text": "text/plain", "pdf": "application/pdf"}


@dataclass(frozen=True)
class BatchSettings:
    """How a batch runs: workers, each document's time and memory budget, commit size."""

    jobs: int = os.cpu_count() or 1
    timeout_s: float = 120.0
    memory_mb: int = 2048
    commit_every: int = 64


@dataclass(frozen=True)
class Parsed:
    """A worker's result: the document's identity and its report."""

    doc: DocumentRecord
    report: Report
    internal_error: bool = False


@dataclass
class BatchSummary:
    """Counts a person reads at the end of a batch."""

    reports: Counter = field(default_factory=Counter)
    cells: Counter = field(default_factory=Counter)
    checks: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    internal_errors: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def add(self, parsed: Parsed, outcome: str) -> None:
        """Count one loaded document."""
        r = parsed.report
        self.outcomes[outcome] += 1
        self.reports[r.status] += 1
        self.cells.update(f.status for f in r.facts)
        self.checks.update(c.status for c in r.checks)
        self.internal_errors += parsed.internal_error
        if r.status == "failed":
            self.failures.append((parsed.doc.source, r.error or ""))


def find_files(paths: Iterable[str]) -> list[str]:
    """The documents named: files as given, folders searched recursively, in a stable order."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out += sorted(
                str(f) for f in path.rglob("*") if f.is_file() and f.suffix.lower() in EXTENSIONS
            )
        else:
            out.append(p)
    return out


def parse_bytes(data: bytes, source: str) -> Parsed:
    """Parse one document's bytes; our own bugs come back as a failed report, not a crash."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        report = parse(data, source)
    except Exception as exc:  # a parser bug must not stop the batch
        log.error("internal error parsing %s\n%s", source, traceback.format_exc())
        error = f"internal error: {type(exc).__name__}: {exc}"
        doc = DocumentRecord(sha, source, MEDIA_TYPES[sniff(data, source)], len(data))
        return Parsed(doc, Report(status="failed", error=error), internal_error=True)
    return Parsed(DocumentRecord(sha, source, MEDIA_TYPES[report.reader], len(data)), report)


def parse_file(task: str | tuple[str, str]) -> Parsed:
    """Read and parse one file (runs in a worker process).

    A task is a path, or (path, source) when the bytes sit in the raw store and the source
    is the URL they came from.
    """
    path, source = (task, task) if isinstance(task, str) else task
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        doc = DocumentRecord(hashlib.sha256(source.encode()).hexdigest(), source, None, None)
        return Parsed(doc, Report(status="failed", error=f"cannot read the file: {exc.strerror}"))
    return parse_bytes(data, source)


def parse_all(
    tasks: list[str] | list[tuple[str, str]], settings: BatchSettings, *, budget_all: bool = False
) -> Iterator[Parsed]:
    """Parsed documents; in worker processes with a time and memory budget each.

    A single process without a budget is used only for one worker over local HTML and text,
    whose parsing time is linear in their size; PDFs and fetched documents (`budget_all`)
    always go to budgeted workers.
    """
    has_pdf = any(_path(t).lower().endswith(".pdf") for t in tasks)
    if settings.jobs <= 1 and not has_pdf and not budget_all:
        yield from map(parse_file, tasks)
        return
    budget = PoolSettings(settings.jobs, settings.timeout_s, settings.memory_mb)
    for task, result in run_pool(parse_file, tasks, budget):
        if isinstance(result, TaskFailure):
            yield _failed(task, result.reason)
        else:
            yield result


def _path(task: str | tuple[str, str]) -> str:
    return task if isinstance(task, str) else task[1]


def _failed(task: str | tuple[str, str], reason: str) -> Parsed:
    path, source = (task, task) if isinstance(task, str) else task
    try:
        data = Path(path).read_bytes()
    except OSError:
        data = source.encode()
    doc = DocumentRecord(
        hashlib.sha256(data).hexdigest(), source, MEDIA_TYPES[sniff(data, source)], len(data)
    )
    return Parsed(doc, Report(status="failed", error=reason), internal_error=True)


def load_stream(
    warehouse: Warehouse | duckdb.DuckDBPyConnection,
    parsed: Iterable[Parsed],
    settings: BatchSettings,
    progress: Callable[[Parsed], None] | None = None,
) -> BatchSummary:
    """Load parsed documents in group commits, one warehouse session per group; a group
    that fails for its data is retried one document at a time.

    The warehouse refusing writes (WarehouseUnwritableError) or staying in use
    (WarehouseInUseError) stops the load: the group being written is not stored, and is
    not counted. A connection the caller holds also works (sessions are its cursors).
    """
    warehouse = as_warehouse(warehouse)
    summary = BatchSummary()
    pending: list[Parsed] = []

    def flush() -> None:
        items = [(p.doc, p.report) for p in pending]
        try:
            with warehouse.writing() as con:
                stored = list(zip(pending, load_reports(con, items, PARSER_VERSION), strict=True))
        except (WarehouseUnwritableError, WarehouseInUseError):
            raise
        except Exception:  # one bad document must not cost the others their commit
            log.exception("group commit failed; loading its documents one at a time")
            with warehouse.writing() as con:
                stored = [_load_one(con, p) for p in pending]
        for p, outcome in stored:
            summary.add(p, outcome)
        pending.clear()

    for p in parsed:
        pending.append(p)
        if progress:
            progress(p)
        if len(pending) >= settings.commit_every:
            flush()
    if pending:
        flush()
    return summary


def _load_one(con: duckdb.DuckDBPyConnection, p: Parsed) -> tuple[Parsed, str]:
    """Store one document; if its report cannot be stored, store that it failed, and why."""
    try:
        return p, load_reports(con, [(p.doc, p.report)], PARSER_VERSION)[0]
    except duckdb.Error as exc:
        if is_storage_error(exc):
            raise
        error: Exception = exc
    except Exception as exc:  # recorded as failed below; the batch goes on
        error = exc
    log.error("could not store %s: %s", p.doc.source, error)
    failed = replace(p, report=Report(status="failed", error=f"could not be stored: {error!r}"))
    return failed, load_reports(con, [(p.doc, failed.report)], PARSER_VERSION)[0]
