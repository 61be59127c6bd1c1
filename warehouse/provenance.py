"""Provenance of reports read from attachments and scans (#13).

`distinct_reports` (view): a report published both as a page and as attachments of that page
(documents.parent_url) is one report: one row per such group, the best-read document chosen
(parsed before partial before failed; the page on a tie), so no report is counted twice.
Every member stays in `reports`; reconciling their figures is a later step.

`facts.confidence` (and the same column of `derived`) is the recognition confidence of a
cell read from a scanned page (0..1; 1.0 for a cell the image shows empty), NULL for cells
read from a text layer, markup or Word; `src_kind = 'ocr'` marks those cells.

Their descriptions in the database come from the data dictionary (`warehouse/dictionary.py`).
"""

from __future__ import annotations

GROUPS = [
    """CREATE VIEW distinct_reports AS
       WITH member AS (
           SELECT r.report_id, r.status, d.kind, d.url,
                  CASE WHEN d.kind = 'attachment' AND p.url IS NOT NULL THEN p.url
                       ELSE coalesce(d.url, d.source) END AS group_url
           FROM reports r
           JOIN documents d USING (doc_id)
           LEFT JOIN documents p ON p.url = d.parent_url AND p.kind = 'report_page'
       ),
       ranked AS (
           SELECT *, row_number() OVER (
                      PARTITION BY group_url
                      ORDER BY CASE status WHEN 'parsed' THEN 0 WHEN 'partial' THEN 1 ELSE 2 END,
                               CASE kind WHEN 'report_page' THEN 0 ELSE 1 END, report_id) AS rank,
                  count(*) OVER (PARTITION BY group_url) AS documents,
                  list(report_id) OVER (PARTITION BY group_url) AS members
           FROM member
       )
       SELECT report_id, group_url, documents, members FROM ranked WHERE rank = 1""",
]

DDL = [
    "ALTER TABLE facts ADD COLUMN confidence DOUBLE",
    "ALTER TABLE derived ADD COLUMN confidence DOUBLE",
]
