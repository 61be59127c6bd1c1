"""The crawler's tables: what each URL looked like last time, each run, each failure.

`DDL` creates them (applied by `warehouse.schema` as a migration; `DDL_SHAPE` adds the
columns of schema version 40). The functions here do the SQL the crawler needs; they know
nothing of HTTP, only of rows. `CrawlWriter` queues a run's rows and writes them in short
sessions (`warehouse.access`), so the file is free for readers between batches.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import duckdb

from warehouse.transaction import transaction

if TYPE_CHECKING:  # warehouse.access imports the schema, which imports this module's DDL
    from warehouse.access import Warehouse

URL_KINDS = ("navigation", "report_page", "attachment", "pointer")
RUN_STATUSES = ("running", "done", "interrupted", "failed")

DDL: list[str] = [
    """CREATE TABLE url_state (
        url VARCHAR PRIMARY KEY,
        source VARCHAR NOT NULL,
        kind VARCHAR CHECK (kind IN ('navigation', 'report_page', 'attachment', 'pointer')),
        media_type VARCHAR,
        etag VARCHAR,
        last_modified VARCHAR,
        sha256 VARCHAR,
        http_status INTEGER,
        final_url VARCHAR,
        parent_url VARCHAR,
        last_fetched TIMESTAMP,
        last_error VARCHAR,
        last_run_id INTEGER
    )""",
    """CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY,
        started_at TIMESTAMP NOT NULL,
        ended_at TIMESTAMP,
        status VARCHAR NOT NULL
            CHECK (status IN ('running', 'done', 'interrupted', 'failed')),
        config_path VARCHAR,
        pid INTEGER,
        requests BIGINT NOT NULL DEFAULT 0,
        fetched BIGINT NOT NULL DEFAULT 0,
        not_modified BIGINT NOT NULL DEFAULT 0,
        new_documents BIGINT NOT NULL DEFAULT 0,
        failed_urls BIGINT NOT NULL DEFAULT 0,
        skipped_urls BIGINT NOT NULL DEFAULT 0,
        bytes BIGINT NOT NULL DEFAULT 0,
        error VARCHAR
    )""",
    """CREATE TABLE fetch_errors (
        run_id INTEGER NOT NULL,
        url VARCHAR NOT NULL,
        reason VARCHAR NOT NULL,
        http_status INTEGER,
        failed_at TIMESTAMP NOT NULL
    )""",
]

# Schema version 40: what a page's bytes weigh in the raw store, and a list page's structure.
DDL_SHAPE: list[str] = [
    "ALTER TABLE url_state ADD COLUMN size BIGINT",
    "ALTER TABLE url_state ADD COLUMN shape VARCHAR",
]


def utc_now() -> datetime:
    """Now in UTC, without tzinfo (DuckDB TIMESTAMP)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class UrlState:
    """What the last successful fetch of a URL found (and the last error since, if any)."""

    url: str
    source: str
    kind: str | None = None
    media_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    http_status: int | None = None
    final_url: str | None = None
    parent_url: str | None = None
    last_fetched: datetime | None = None
    last_error: str | None = None
    last_run_id: int | None = None
    note: str | None = None  # what the last read left out (column added by warehouse.url_notes)
    size: int | None = None  # these two: schema version 40 (`DDL_SHAPE`)
    shape: str | None = None

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in URL_KINDS:
            raise ValueError(f"kind must be one of {URL_KINDS}, got {self.kind!r}")


URL_STATE_COLUMNS = tuple(UrlState.__dataclass_fields__)


@dataclass(frozen=True)
class DocumentRow:
    """A row of `documents` as the crawler fills it."""

    doc_id: str
    source: str
    sha256: str
    media_type: str | None
    size: int
    kind: str
    url: str
    final_url: str
    parent_url: str | None
    http_status: int
    etag: str | None
    last_modified: str | None
    fetched_at: datetime


