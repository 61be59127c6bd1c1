"""Read-side queries: summaries, audits and analysts' SQL."""

from __future__ import annotations

import duckdb


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """Counts of reports, cells and checks by status over the whole warehouse."""
    out = {}
    for name, sql in (
        ("reports", "SELECT status, count(*) FROM reports GROUP BY 1"),
        ("cells", "SELECT status, count(*) FROM facts GROUP BY 1"),
        ("checks", "SELECT status, count(*) FROM checks GROUP BY 1"),
    ):
        out[name] = dict(con.execute(sql).fetchall())
    return out


def audit_rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per report: what needs a human look (failed checks, missing cells, diagnoses)."""
    reports = con.execute(
        """SELECT r.report_id, d.source, r.status, r.error, r.agency, r.year, r.format
           FROM reports r JOIN documents d USING (doc_id)
           ORDER BY d.source"""
    ).fetchall()
    diag = _group(con, "SELECT report_id, table_id, severity, message FROM diagnoses ORDER BY seq")
    fails = _group(
        con,
        "SELECT report_id, rule_id, scope, message FROM checks WHERE status = 'fail' "
        "ORDER BY rule_id, scope",
    )
    missing = _group(
        con,
        "SELECT report_id, table_id, count(*), any_value(note) FROM facts "
        "WHERE status = 'missing' GROUP BY 1, 2 ORDER BY 2",
    )
    repaired = _group(
        con,
        "SELECT report_id, table_id || '.' || row_id || '.' || col_id, status, note FROM facts "
        "WHERE status IN ('repaired', 'derived') ORDER BY 2",
    )
    out = []
    for rid, source, status, error, agency, year, fmt in reports:
        out.append(
            {
                "report_id": rid,
                "source": source,
                "status": status,
                "error": error,
                "agency": agency,
                "year": year,
                "format": fmt,
                "diagnoses": diag.get(rid, []),
                "failed_checks": fails.get(rid, []),
                "missing": missing.get(rid, []),
                "repaired": repaired.get(rid, []),
            }
        )
    return out


def _group(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for row in con.execute(sql).fetchall():
        out.setdefault(row[0], []).append(tuple(row[1:]))
    return out
