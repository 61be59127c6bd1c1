"""One transaction on a connection: all of it lands, or none of it.

A COMMIT that fails (the disk is full) has already ended the transaction in DuckDB, and the
ROLLBACK after it raises "no transaction is active", which would hide why the commit
failed; `rollback` keeps the original error the one that is raised.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if one is still open."""
    with contextlib.suppress(duckdb.TransactionException):  # already ended by a failed COMMIT
        con.execute("ROLLBACK")


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN, then COMMIT when the block ends, or roll back if it (or the COMMIT) raises."""
    con.execute("BEGIN")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
