"""Reviewer decisions: what an auditor confirmed or found wrong, kept across re-parses.

`DDL` creates the table `reviewer_decisions` and three views (applied by `warehouse.schema`
as a migration):

- `reviewer_decision_state`: every decision with its state now. `current` while the cell's
  value (or, for a decision on a whole report, every figure of the report) and the
  document's bytes are what the reviewer saw; `stale` when either changed, with the reason;
  `superseded` when a later decision on the same report or cell exists.
- `confirmed_facts`: facts a current decision confirms (the cell itself, or its whole report),
  unless a current decision marks the cell wrong: "confirmed figures only".
- `wrong_facts`: facts a current decision marks wrong, with the corrected value and comment.

The functions here insert decisions and read their state; they know nothing of the review
site or of the file format reviewers download.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import duckdb

VALUE_TYPE = "DECIMAL(24, 6)"
DECISIONS = ("confirmed", "wrong")

# A digest of every figure of a report (code, value, status), so that a decision on a
# whole report goes stale when any figure changes. The review site computes the same
# expression when it writes a page, and the reviewer's decision carries it back.
FACTS_DIGEST_SQL = (
    "md5(string_agg(table_id || '.' || row_id || '.' || col_id || '=' || "
    "coalesce(CAST(value AS VARCHAR), '') || '/' || status, ';' "
    "ORDER BY table_id, row_id, col_id))"
)

_STALE_REASON = """
    CASE
        WHEN r.report_id IS NULL THEN 'the report is no longer in the warehouse'
        WHEN doc.sha256 IS DISTINCT FROM d.document_sha256
            THEN 'the document''s bytes differ from those reviewed'
        WHEN EXISTS (
            SELECT 1 FROM sources s_old JOIN sources s_new ON s_new.source = s_old.source
            WHERE s_old.doc_id = r.doc_id AND s_new.doc_id <> s_old.doc_id
              AND s_new.first_seen > s_old.first_seen)
            THEN 'the source now holds a newer document'
        WHEN d.table_id IS NOT NULL AND f.report_id IS NULL
            THEN 'the cell is no longer in the report'
        WHEN d.table_id IS NOT NULL
             AND (f.value IS DISTINCT FROM d.value OR f.status IS DISTINCT FROM d.value_status)
            THEN 'the figure changed: reviewed ' || coalesce(CAST(d.value AS VARCHAR), 'no value')
                 || ' (' || coalesce(d.value_status, '?') || '), now '
                 || coalesce(CAST(f.value AS VARCHAR), 'no value') || ' (' || f.status || ')'
        WHEN d.table_id IS NULL AND g.facts_digest IS DISTINCT FROM d.facts_digest
            THEN 'the report''s figures changed since the review'
    END"""

DDL: list[str] = [
    f"""CREATE TABLE reviewer_decisions (
        decision_id VARCHAR PRIMARY KEY,
        reviewer VARCHAR NOT NULL,
        decided_at TIMESTAMP NOT NULL,
        report_id VARCHAR NOT NULL,
        table_id VARCHAR,
        row_id VARCHAR,
        col_id VARCHAR,
        decision VARCHAR NOT NULL CHECK (decision IN ('confirmed', 'wrong')),
        comment VARCHAR,
        corrected_value {VALUE_TYPE},
        value {VALUE_TYPE},
        value_status VARCHAR,
        facts_digest VARCHAR,
        document_sha256 VARCHAR NOT NULL,
        imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        import_file VARCHAR,
        CHECK ((table_id IS NULL) = (row_id IS NULL) AND (row_id IS NULL) = (col_id IS NULL)),
        CHECK (corrected_value IS NULL OR decision = 'wrong')
    )""",
    f"""CREATE VIEW reviewer_decision_state AS
        WITH digest AS (
            SELECT report_id, {FACTS_DIGEST_SQL} AS facts_digest FROM facts GROUP BY report_id
        ),
        ranked AS (
            SELECT decision_id, row_number() OVER (
                PARTITION BY report_id, table_id, row_id, col_id
                ORDER BY decided_at DESC, decision_id DESC) AS rank
            FROM reviewer_decisions
        )
        SELECT d.decision_id, d.reviewer, d.decided_at, d.report_id,
               d.table_id, d.row_id, d.col_id, d.decision, d.comment, d.corrected_value,
               d.value, d.value_status, f.value AS current_value, f.status AS current_status,
               d.document_sha256,
               CASE WHEN k.rank > 1 THEN 'superseded'
                    WHEN ({_STALE_REASON}) IS NOT NULL THEN 'stale'
                    ELSE 'current' END AS state,
               {_STALE_REASON} AS stale_reason
        FROM reviewer_decisions d
        JOIN ranked k USING (decision_id)
        LEFT JOIN reports r ON r.report_id = d.report_id
        LEFT JOIN documents doc ON doc.doc_id = r.doc_id
        LEFT JOIN facts f ON f.report_id = d.report_id AND f.table_id = d.table_id
                         AND f.row_id = d.row_id AND f.col_id = d.col_id
        LEFT JOIN digest g ON g.report_id = d.report_id""",
    """CREATE VIEW confirmed_facts AS
        SELECT f.*, s.reviewer, s.decided_at,
               CASE WHEN s.table_id IS NULL THEN 'report' ELSE 'cell' END AS confirmed_by
        FROM facts f
        JOIN reviewer_decision_state s
          ON s.report_id = f.report_id AND s.state = 'current' AND s.decision = 'confirmed'
         AND (s.table_id IS NULL
              OR (s.table_id = f.table_id AND s.row_id = f.row_id AND s.col_id = f.col_id))
        WHERE NOT EXISTS (
            SELECT 1 FROM reviewer_decision_state w
            WHERE w.state = 'current' AND w.decision = 'wrong' AND w.report_id = f.report_id
              AND w.table_id = f.table_id AND w.row_id = f.row_id AND w.col_id = f.col_id)
        QUALIFY row_number() OVER (
            PARTITION BY f.report_id, f.table_id, f.row_id, f.col_id
            ORDER BY s.table_id IS NULL, s.decided_at DESC) = 1""",
    """CREATE VIEW wrong_facts AS
        SELECT f.*, s.corrected_value, s.comment, s.reviewer, s.decided_at
        FROM facts f
        JOIN reviewer_decision_state s
          ON s.report_id = f.report_id AND s.table_id = f.table_id AND s.row_id = f.row_id
         AND s.col_id = f.col_id AND s.state = 'current' AND s.decision = 'wrong'""",
]


@dataclass(frozen=True)
class DecisionRow:
    """One reviewer decision as stored: on a cell (`cell` = table, row, col) or a report."""

    reviewer: str
    decided_at: datetime
    report_id: str
    cell: tuple[str, str, str] | None
    decision: str
    comment: str | None
    corrected_value: Decimal | None
    value: Decimal | None
    value_status: str | None
    facts_digest: str | None
    document_sha256: str

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            raise ValueError(f"unknown decision {self.decision!r}")
        if self.corrected_value is not None and self.decision != "wrong":
            raise ValueError("only a figure marked wrong has a corrected value")

    @property
    def decision_id(self) -> str:
        cell = ".".join(self.cell) if self.cell else ""
        key = "\x1f".join(
            (self.reviewer, self.decided_at.isoformat(), self.report_id, cell, self.decision)
        )
        return hashlib.sha256(key.encode()).hexdigest()


def insert_decisions(
    con: duckdb.DuckDBPyConnection, rows: list[DecisionRow], import_file: str | None
) -> int:
    """Store decisions in one transaction; return how many were new (re-imports add none)."""
    con.execute("BEGIN TRANSACTION")
    try:
        before = _count(con)
        for d in rows:
            table_id, row_id, col_id = d.cell or (None, None, None)
            con.execute(
                "INSERT INTO reviewer_decisions (decision_id, reviewer, decided_at, report_id, "
                "table_id, row_id, col_id, decision, comment, corrected_value, value, "
                "value_status, facts_digest, document_sha256, import_file) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    d.decision_id,
                    d.reviewer,
                    d.decided_at,
                    d.report_id,
                    table_id,
                    row_id,
                    col_id,
                    d.decision,
                    d.comment,
                    d.corrected_value,
                    d.value,
                    d.value_status,
                    d.facts_digest,
                    d.document_sha256,
                    import_file,
                ],
            )
        added = _count(con) - before
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return added


def _count(con: duckdb.DuckDBPyConnection) -> int:
    ((n,),) = con.execute("SELECT count(*) FROM reviewer_decisions").fetchall()
    return int(n)


def has_decisions(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this warehouse has the decisions table (an older file opened read-only may not)."""
    rows = con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_name = 'reviewer_decision_state'"
    ).fetchall()
    return bool(rows)


