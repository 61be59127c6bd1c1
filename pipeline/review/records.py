"""What the review site reads from the warehouse, in bulk: reports, then their rows by chunk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import duckdb

from warehouse.decisions import decision_states, facts_digests


@dataclass
class ReportRecord:
    """One report with everything its page shows."""

    row: dict
    sources: list[str] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    derived: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    diagnoses: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    digest: str | None = None

    @property
    def report_id(self) -> str:
        return self.row["report_id"]


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def list_reports(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every report with its document and counts, most in need of a look first."""
    return _dicts(
        con.execute(
            """WITH f AS (
                   SELECT report_id,
                          count(*) FILTER (WHERE status = 'missing') AS missing,
                          count(*) FILTER (WHERE status = 'repaired') AS repaired
                   FROM facts GROUP BY report_id),
               c AS (
                   SELECT report_id,
                          count(*) FILTER (WHERE status = 'fail') AS failed_checks,
                          count(*) FILTER (WHERE status = 'not_evaluable') AS not_evaluable
                   FROM checks GROUP BY report_id)
               SELECT r.report_id, r.doc_id, r.title, r.agency, r.agency_raw, r.year, r.format,
                      r.script, r.published, r.status, r.error, r.parser_version,
                      d.source, d.sha256, d.media_type,
                      coalesce(f.missing, 0) AS missing, coalesce(f.repaired, 0) AS repaired,
                      coalesce(c.failed_checks, 0) AS failed_checks,
                      coalesce(c.not_evaluable, 0) AS not_evaluable
               FROM reports r JOIN documents d USING (doc_id)
               LEFT JOIN f USING (report_id) LEFT JOIN c USING (report_id)
               ORDER BY (r.status = 'parsed'), failed_checks = 0, missing = 0, repaired = 0,
                        d.source, r.report_id"""
        )
    )


def sources_by_doc(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every path or URL each document was seen at, first seen first."""
    out: dict[str, list[str]] = {}
    for doc_id, source in con.execute(
        "SELECT doc_id, source FROM sources ORDER BY doc_id, first_seen, source"
    ).fetchall():
        out.setdefault(doc_id, []).append(source)
    return out


def paragraph_keys(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Per report, the paragraph positions its facts point at outside any grid."""
    out: dict[str, list[str]] = {}
    for rid, row, line in con.execute(
        "SELECT DISTINCT report_id, src_row, src_line FROM facts "
        "WHERE src_table IS NULL AND (src_row IS NOT NULL OR src_line IS NOT NULL)"
    ).fetchall():
        out.setdefault(rid, []).append(f"l:{line}" if line is not None else f"p:{row}")
    return out


class Decisions:
    """Decision states and figure digests, read once for the whole site."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.by_report: dict[str, list[dict]] = {}
        for d in decision_states(con):
            self.by_report.setdefault(d["report_id"], []).append(d)
        self.digests = facts_digests(con)


_TABLES = {
    "facts": "SELECT * FROM facts WHERE report_id IN (SELECT unnest(?)) "
    "ORDER BY report_id, table_id, row_id, col_id",
    "derived": "SELECT * FROM derived WHERE report_id IN (SELECT unnest(?)) ORDER BY report_id",
    "checks": "SELECT * FROM checks WHERE report_id IN (SELECT unnest(?)) "
    "ORDER BY report_id, CASE status WHEN 'fail' THEN 0 WHEN 'not_evaluable' THEN 1 ELSE 2 END, "
    "rule_id, scope",
    "diagnoses": "SELECT * FROM diagnoses WHERE report_id IN (SELECT unnest(?)) "
    "ORDER BY report_id, seq",
    "sections": "SELECT * FROM sections WHERE report_id IN (SELECT unnest(?)) "
    "ORDER BY report_id, section_no",
}


def load_records(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict],
    sources: dict[str, list[str]],
    decisions: Decisions,
) -> Iterator[ReportRecord]:
    """The full records of these reports (one query per table for all of them)."""
    records = {
        r["report_id"]: ReportRecord(
            r,
            sources.get(r["doc_id"], [r["source"]]),
            decisions=decisions.by_report.get(r["report_id"], []),
            digest=decisions.digests.get(r["report_id"]),
        )
        for r in rows
    }
    ids = list(records)
    for name, sql in _TABLES.items():
        for item in _dicts(con.execute(sql, [ids])):
            getattr(records[item["report_id"]], name).append(item)
    yield from (records[r["report_id"]] for r in rows)
