"""The crawler's tables: what each URL looked like last time, each run, each failure.

`DDL` creates them (applied by `warehouse.schema` as a migration). The functions here do the
SQL the crawler needs; they know nothing of HTTP, only of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

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
) -> None:
    """Write URL states (upserted by URL; the last of a URL wins), new documents and failures
    in one transaction. Many rows per statement: DuckDB is slow at one-row transactions."""
    latest = {state.url: state for state in states}
    con.execute("BEGIN")
    try:
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
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


class CrawlWriter:
    """Buffers a run's rows and writes them in batches (see `save_batch`).

    Knows which documents the warehouse holds, so `add_document` can say whether one is new.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, batch: int = 200) -> None:
        self.con = con
        self.batch = batch
        self.known = known_document_hashes(con)
        self._states: list[UrlState] = []
        self._documents: list[DocumentRow] = []
        self._errors: list[FetchErrorRow] = []

    def add_state(self, state: UrlState) -> None:
        self._states.append(state)
        if len(self._states) >= self.batch:
            self.flush()

    def add_document(self, document: DocumentRow) -> bool:
        """Queue a document row unless its bytes are already a document; True if new."""
        if document.sha256 in self.known:
            return False
        self.known.add(document.sha256)
        self._documents.append(document)
        return True

    def add_error(self, error: FetchErrorRow) -> None:
        self._errors.append(error)

    def flush(self) -> None:
        """Write everything queued, in one transaction."""
        if self._states or self._documents or self._errors:
            states, documents, errors = self._states, self._documents, self._errors
            self._states, self._documents, self._errors = [], [], []
            save_batch(self.con, states, documents, errors)


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
