"""Narrative figures in the warehouse, and the soft check of stated request counts.

`narrative_figures` holds what `parsers.reading.narrative` found in each section's prose. The rule
`narrative.requests_received` compares an exact count of received requests stated in the
prose with the table: it passes when it equals new_received or new_received + carried_over
(narratives use both), and is a warning otherwise; `narrative.requests_handled` compares a
stated count of handled (办结/答复) requests with results_total. An approximate count
(4000余件) or a missing table cell is `not_evaluable`. The table's cells are read from
`key_figures` (a copy of these cells of `facts`).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from parsers.model import Report
from warehouse.values import VALUE_TYPE

RULE = "narrative.requests_received"
HANDLED_RULE = "narrative.requests_handled"
SCHEMA = pa.schema(
    [
        ("report_id", pa.string()),
        ("section_no", pa.int32()),
        ("sentence_no", pa.int32()),
        ("start_char", pa.int32()),
        ("end_char", pa.int32()),
        ("value", pa.decimal128(24, 6)),
        ("unit", pa.string()),
        ("qualifier", pa.string()),
        ("meaning", pa.string()),
        ("phrase", pa.string()),
        ("subject", pa.string()),
    ]
)

DDL: list[str] = [
    f"""CREATE TABLE narrative_figures (
        report_id VARCHAR NOT NULL,
        section_no INTEGER NOT NULL,
        sentence_no INTEGER NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        value {VALUE_TYPE} NOT NULL,
        unit VARCHAR,
        qualifier VARCHAR,
        meaning VARCHAR,
        phrase VARCHAR NOT NULL,
        subject VARCHAR
    )""",
    # Each figure with the sentence it was stated in.
    """CREATE VIEW narrative_sentences AS
       SELECT n.*, s.text[n.start_char + 1 : n.end_char] AS printed,
              r.agency, r.year
       FROM narrative_figures n
       JOIN sections s ON s.report_id = n.report_id AND s.section_no = n.section_no
       JOIN reports r ON r.report_id = n.report_id""",
]


def figure_rows(items: list[tuple[str, Report]]) -> pa.Table:
    """The narrative figures of these reports as an Arrow table in the table's order."""
    cols: dict[str, list] = {n: [] for n in SCHEMA.names}
    for rid, r in items:
        for f in r.narrative:
            for name, v in zip(
                SCHEMA.names,
                (rid, f.section_no, f.sentence_no, f.start, f.end, f.value, f.unit,
                 f.qualifier, f.meaning, f.phrase, f.subject),
                strict=True,
            ):  # fmt: skip
                cols[name].append(v)
    return pa.table(cols, schema=SCHEMA)


_CHECK_SQL = f"""
INSERT INTO checks (report_id, rule_id, scope, status, lhs, rhs, diff, message, severity)
WITH t AS (
    SELECT report_id,
           any_value(value) FILTER (WHERE row_id = 'new_received') AS received,
           any_value(status) FILTER (WHERE row_id = 'new_received') AS received_status,
           any_value(value) FILTER (WHERE row_id = 'carried_over') AS carried,
           any_value(status) FILTER (WHERE row_id = 'carried_over') AS carried_status
    FROM key_figures
    WHERE table_id = 'requests' AND col_id = 'total' AND row_id IN ('new_received', 'carried_over')
      AND report_id IN (SELECT unnest($ids))
    GROUP BY report_id
), n AS (
    SELECT * FROM narrative_figures
    WHERE subject = 'requests_received' AND unit = '件' AND report_id IN (SELECT unnest($ids))
)
SELECT n.report_id, '{RULE}', 'section' || n.section_no || ':' || n.start_char,
       CASE WHEN n.qualifier IS NOT NULL OR t.received_status IS NULL
                 OR t.received_status = 'missing' THEN 'not_evaluable'
            WHEN n.value = coalesce(t.received, 0)
                 OR (t.carried_status <> 'missing'
                     AND n.value = coalesce(t.received, 0) + coalesce(t.carried, 0))
                 THEN 'pass'
            ELSE 'fail' END,
       n.value,
       CASE WHEN t.received_status <> 'missing' THEN coalesce(t.received, 0) END,
       CASE WHEN t.received_status <> 'missing' THEN n.value - coalesce(t.received, 0) END,
       CASE WHEN n.qualifier IS NOT NULL
                 THEN 'the narrative gives an approximate count (' || n.phrase || ')'
            WHEN t.received_status IS NULL OR t.received_status = 'missing'
                 THEN 'new_received total is missing in the table'
            ELSE 'narrative says ' || n.phrase || '; table: new_received '
                 || coalesce(t.received, 0)::BIGINT || ', with carried_over '
                 || (coalesce(t.received, 0) + coalesce(t.carried, 0))::BIGINT
       END,
       'warning'
FROM n LEFT JOIN t USING (report_id)
"""


_HANDLED_SQL = f"""
INSERT INTO checks (report_id, rule_id, scope, status, lhs, rhs, diff, message, severity)
WITH t AS (
    SELECT report_id, value, status FROM key_figures
    WHERE table_id = 'requests' AND col_id = 'total' AND row_id = 'results_total'
      AND report_id IN (SELECT unnest($ids))
), n AS (
    SELECT * FROM narrative_figures
    WHERE subject = 'requests_handled' AND unit = '件' AND report_id IN (SELECT unnest($ids))
)
SELECT n.report_id, '{HANDLED_RULE}', 'section' || n.section_no || ':' || n.start_char,
       CASE WHEN n.qualifier IS NOT NULL OR t.status IS NULL OR t.status = 'missing'
                 THEN 'not_evaluable'
            WHEN n.value = coalesce(t.value, 0) THEN 'pass' ELSE 'fail' END,
       n.value,
       CASE WHEN t.status <> 'missing' THEN coalesce(t.value, 0) END,
       CASE WHEN t.status <> 'missing' THEN n.value - coalesce(t.value, 0) END,
       CASE WHEN n.qualifier IS NOT NULL
                 THEN 'the narrative gives an approximate count (' || n.phrase || ')'
            WHEN t.status IS NULL OR t.status = 'missing'
                 THEN 'results_total is missing in the table'
            ELSE 'narrative says ' || n.phrase || '; table: results_total '
                 || coalesce(t.value, 0)::BIGINT
       END,
       'warning'
FROM n LEFT JOIN t USING (report_id)
"""


def check_narratives(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Add the soft narrative-vs-table rows of `checks` for these reports."""
    con.execute(
        f"DELETE FROM checks WHERE rule_id IN ('{RULE}', '{HANDLED_RULE}') "
        "AND report_id IN (SELECT unnest(?))",
        [report_ids],
    )
    con.execute(_CHECK_SQL, {"ids": report_ids})
    con.execute(_HANDLED_SQL, {"ids": report_ids})