DOCUMENT_COLUMNS = tuple(DocumentRow.__dataclass_fields__)


FETCH_ERROR_COLUMNS = ("run_id", "url", "reason", "http_status", "failed_at")
ROWS_PER_STATEMENT = 200


@dataclass(frozen=True)
class ChangeRow:
    """A report document that is new, republished (same URL, new bytes) or gone (404/410)."""

    run_id: int
    source: str
    url: str
    change: str  # new | republished | gone
    kind: str | None
    old_doc_id: str | None
    new_doc_id: str | None
    http_status: int | None
    note: str | None
    detected_at: datetime


CHANGE_COLUMNS = tuple(ChangeRow.__dataclass_fields__)


@dataclass
class RunCounts:
    requests: int = 0
    fetched: int = 0
    not_modified: int = 0
    new_documents: int = 0
    failed_urls: int = 0
    skipped_urls: int = 0
    bytes: int = 0


def close_stale_runs(con: duckdb.DuckDBPyConnection) -> int:
    """Mark runs left 'running' by a process that died as 'interrupted'; return how many."""
    rows = con.execute(
        "UPDATE runs SET status = 'interrupted', ended_at = coalesce(ended_at, ?), "
        "error = coalesce(error, 'the process ended without closing the run') "
        "WHERE status = 'running' RETURNING run_id",
        [utc_now()],
    ).fetchall()
    return len(rows)


def start_run(
    con: duckdb.DuckDBPyConnection, *, config_path: str | None = None, pid: int | None = None
) -> int:
    """Open a run row with status 'running'; return its run_id."""
    (run_id,) = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()
    con.execute(
        "INSERT INTO runs (run_id, started_at, status, config_path, pid) "
        "VALUES (?, ?, 'running', ?, ?)",
        [run_id, utc_now(), config_path, pid],
    )
    return int(run_id)


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: int,
    status: str,
    counts: RunCounts,
    error: str | None = None,
) -> None:
    if status not in RUN_STATUSES:
        raise ValueError(f"status must be one of {RUN_STATUSES}, got {status!r}")
    con.execute(
        "UPDATE runs SET ended_at = ?, status = ?, requests = ?, fetched = ?, not_modified = ?, "
        "new_documents = ?, failed_urls = ?, skipped_urls = ?, bytes = ?, error = ? "
        "WHERE run_id = ?",
        [
            utc_now(),
            status,
            counts.requests,
            counts.fetched,
            counts.not_modified,
            counts.new_documents,
            counts.failed_urls,
            counts.skipped_urls,
            counts.bytes,
            error,
            run_id,
        ],
    )


def load_url_states(con: duckdb.DuckDBPyConnection) -> dict[str, UrlState]:
    """Every URL's state, by URL."""
    columns = ", ".join(URL_STATE_COLUMNS)
    rows = con.execute(f"SELECT {columns} FROM url_state").fetchall()
    return {row[0]: UrlState(*row) for row in rows}


@dataclass(frozen=True)
class FetchErrorRow:
    run_id: int
    url: str
    reason: str
    http_status: int | None
    failed_at: datetime


