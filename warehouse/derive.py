"""What the warehouse computes from stored reports, inside the load transaction.

`derive_reports` runs after a group of reports is inserted (or re-inserted) and before the
commit, so a reader sees the reports and everything derived from them together, or neither.
"""

from __future__ import annotations

import duckdb

from warehouse.agencies import record_agencies


def derive_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Agency keys and places of the reports just stored."""
    record_agencies(con, report_ids)
