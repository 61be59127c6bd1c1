"""What the warehouse computes from stored reports, inside the load transaction.

`derive_reports` runs after a group of reports is inserted (or re-inserted) and before the
commit, so a reader sees the reports and everything derived from them together, or neither.
"""

from __future__ import annotations

import duckdb

from warehouse.agencies import record_agencies
from warehouse.continuity import recheck_all, recheck_reports
from warehouse.narrative import check_narratives
from warehouse.reuse import recompute_reuse


def derive_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Agency keys, the narrative check, and the cross-report checks and text reuse these
    reports take part in (as the year's report or as the previous year's)."""
    record_agencies(con, report_ids)
    check_narratives(con, report_ids)
    recheck_reports(con, report_ids)
    recompute_reuse(con, report_ids)


def rederive_all(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Recompute every cross-report check and text-reuse row in one transaction (after
    `agency_aliases` was edited); return (check rows, reuse rows)."""
    con.execute("BEGIN TRANSACTION")
    try:
        checks = recheck_all(con)
        ids = [rid for (rid,) in con.execute("SELECT report_id FROM reports").fetchall()]
        con.execute("DELETE FROM text_reuse")
        recompute_reuse(con, ids)
        (reuse,) = con.execute("SELECT count(*) FROM text_reuse").fetchone()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return checks, int(reuse)