def known_document_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The sha256 of every document already in the warehouse."""
    return {sha for (sha,) in con.execute("SELECT sha256 FROM documents").fetchall()}


def save_batch(
    con: duckdb.DuckDBPyConnection,
    states: list[UrlState],
    documents: list[DocumentRow],
    errors: list[FetchErrorRow],
    changes: list[ChangeRow] | None = None,
) -> None:
    """Write URL states (upserted by URL; the last of a URL wins), new documents, failures and
    changes in one transaction. Many rows per statement: DuckDB is slow at one-row
    transactions."""
    latest = {state.url: state for state in states}
    with transaction(con):
        if latest:
            updates = ", ".join(f"{c} = excluded.{c}" for c in URL_STATE_COLUMNS if c != "url")
            _insert(
                con,
                "url_state",
                URL_STATE_COLUMNS,
                list(latest.values()),
                f" ON CONFLICT (url) DO UPDATE SET {updates}",
            )
        if documents:
            _insert(con, "documents", DOCUMENT_COLUMNS, documents)
            _insert(con, "sources", ("doc_id", "source"), documents, " ON CONFLICT DO NOTHING")
        if errors:
            _insert(con, "fetch_errors", FETCH_ERROR_COLUMNS, errors)
        if changes:
            _insert(con, "run_changes", CHANGE_COLUMNS, changes)


@dataclass
class Rows:
    """Rows waiting to be written, in the order they were made."""

    states: list[UrlState] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    errors: list[FetchErrorRow] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.states) + len(self.documents) + len(self.errors) + len(self.changes)

    def then(self, later: Rows) -> Rows:
        """These rows followed by `later` (the order upserts depend on)."""
        return Rows(
            self.states + later.states,
            self.documents + later.documents,
            self.errors + later.errors,
            self.changes + later.changes,
        )


class CrawlWriter:
    """Queues a run's rows and writes them in batches (see `save_batch`), one short session
    of the warehouse per batch.

    Safe to feed from the event loop while another thread flushes. A failed flush puts its
    rows back at the head of the queue, so nothing is lost: the next flush writes them.
    Knows which documents the warehouse holds, so `add_document` can say whether one is new.
    """

    def __init__(self, warehouse: Warehouse, known: set[str], batch: int = 200) -> None:
        self.warehouse = warehouse
        self.batch = batch
        self.known = known
        self._queue = Rows()
        self._queue_lock = threading.Lock()
        self._flush_lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Rows queued and not yet written."""
        with self._queue_lock:
            return len(self._queue)

    @property
    def due(self) -> bool:
        """A batch's worth of URL states is waiting."""
        with self._queue_lock:
            return len(self._queue.states) >= self.batch

    def add_state(self, state: UrlState) -> None:
        with self._queue_lock:
            self._queue.states.append(state)

    def add_document(self, document: DocumentRow) -> bool:
        """Queue a document row unless its bytes are already a document; True if new."""
        with self._queue_lock:
            if document.sha256 in self.known:
                return False
            self.known.add(document.sha256)
            self._queue.documents.append(document)
            return True

    def add_error(self, error: FetchErrorRow) -> None:
        with self._queue_lock:
            self._queue.errors.append(error)

    def add_change(self, change: ChangeRow) -> None:
        with self._queue_lock:
            self._queue.changes.append(change)

    def flush(self, wait: float | None = None) -> int:
        """Write everything queued, in one session and transaction; return the rows written.

        Waits up to `wait` seconds for readers to let go of the file (see
        `Warehouse.writing`). On any failure the rows stay queued and the error is raised.
        """
        with self._flush_lock:
            with self._queue_lock:
                rows, self._queue = self._queue, Rows()
            if not rows:
                return 0
            try:
                with self.warehouse.writing(wait) as con:
                    save_batch(con, rows.states, rows.documents, rows.errors, rows.changes)
            except BaseException:
                with self._queue_lock:
                    self._queue = rows.then(self._queue)
                raise
            return len(rows)


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: tuple[str, ...],
    rows: list[object],
    suffix: str = "",
) -> None:
    row_marks = "(" + ", ".join("?" for _ in columns) + ")"
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        chunk = rows[start : start + ROWS_PER_STATEMENT]
        params = [getattr(row, c) for row in chunk for c in columns]
        con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
            + ", ".join(row_marks for _ in chunk)
            + suffix,
            params,
        )


def fetch_errors(con: duckdb.DuckDBPyConnection, run_id: int) -> list[tuple[str, str]]:
    """(url, reason) of each failure in a run, in the order they happened."""
    return con.execute(
        "SELECT url, reason FROM fetch_errors WHERE run_id = ? ORDER BY failed_at, url", [run_id]
    ).fetchall()
