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


def save_url_state(con: duckdb.DuckDBPyConnection, state: UrlState) -> None:
    columns = ", ".join(URL_STATE_COLUMNS)
    marks = ", ".join("?" for _ in URL_STATE_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in URL_STATE_COLUMNS if c != "url")
    con.execute(
        f"INSERT INTO url_state ({columns}) VALUES ({marks}) "
        f"ON CONFLICT (url) DO UPDATE SET {updates}",
        [getattr(state, c) for c in URL_STATE_COLUMNS],
    )


def document_exists(con: duckdb.DuckDBPyConnection, sha256: str) -> bool:
    row = con.execute("SELECT 1 FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    return row is not None


def save_fetched(
    con: duckdb.DuckDBPyConnection, state: UrlState, document: DocumentRow | None
) -> bool:
    """Record a fetched URL and, if it is a new document, its row, in one transaction.

    Returns True if the document row was new (no row had these bytes).
    """
    con.execute("BEGIN")
    try:
        new = False
        if document is not None and not document_exists(con, document.sha256):
            columns = ", ".join(DOCUMENT_COLUMNS)
            marks = ", ".join("?" for _ in DOCUMENT_COLUMNS)
            con.execute(
                f"INSERT INTO documents ({columns}) VALUES ({marks})",
                [getattr(document, c) for c in DOCUMENT_COLUMNS],
            )
            new = True
        save_url_state(con, state)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return new


def record_url_error(
    con: duckdb.DuckDBPyConnection,
    run_id: int,
    *,
    url: str,
    source: str,
    reason: str,
    http_status: int | None = None,
    parent_url: str | None = None,
) -> None:
    """Log a failed URL in `fetch_errors` and note it on its state (keeping the last good one)."""
    at = utc_now()
    con.execute("BEGIN")
    try:
        con.execute(
            "INSERT INTO fetch_errors (run_id, url, reason, http_status, failed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [run_id, url, reason, http_status, at],
        )
        con.execute(
            "INSERT INTO url_state (url, source, parent_url, http_status, last_fetched, "
            "last_error, last_run_id) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET http_status = excluded.http_status, "
            "last_fetched = excluded.last_fetched, last_error = excluded.last_error, "
            "last_run_id = excluded.last_run_id",
            [url, source, parent_url, http_status, at, reason, run_id],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def fetch_errors(con: duckdb.DuckDBPyConnection, run_id: int) -> list[tuple[str, str]]:
    """(url, reason) of each failure in a run, in the order they happened."""
    return con.execute(
        "SELECT url, reason FROM fetch_errors WHERE run_id = ? ORDER BY failed_at, url", [run_id]
    ).fetchall()
