"""Each source's health, run by run: what its crawl found, and the flags raised on it.

`source_runs` holds one row per source and run (counts, and the flags `pipeline.health`
raised with a reason each); `source_failures` the failed URLs by kind; the view
`source_health` each source's latest completed run; `raw_store_usage` what each source keeps
in the raw store. `DDL` is applied by `warehouse.schema` (schema version 40).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse.transaction import transaction

DDL: list[str] = [
    """CREATE TABLE source_runs (
        run_id INTEGER NOT NULL,
        source VARCHAR NOT NULL,
        requests BIGINT NOT NULL,
        urls BIGINT NOT NULL,
        pages BIGINT NOT NULL,
        report_links BIGINT NOT NULL,
        documents_new BIGINT NOT NULL,
        documents_changed BIGINT NOT NULL,
        documents_unchanged BIGINT NOT NULL,
        documents_gone BIGINT NOT NULL,
        failed_urls BIGINT NOT NULL,
        robots_blocked BIGINT NOT NULL,
        pages_reshaped BIGINT NOT NULL,
        down BOOLEAN NOT NULL,
        down_runs INTEGER NOT NULL,
        usual_report_links DOUBLE,
        flags VARCHAR[] NOT NULL,
        reasons VARCHAR[] NOT NULL,
        PRIMARY KEY (run_id, source)
    )""",
    """CREATE TABLE source_failures (
        run_id INTEGER NOT NULL,
        source VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        urls BIGINT NOT NULL,
        example VARCHAR,
        PRIMARY KEY (run_id, source, kind)
    )""",
    """CREATE VIEW source_health AS
       SELECT s.source, s.run_id AS last_run_id, r.started_at AS last_run_at,
              len(s.flags) > 0 AS flagged, s.flags, s.reasons,
              s.report_links, s.usual_report_links, s.down, s.down_runs, s.requests,
              s.pages, s.documents_new, s.documents_changed, s.documents_unchanged,
              s.documents_gone, s.failed_urls, s.robots_blocked, s.pages_reshaped
       FROM source_runs s JOIN runs r USING (run_id)
       WHERE r.status = 'done'
       QUALIFY row_number() OVER (PARTITION BY s.source ORDER BY s.run_id DESC) = 1""",
    # Every version of every report document, and the current copy of every other page.
    """CREATE VIEW raw_store_usage AS
       WITH blob AS (
           SELECT u.source, d.sha256, d.size, true AS document
           FROM documents d JOIN url_state u ON u.url = d.url
           UNION
           SELECT source, sha256, size, false AS document FROM url_state
           WHERE sha256 IS NOT NULL AND sha256 NOT IN (SELECT sha256 FROM documents)
       )
       SELECT source,
              count(*) FILTER (WHERE document) AS document_files,
              coalesce(sum(size) FILTER (WHERE document), 0) AS document_bytes,
              count(*) FILTER (WHERE NOT document) AS page_files,
              coalesce(sum(size) FILTER (WHERE NOT document), 0) AS page_bytes,
              coalesce(sum(size), 0) AS bytes,
              count(*) FILTER (WHERE size IS NULL) AS files_of_unknown_size
       FROM blob GROUP BY source""",
]

SOURCE_RUN_COLUMNS = (
    "run_id",
    "source",
    "requests",
    "urls",
    "pages",
    "report_links",
    "documents_new",
    "documents_changed",
    "documents_unchanged",
    "documents_gone",
    "failed_urls",
    "robots_blocked",
    "pages_reshaped",
    "down",
    "down_runs",
    "usual_report_links",
    "flags",
    "reasons",
)


@dataclass(frozen=True)
class PastRun:
    """What a source's earlier completed run found, for judging this one."""

    run_id: int
    report_links: int
    down: bool
    down_runs: int


def source_history(
    con: duckdb.DuckDBPyConnection, run_id: int, sources: list[str], limit: int
) -> dict[str, list[PastRun]]:
    """Each source's last `limit` completed runs before `run_id`, newest first."""
    rows = con.execute(
        """SELECT source, run_id, report_links, down, down_runs FROM (
               SELECT s.*, row_number() OVER (PARTITION BY s.source ORDER BY s.run_id DESC) AS n
               FROM source_runs s JOIN runs r USING (run_id)
               WHERE r.status = 'done' AND s.run_id < ? AND s.source IN (SELECT unnest(?))
           ) WHERE n <= ? ORDER BY source, run_id DESC""",
        [run_id, sources, limit],
    ).fetchall()
    out: dict[str, list[PastRun]] = {s: [] for s in sources}
    for source, rid, links, down, down_runs in rows:
        out[source].append(PastRun(rid, links, down, down_runs))
    return out


def save_source_runs(
    con: duckdb.DuckDBPyConnection,
    rows: list[tuple],
    failures: list[tuple[int, str, str, int, str | None]],
) -> None:
    """Insert (or replace) a run's rows of `source_runs` and `source_failures`, in one
    transaction. `rows` are tuples in SOURCE_RUN_COLUMNS order."""
    with transaction(con):
        run_ids = sorted({r[0] for r in rows} | {f[0] for f in failures})
        for table in ("source_runs", "source_failures"):
            con.execute(f"DELETE FROM {table} WHERE run_id IN (SELECT unnest(?))", [run_ids])
        if rows:
            marks = ", ".join("?" for _ in SOURCE_RUN_COLUMNS)
            con.executemany(
                f"INSERT INTO source_runs ({', '.join(SOURCE_RUN_COLUMNS)}) VALUES ({marks})",
                rows,
            )
        if failures:
            con.executemany(
                "INSERT INTO source_failures (run_id, source, kind, urls, example) "
                "VALUES (?, ?, ?, ?, ?)",
                failures,
            )


def flagged_sources(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, list[str]]]:
    """(source, last run, reasons) of each source whose latest completed run is flagged."""
    return [
        (source, run_id, list(reasons))
        for source, run_id, reasons in con.execute(
            "SELECT source, last_run_id, reasons FROM source_health WHERE flagged ORDER BY source"
        ).fetchall()
    ]


def raw_store_usage(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(source, document files, document bytes, page files, page bytes, bytes, files of
    unknown size) per source, largest first."""
    return con.execute(
        "SELECT source, document_files, document_bytes, page_files, page_bytes, bytes, "
        "files_of_unknown_size FROM raw_store_usage ORDER BY bytes DESC, source"
    ).fetchall()
