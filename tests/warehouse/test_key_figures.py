"""`key_figures` is always exactly the cells of `facts` the warehouse's checks compare."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal

import duckdb

from parsers import parse
from tests.conftest import REAL
from warehouse.key_figures import CELLS, fill_sql
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

DATA = (REAL / "shanghai-govoffice-2019.html").read_bytes()
COPY = fill_sql().replace("INSERT INTO key_figures ", "")


def _differ(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """(key figures, rows only in key_figures, cells of facts missing from it)."""
    (rows,) = con.execute("SELECT count(*) FROM key_figures").fetchone()
    (extra,) = con.execute(f"SELECT count(*) FROM (FROM key_figures EXCEPT ALL {COPY})").fetchone()
    (lost,) = con.execute(f"SELECT count(*) FROM ({COPY} EXCEPT ALL FROM key_figures)").fetchone()
    return rows, extra, lost


def test_key_figures_are_the_facts_the_checks_read(series) -> None:
    con = connect(series[0], read_only=True)
    rows, extra, lost = _differ(con)
    assert rows > 0 and (extra, lost) == (0, 0)
    # Every kind of cell is there for a report of each format.
    per_format = con.execute(
        "SELECT r.format, count(DISTINCT (k.table_id, k.row_id, k.col_id)) "
        "FROM key_figures k JOIN reports r USING (report_id) GROUP BY 1"
    ).fetchall()
    assert {f for f, _ in per_format} == {"2019", "2021"}
    assert all(n >= len(CELLS) * 2 for _, n in per_format)


def test_a_reparse_replaces_the_key_figures(db) -> None:
    con = connect(db)
    doc = DocumentRecord(hashlib.sha256(DATA).hexdigest(), "s.html")
    old = parse(DATA, "s.html")
    load_reports(con, [(doc, old)], "1")
    new = replace(
        old,
        facts=tuple(
            replace(f, value=Decimal(999), status="ok", raw="999")
            if (f.table_id, f.row_id) == ("requests", "carried_forward")
            else f
            for f in old.facts
        ),
    )
    assert load_reports(con, [(doc, new)], "2") == ["replaced"]
    rows, extra, lost = _differ(con)
    assert rows > 0 and (extra, lost) == (0, 0)
    (moved,) = con.execute(
        "SELECT count(*) FROM key_figures WHERE row_id = 'carried_forward' AND value = 999"
    ).fetchone()
    assert moved > 0


def test_an_older_warehouse_gets_its_key_figures_from_facts(series_copy) -> None:
    con = connect(series_copy)
    con.execute("DROP TABLE key_figures")
    con.execute("DELETE FROM schema_migrations WHERE version = 62")
    con.close()
    con = connect(series_copy)  # migrates again
    rows, extra, lost = _differ(con)
    assert rows > 0 and (extra, lost) == (0, 0)
