"""Analysts' SQL on a connection that can only read the warehouse.

The connection is read-only and locked down before any SQL runs: no file or network access
(`COPY … TO`, `ATTACH`, `read_text`, `read_csv` on local paths all fail), no extension
installed or loaded, and the configuration locked so that no statement can undo it. One
statement per call.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from parsers.errors import NianbaoError
from warehouse.access import Warehouse

LOCKED = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "lock_configuration": True,
}


class QueryError(NianbaoError):
    """The user's SQL cannot run here (several statements, a write, a file access, a typo)."""


def open_for_query(
    path: str | Path, warehouse: Warehouse | None = None
) -> duckdb.DuckDBPyConnection:
    """The warehouse opened read-only with external access, extensions and settings locked
    (waiting briefly while a run writes, as every reader does: `warehouse.access`)."""
    return (warehouse or Warehouse(path)).open_reader(config=dict(LOCKED))


def run_one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple]]:
    """Run exactly one statement; return column names and rows."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(f"the SQL does not parse: {exc}") from exc
    if len(statements) != 1:
        raise QueryError(
            f"one SQL statement per call, got {len(statements)}"
            if statements
            else "no SQL statement given"
        )
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description] if cur.description else []
        return names, cur.fetchall()
    except duckdb.PermissionException as exc:
        raise QueryError(
            f"refused: `nianbao query` reads the warehouse only, no files, other databases "
            f"or extensions ({exc})"
        ) from exc
    except duckdb.Error as exc:
        text = str(exc)
        if "read-only" in text or "configuration has been locked" in text:
            raise QueryError(
                f"refused: `nianbao query` never writes and never changes settings ({text})"
            ) from exc
        raise QueryError(f"query failed: {text}") from exc
