"""Re-parse history: what a newer parser changed in a report's figures, and why it moved.

Before a report's rows are replaced, its facts are kept aside; after the new ones are in,
every cell whose value or status differs (or that appeared or vanished) becomes a row of
`fact_history` with both versions of the parser. Unchanged cells leave no trace, so the
history stays compact.
"""

from __future__ import annotations

import duckdb

from warehouse.values import VALUE_TYPE

DDL: list[str] = [
    f"""CREATE TABLE fact_history (
        report_id VARCHAR NOT NULL,
        table_id VARCHAR NOT NULL,
        row_id VARCHAR NOT NULL,
        col_id VARCHAR NOT NULL,
        old_value {VALUE_TYPE},
        old_status VARCHAR,
        old_raw VARCHAR,
        new_value {VALUE_TYPE},
        new_status VARCHAR,
        new_raw VARCHAR,
        old_parser_version VARCHAR NOT NULL,
        new_parser_version VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL
    )""",
    # The figures the last re-parse of each report changed.
    """CREATE VIEW last_reparse_changes AS
       SELECT h.*, r.agency, r.year
       FROM fact_history h
       JOIN reports r USING (report_id)
       WHERE h.changed_at = (SELECT max(changed_at) FROM fact_history x
                             WHERE x.report_id = h.report_id)""",
]


def keep_old_facts(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Set the facts of reports about to be replaced aside (a temporary table)."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _old_facts AS
           SELECT f.report_id, f.table_id, f.row_id, f.col_id, f.value, f.status, f.raw,
                  r.parser_version
           FROM facts f JOIN reports r USING (report_id)
           WHERE f.report_id IN (SELECT unnest(?))""",
        [report_ids],
    )


def record_changes(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> int:
    """Write the cells that differ between the kept-aside and the new facts; rows written."""
    try:
        (n,) = con.execute(
            """INSERT INTO fact_history
               WITH new AS (
                   SELECT f.report_id, f.table_id, f.row_id, f.col_id, f.value, f.status, f.raw
                   FROM facts f WHERE f.report_id IN (SELECT unnest($ids))
               ), versions AS (
                   SELECT DISTINCT o.report_id, o.parser_version AS old_v,
                          r.parser_version AS new_v
                   FROM _old_facts o JOIN reports r USING (report_id)
               )
               SELECT coalesce(n.report_id, o.report_id), coalesce(n.table_id, o.table_id),
                      coalesce(n.row_id, o.row_id), coalesce(n.col_id, o.col_id),
                      o.value, o.status, o.raw, n.value, n.status, n.raw,
                      v.old_v, v.new_v, current_timestamp
               FROM new n
               FULL JOIN _old_facts o USING (report_id, table_id, row_id, col_id)
               JOIN versions v ON v.report_id = coalesce(n.report_id, o.report_id)
               WHERE n.value IS DISTINCT FROM o.value OR n.status IS DISTINCT FROM o.status
                  OR n.raw IS DISTINCT FROM o.raw""",
            {"ids": report_ids},
        ).fetchone()
    finally:
        con.execute("DROP TABLE IF EXISTS _old_facts")
    return int(n)
