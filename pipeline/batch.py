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
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parsers import PARSER_VERSION, parse
from parsers.errors import SourceError
from parsers.model import Report
from parsers.readers import sniff
from parsers.readers.office import MEDIA_TYPES as OFFICE_TYPES
from parsers.settings import ParseSettings
from pipeline.ahead import read_ahead
from pipeline.convert import TARGETS, ConversionError, ConvertSettings, convert_legacy
from pipeline.files import identify_file, open_regular, read_document_file
from pipeline.pool import PoolSettings, TaskFailure, run_pool
from pipeline.transfer import pack, unpack
from warehouse.doc_ids import DocumentRecord

if TYPE_CHECKING:  # the warehouse is the parent's business: workers never import DuckDB
    import duckdb

    from warehouse.access import Warehouse

log = logging.getLogger(__name__)

EXTENSIONS = (".html", ".htm", ".shtml", ".txt", ".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xls")
MEDIA_TYPES = {"html": "text/html", "text": "text/plain", "pdf": "application/pdf"} | OFFICE_TYPES
# A file larger than a document may be is refused before it is read.
MAX_BYTES = ParseSettings().max_bytes


@dataclass(frozen=True)
class BatchSettings:
    """How a batch runs: workers, each document's time and memory budget, commit size."""

    jobs: int = os.cpu_count() or 1
    timeout_s: float = 120.0
    # A scanned page at 300 dpi read by OCR needs about 1.7 GB of address space.
    memory_mb: int = 3072
    commit_every: int = 64
    convert: ConvertSettings = field(default_factory=ConvertSettings)


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


def parse_bytes(data: bytes, source: str, convert: ConvertSettings | None = None) -> Parsed:
    """Parse one document's bytes; our own bugs come back as a failed report, not a crash.

    Legacy office files (.doc, .wps, .xls) are converted by LibreOffice first; the document
    keeps the bytes and media type it came with. Running out of memory is not caught here:
    the worker reports it against its budget.
    """
    sha = hashlib.sha256(data).hexdigest()
    kind = sniff(data, source)
    try:
        if kind in TARGETS:
            convert = convert or ConvertSettings()
            doc = DocumentRecord(sha, source, MEDIA_TYPES[kind], len(data))
            try:
                converted = convert_legacy(data, kind, source, convert)
            except ConversionError as exc:
                return Parsed(doc, Report(status="failed", error=exc.reason, reader=kind))
            return Parsed(doc, parse(converted, f"{source}.{TARGETS[kind][0]}"))
        report = parse(data, source)
    except MemoryError:
        raise
    except RecursionError:  # a resource limit of ours, met by a document: not our bug
        error = "document nested too deeply to read (recursion limit reached)"
        doc = DocumentRecord(sha, source, MEDIA_TYPES[kind], len(data))
        return Parsed(doc, Report(status="failed", error=error))
    except Exception as exc:  # a parser bug must not stop the batch
        log.error("internal error parsing %s\n%s", source, traceback.format_exc())
        error = f"internal error: {type(exc).__name__}: {exc}"
        doc = DocumentRecord(sha, source, MEDIA_TYPES[kind], len(data))
        return Parsed(doc, Report(status="failed", error=error), internal_error=True)
    return Parsed(DocumentRecord(sha, source, MEDIA_TYPES[report.reader], len(data)), report)


def parse_file(task: str | tuple[str, str], convert: ConvertSettings | None = None) -> Parsed:
    """Read and parse one file (runs in a worker process).

    A task is a path, or (path, source) when the bytes sit in the raw store and the source
    is the URL they came from. Only a regular file no larger than a document may be is
    read (`pipeline.files`).
    """
    path, source = (task, task) if isinstance(task, str) else task
    try:
        data = read_document_file(path, MAX_BYTES)
    except OSError as exc:
        return _unread(path, source, f"cannot read the file: {exc.strerror}")
    except SourceError as exc:
        return _unread(path, source, exc.reason)
    return parse_bytes(data, source, convert)


def parse_all(
    tasks: list[str] | list[tuple[str, str]], settings: BatchSettings, *, budget_all: bool = True
) -> Iterator[Parsed]:
    """Parsed documents, each in a worker process under the time and memory budget.

    However many jobs, and whatever the format: no document is parsed without its budget
    (a small HTML file can still ask for gigabytes). `budget_all` is kept for callers.
    """
    budget = PoolSettings(settings.jobs, settings.timeout_s, settings.memory_mb)
    # A conversion ends well inside the document's budget, so its own reason is recorded.
    convert = replace(
        settings.convert, timeout_s=min(settings.convert.timeout_s, settings.timeout_s * 0.8)
    )
    results = run_pool(partial(parse_file_packed, convert=convert), tasks, budget)
    # Read ahead in a thread: the workers go on parsing while the caller stores a group.
    yield from read_ahead(_received(results), size=settings.commit_every * 2)


def _received(results: Iterator[tuple[Any, Any]]) -> Iterator[Parsed]:
    """The pool's results as parsed documents (unpacked, or failed with the reason)."""
    for task, result in results:
        if isinstance(result, TaskFailure):
            yield _failed(task, result)
        else:
            yield unpack(result)


def parse_file_packed(task: str | tuple[str, str], convert: ConvertSettings | None = None) -> bytes:
    """`parse_file`, its result packed for the trip back to the parent (`transfer`)."""
    return pack(parse_file(task, convert))


def _unread(path: str, source: str, reason: str) -> Parsed:
    """A document whose file was not read (or not whole): failed, with what we know of it."""
    found = identify_file(path)
    if found is None:  # no bytes to identify it by: the name stands in
        doc = DocumentRecord(hashlib.sha256(source.encode()).hexdigest(), source, None, None)
    else:
        doc = DocumentRecord(found.sha256, source, _media_type(path, source), found.size)
    return Parsed(doc, Report(status="failed", error=reason))


def _failed(task: str | tuple[str, str], failure: TaskFailure) -> Parsed:
    """The record of a document whose worker gave no result (over budget, or crashed)."""
    path, source = (task, task) if isinstance(task, str) else task
    found = identify_file(path, MAX_BYTES)
    if found is None:
        doc = DocumentRecord(hashlib.sha256(source.encode()).hexdigest(), source, None, None)
    else:
        doc = DocumentRecord(found.sha256, source, _media_type(path, source), found.size)
    report = Report(status="failed", error=failure.reason)
    return Parsed(doc, report, internal_error=not failure.resource_limit)


def _media_type(path: str, source: str) -> str:
    """The media type from the file's first bytes and name."""
    try:
        with open_regular(path)[0] as handle:
            head = handle.read(1024)
    except (OSError, SourceError):
        head = b""
    return MEDIA_TYPES[sniff(head, source)]


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
    from warehouse.access import WarehouseInUseError, WarehouseUnwritableError, as_warehouse
    from warehouse.load import load_reports

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
    import duckdb

    from warehouse.access import is_storage_error
    from warehouse.load import load_reports

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
