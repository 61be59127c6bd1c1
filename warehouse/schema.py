"""The warehouse's tables, created and migrated by version."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse import changes, comparisons, health, indicators, wide
from warehouse.agencies import DDL as AGENCY_DDL
from warehouse.crawl import DDL as CRAWL_DDL
from warehouse.crawl import DDL_SHAPE as CRAWL_SHAPE_DDL
from warehouse.decisions import DDL as DECISIONS_DDL
from warehouse.documentation import comment_statements
from warehouse.history import DDL as HISTORY_DDL
from warehouse.key_figures import DDL as KEY_FIGURES_DDL
from warehouse.key_figures import fill_sql as fill_key_figures
from warehouse.narrative import DDL as NARRATIVE_DDL
from warehouse.provenance import DDL as PROVENANCE_DDL
from warehouse.provenance import GROUPS as REPORT_GROUPS_DDL
from warehouse.reuse import DDL as REUSE_DDL
from warehouse.transaction import rollback
from warehouse.url_notes import DDL as URL_NOTES_DDL
from warehouse.values import VALUE_TYPE

# facts and checks carry no index: a report's rows are only ever replaced whole inside one
# transaction (warehouse.load), which keeps (report_id, table_id, row_id, col_id) unique,
# and an index would halve bulk-insert speed.
#
# Each migration is applied once, in order, and recorded by number in schema_migrations.
MIGRATIONS: list[tuple[int, str, Sequence[str]]] = [
    (
        1,
        "initial",
        [
            """CREATE TABLE documents (
                doc_id VARCHAR PRIMARY KEY,
                source VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL UNIQUE,
                media_type VARCHAR,
                size BIGINT,
                kind VARCHAR,
                url VARCHAR,
                final_url VARCHAR,
                parent_url VARCHAR,
                http_status INTEGER,
                etag VARCHAR,
                last_modified VARCHAR,
                fetched_at TIMESTAMP,
                first_seen TIMESTAMP NOT NULL DEFAULT current_timestamp
            )""",
            # Every path or URL the same bytes were seen at (documents keeps the first).
            """CREATE TABLE sources (
                doc_id VARCHAR NOT NULL,
                source VARCHAR NOT NULL,
                first_seen TIMESTAMP NOT NULL DEFAULT current_timestamp,
                PRIMARY KEY (doc_id, source)
            )""",
            """CREATE TABLE reports (
                report_id VARCHAR PRIMARY KEY,
                doc_id VARCHAR NOT NULL,
                title VARCHAR,
                agency VARCHAR,
                agency_raw VARCHAR,
                year INTEGER,
                format VARCHAR,
                script VARCHAR,
                published DATE,
                status VARCHAR NOT NULL,
                error VARCHAR,
                parser_version VARCHAR NOT NULL,
                parsed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
            )""",
            """CREATE TABLE sections (
                report_id VARCHAR NOT NULL,
                section_no INTEGER NOT NULL,
                heading VARCHAR,
                present BOOLEAN NOT NULL,
                text VARCHAR,
                text_simplified VARCHAR,
                PRIMARY KEY (report_id, section_no)
            )""",
            f"""CREATE TABLE facts (
                report_id VARCHAR NOT NULL,
                table_id VARCHAR NOT NULL,
                row_id VARCHAR NOT NULL,
                col_id VARCHAR NOT NULL,
                value {VALUE_TYPE},
                unit VARCHAR,
                status VARCHAR NOT NULL,
                raw VARCHAR,
                note VARCHAR,
                src_kind VARCHAR,
                src_table INTEGER,
                src_row INTEGER,
                src_col INTEGER,
                src_line INTEGER,
                page INTEGER,
                x0 DOUBLE,
                top DOUBLE,
                x1 DOUBLE,
                bottom DOUBLE
            )""",
            f"""CREATE TABLE checks (
                report_id VARCHAR NOT NULL,
                rule_id VARCHAR NOT NULL,
                scope VARCHAR NOT NULL,
                status VARCHAR NOT NULL,
                lhs {VALUE_TYPE},
                rhs {VALUE_TYPE},
                diff {VALUE_TYPE},
                message VARCHAR
            )""",
            # Blank totals offered as computed from their printed parts (status 'derived').
            """CREATE TABLE derived AS SELECT * FROM facts WITH NO DATA""",
            # The facts with each blank total replaced by its derived value, for analysts who
            # want every total; `status` says which ones were computed, not printed.
            """CREATE VIEW facts_with_derived AS
               SELECT f.report_id, f.table_id, f.row_id, f.col_id,
                      coalesce(d.value, f.value) AS value, f.unit,
                      coalesce(d.status, f.status) AS status, f.raw,
                      coalesce(d.note, f.note) AS note,
                      f.src_kind, f.src_table, f.src_row, f.src_col, f.src_line, f.page,
                      f.x0, f.top, f.x1, f.bottom
               FROM facts f
               LEFT JOIN derived d USING (report_id, table_id, row_id, col_id)""",
            """CREATE TABLE diagnoses (
                report_id VARCHAR NOT NULL,
                seq INTEGER NOT NULL,
                table_id VARCHAR NOT NULL,
                severity VARCHAR NOT NULL,
                message VARCHAR NOT NULL,
                PRIMARY KEY (report_id, seq)
            )""",
        ],
    ),
    (2, "crawler", CRAWL_DDL),
    (
        3,
        "carry_continuity",
        [
            # templates.md rule requests.carry_continuity, across years of one agency:
            # carried_over(year N) = carried_forward(year N-1). A warning only: agencies
            # merge and split. One row per column of each pair of consecutive reports.
            """CREATE VIEW carry_continuity AS
               WITH cell AS (
                   SELECT r.report_id, r.agency, r.year, f.row_id, f.col_id, f.value, f.status
                   FROM facts f JOIN reports r USING (report_id)
                   WHERE f.table_id = 'requests'
                     AND f.row_id IN ('carried_over', 'carried_forward')
                     AND r.agency IS NOT NULL AND r.year IS NOT NULL
               )
               SELECT cur.agency, cur.year, cur.col_id AS scope,
                      cur.report_id, prev.report_id AS previous_report_id,
                      'requests.carry_continuity' AS rule_id,
                      CASE WHEN cur.status = 'missing' OR prev.status = 'missing'
                                THEN 'not_evaluable'
                           WHEN coalesce(cur.value, 0) = coalesce(prev.value, 0) THEN 'pass'
                           ELSE 'fail' END AS status,
                      coalesce(cur.value, 0) AS lhs, coalesce(prev.value, 0) AS rhs,
                      coalesce(cur.value, 0) - coalesce(prev.value, 0) AS diff
               FROM cell cur JOIN cell prev
                 ON cur.agency = prev.agency AND cur.year = prev.year + 1
                AND cur.col_id = prev.col_id
               WHERE cur.row_id = 'carried_over' AND prev.row_id = 'carried_forward'""",
        ],
    ),
    (10, "agencies", AGENCY_DDL),
    (
        11,
        "analytics",
        [
            # Cross-report and soft rules are warnings; the year-N−1 side of a cross-report
            # rule is named in other_report_id (warehouse.continuity).
            "ALTER TABLE checks ADD COLUMN severity VARCHAR DEFAULT 'error'",
            "ALTER TABLE checks ADD COLUMN other_report_id VARCHAR",
            "UPDATE checks SET severity = 'error' WHERE severity IS NULL",
            *wide.ddl(),
            *HISTORY_DDL,
            *NARRATIVE_DDL,
            *REUSE_DDL,
            # The cross-year rule now lives in `checks`; this view keeps its old shape.
            "DROP VIEW carry_continuity",
            """CREATE VIEW carry_continuity AS
               SELECT r.agency, r.year, split_part(c.scope, ':', 1) AS scope,
                      c.report_id, c.other_report_id AS previous_report_id, c.rule_id,
                      c.status, c.lhs, c.rhs, c.diff, c.message
               FROM checks c JOIN reports r USING (report_id)
               WHERE c.rule_id = 'requests.carry_continuity' AND c.other_report_id IS NOT NULL""",
        ],
    ),
    # COMMENT ON every table, view and column, from warehouse/dictionary.py.
    # Comments come from the data dictionary after every migration run (see `migrate`).
    (19, "dictionary", []),
    (20, "reviewer_decisions", DECISIONS_DDL),
    (30, "url_notes", URL_NOTES_DDL),
    # Nightly runs watched: per-source health, what each run changed, page sizes and shapes.
    (40, "run_monitoring", CRAWL_SHAPE_DDL + health.DDL + changes.DDL),
    # Word attachments and scans (#13): OCR confidence per cell; a page and its attachments
    # counted once.
    (50, "ocr_confidence", PROVENANCE_DDL),
    (51, "distinct_reports", REPORT_GROUPS_DDL),
    # Indicators from printed figures only, their evidence and comparisons (issue #14).
    (60, "indicators", [*indicators.ddl(), *comparisons.ddl()]),
    # The same views, faster at scale (#10): cells looked up by code, read once per query,
    # and the year carried into agency_indicators.
    (61, "indicator_lookup", [*indicators.ddl(), *comparisons.ddl()]),
    # The cells the warehouse's own checks compare, copied per report at load (#10).
    (62, "key_figures", [*KEY_FIGURES_DDL, fill_key_figures()]),
]
# The version a fully migrated warehouse reports: the highest migration number.
SCHEMA_VERSION = max(version for version, _, _ in MIGRATIONS)


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and create or migrate, unless read-only) the warehouse at `path`."""
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        migrate(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations; return the schema version now in the file."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    done = {v for (v,) in con.execute("SELECT version FROM schema_migrations").fetchall()}
    pending = [m for m in MIGRATIONS if m[0] not in done]
    for version, name, statements in pending:
        con.execute("BEGIN")
        try:
            for sql in statements:
                con.execute(sql)
            if version == MIGRATIONS[-1][0] or version == pending[-1][0]:
                # The data dictionary documents every object there is now, new ones included.
                for sql in comment_statements(_columns(con)):
                    con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name]
            )
            con.execute("COMMIT")
        except Exception:
            rollback(con)
            raise
    return schema_version(con)


def new_warehouse_columns() -> dict[str, list[str]]:
    """Each object's columns in a new, fully migrated warehouse (for the documentation)."""
    con = connect(":memory:")
    try:
        return _columns(con)
    finally:
        con.close()


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Each object's column names, in order."""
    return {name: [c for c, _ in cols] for name, cols in describe(con).items()}


def describe(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Each table of the warehouse with its (column, type) pairs."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, []).append((column, dtype))
    return out


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied to this file."""
    ((version,),) = con.execute("SELECT max(version) FROM schema_migrations").fetchall()
    return int(version) if version is not None else 0