def decision_states(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The latest decision on every report and cell, with its state (current or stale)."""
    if not has_decisions(con):
        return []
    cur = con.execute(
        "SELECT report_id, table_id, row_id, col_id, decision, state, stale_reason, reviewer, "
        "decided_at, comment, corrected_value, value FROM reviewer_decision_state "
        "WHERE state <> 'superseded' ORDER BY report_id, decided_at"
    )
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def facts_digests(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each report's digest of its figures (what a decision on a whole report is made on)."""
    rows = con.execute(f"SELECT report_id, {FACTS_DIGEST_SQL} FROM facts GROUP BY report_id")
    return dict(rows.fetchall())


def report_cells(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> dict[str, dict]:
    """For the given reports: the document sha256 and every cell code (to check decisions)."""
    out: dict[str, dict] = {}
    for rid, sha in con.execute(
        "SELECT r.report_id, d.sha256 FROM reports r JOIN documents d USING (doc_id) "
        "WHERE r.report_id IN (SELECT unnest(?))",
        [report_ids],
    ).fetchall():
        out[rid] = {"sha256": sha, "cells": set()}
    for rid, t, r, c in con.execute(
        "SELECT report_id, table_id, row_id, col_id FROM facts WHERE report_id IN "
        "(SELECT unnest(?))",
        [report_ids],
    ).fetchall():
        out[rid]["cells"].add((t, r, c))
    return out
