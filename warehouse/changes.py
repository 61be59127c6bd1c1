"""What each run changed: report documents new, republished or gone, and the figures a
republished report changed.

The crawler records document-level rows of `run_changes` with the batch that stores the
document (so a crash never loses one); `compare_figures` adds a `figure` row per cell whose
value or status differs between a republished report's old and new versions, once both are
loaded. Both documents and their reports are kept. `DDL` is applied by `warehouse.schema`
(schema version 40).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import duckdb

from warehouse.transaction import transaction
from warehouse.values import VALUE_TYPE

CHANGES = ("new", "republished", "gone", "figure")


DDL: list[str] = [
    f"""CREATE TABLE run_changes (
            run_id INTEGER NOT NULL,
            source VARCHAR NOT NULL,
            url VARCHAR NOT NULL,
            change VARCHAR NOT NULL
                CHECK (change IN ('new', 'republished', 'gone', 'figure')),
            kind VARCHAR,
            old_doc_id VARCHAR,
            new_doc_id VARCHAR,
            http_status INTEGER,
            note VARCHAR,
            detected_at TIMESTAMP NOT NULL,
            table_id VARCHAR,
            row_id VARCHAR,
            col_id VARCHAR,
            old_value {VALUE_TYPE},
            new_value {VALUE_TYPE},
            old_status VARCHAR,
            new_status VARCHAR,
            old_raw VARCHAR,
            new_raw VARCHAR,
            figures_compared BOOLEAN
        )""",
]


@dataclass(frozen=True)
class FigureChange:
    table_id: str
    row_id: str
    col_id: str
    old_value: Decimal | None
    new_value: Decimal | None
    old_status: str | None
    new_status: str | None
    old_raw: str | None
    new_raw: str | None


@dataclass(frozen=True)
class DocumentChange:
    """A row of `run_changes` at document level, with its figure changes if republished."""

    run_id: int
    source: str
    url: str
    change: str
    kind: str | None
    old_doc_id: str | None
    new_doc_id: str | None
    http_status: int | None
    note: str | None
    figures_compared: bool | None
    figures: tuple[FigureChange, ...] = ()


# Pairs of loaded reports to compare: republished rows not compared yet, both versions
# read (a version that failed to parse has no figures to compare; the row says so).
_PAIRS = """
    SELECT run_id, source, url, kind, old_doc_id, new_doc_id FROM run_changes
    WHERE change = 'republished' AND NOT coalesce(figures_compared, false)
      AND old_doc_id IN (SELECT report_id FROM reports WHERE status <> 'failed')
      AND new_doc_id IN (SELECT report_id FROM reports WHERE status <> 'failed')
"""
_UNREADABLE = """
    UPDATE run_changes c SET figures_compared = true,
        note = 'figures not compared: the ' || r.version || ' version failed to parse: '
               || coalesce(r.error, '?')
    FROM (SELECT 'old' AS version, report_id, error FROM reports WHERE status = 'failed'
          UNION ALL
          SELECT 'new', report_id, error FROM reports WHERE status = 'failed') r
    WHERE c.change = 'republished' AND NOT coalesce(c.figures_compared, false)
      AND ((r.version = 'old' AND c.old_doc_id = r.report_id)
           OR (r.version = 'new' AND c.new_doc_id = r.report_id))
      AND c.old_doc_id IN (SELECT report_id FROM reports)
      AND c.new_doc_id IN (SELECT report_id FROM reports)
"""


def compare_figures(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    """Record the figures each loadable republished report changed; return how many.

    A cell present in one version only counts as changed (the other side is NULL). A pair
    where either version failed to parse is marked compared with a note saying so, and has
    no figure rows. Runs in one transaction: the figure rows and the marks land together.
    """
    with transaction(con):
        (before,) = con.execute(
            "SELECT count(*) FROM run_changes WHERE change = 'figure'"
        ).fetchone()
        con.execute(
            f"""INSERT INTO run_changes (run_id, source, url, change, kind, old_doc_id,
                    new_doc_id, detected_at, table_id, row_id, col_id, old_value, new_value,
                    old_status, new_status, old_raw, new_raw)
                WITH pair AS ({_PAIRS}),
                old AS (SELECT p.run_id, p.url, p.new_doc_id, f.table_id, f.row_id, f.col_id,
                               f.value, f.status, f.raw
                        FROM pair p JOIN facts f ON f.report_id = p.old_doc_id),
                new AS (SELECT p.run_id, p.url, p.new_doc_id, f.table_id, f.row_id, f.col_id,
                               f.value, f.status, f.raw
                        FROM pair p JOIN facts f ON f.report_id = p.new_doc_id),
                diff AS (
                    SELECT coalesce(n.run_id, o.run_id) AS run_id,
                           coalesce(n.url, o.url) AS url,
                           coalesce(n.new_doc_id, o.new_doc_id) AS new_doc_id,
                           coalesce(n.table_id, o.table_id) AS table_id,
                           coalesce(n.row_id, o.row_id) AS row_id,
                           coalesce(n.col_id, o.col_id) AS col_id,
                           o.value AS old_value, n.value AS new_value,
                           o.status AS old_status, n.status AS new_status,
                           o.raw AS old_raw, n.raw AS new_raw
                    FROM old o FULL JOIN new n
                      ON o.run_id = n.run_id AND o.url = n.url AND o.new_doc_id = n.new_doc_id
                     AND o.table_id = n.table_id AND o.row_id = n.row_id AND o.col_id = n.col_id
                    WHERE o.value IS DISTINCT FROM n.value OR o.status IS DISTINCT FROM n.status
                )
                SELECT p.run_id, p.source, p.url, 'figure', p.kind, p.old_doc_id, p.new_doc_id,
                       ?, d.table_id, d.row_id, d.col_id, d.old_value, d.new_value,
                       d.old_status, d.new_status, d.old_raw, d.new_raw
                FROM diff d JOIN pair p USING (run_id, url, new_doc_id)
                ORDER BY p.run_id, p.url, d.table_id, d.row_id, d.col_id""",
            [now],
        )
        con.execute(
            f"""UPDATE run_changes SET figures_compared = true
                WHERE change = 'republished'
                  AND (run_id, url, new_doc_id) IN
                      (SELECT run_id, url, new_doc_id FROM ({_PAIRS}))"""
        )
        con.execute(_UNREADABLE)
        (after,) = con.execute(
            "SELECT count(*) FROM run_changes WHERE change = 'figure'"
        ).fetchone()
    return int(after - before)


def run_changes(con: duckdb.DuckDBPyConnection, run_id: int) -> list[DocumentChange]:
    """A run's document changes in the order found, each republished one with its figures."""
    figures: dict[tuple[str, str | None], list[FigureChange]] = {}
    for url, new_doc_id, *cell in con.execute(
        "SELECT url, new_doc_id, table_id, row_id, col_id, old_value, new_value, old_status, "
        "new_status, old_raw, new_raw FROM run_changes WHERE run_id = ? AND change = 'figure' "
        "ORDER BY table_id, row_id, col_id",
        [run_id],
    ).fetchall():
        figures.setdefault((url, new_doc_id), []).append(FigureChange(*cell))
    rows = con.execute(
        "SELECT run_id, source, url, change, kind, old_doc_id, new_doc_id, http_status, note, "
        "figures_compared FROM run_changes WHERE run_id = ? AND change <> 'figure' "
        "ORDER BY detected_at, url",
        [run_id],
    ).fetchall()
    return [DocumentChange(*row, figures=tuple(figures.get((row[2], row[6]), ()))) for row in rows]
