"""A warehouse for crawler tests: `schema.connect` plus the crawler's tables."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse import schema
from warehouse.crawl import DDL


def open_warehouse(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open (creating) a warehouse with the crawler's tables, whether or not a migration
    has added them yet."""
    con = schema.connect(path)
    (present,) = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'url_state'"
    ).fetchone()
    if not present:
        for statement in DDL:
            con.execute(statement)
    return con
