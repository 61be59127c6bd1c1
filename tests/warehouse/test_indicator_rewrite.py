"""The indicator views rewritten for scale (#10) return the same rows as before.

The reference is the views' SQL as of commit 29e41bf (tests/fixtures/issue-10), created as
temporary views beside today's in the same warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse.comparisons import ranks_select
from warehouse.examples import load_examples
from warehouse.indicator_specs import load_indicators
from warehouse.schema import connect

REFERENCE = Path(__file__).parents[1] / "fixtures/issue-10/indicator_views_29e41bf.sql"
VIEWS = ("indicator_cells", "indicators", "agency_indicators")


def _with_reference(db: Path) -> duckdb.DuckDBPyConnection:
    con = connect(db, read_only=True)
    for statement in con.extract_statements(REFERENCE.read_text(encoding="utf-8")):
        con.execute(statement)
    con.execute(
        "CREATE TEMP VIEW reference_peer_ranks AS "
        + ranks_select(load_indicators().comparison, "reference_agency_indicators")
    )
    return con


def _differ(con: duckdb.DuckDBPyConnection, new: str, old: str) -> tuple[int, int, int]:
    """(rows, rows only in new, rows only in old), duplicates counted."""
    (rows,) = con.execute(f"SELECT count(*) FROM {new}").fetchone()
    (extra,) = con.execute(f"SELECT count(*) FROM (FROM {new} EXCEPT ALL FROM {old})").fetchone()
    (lost,) = con.execute(f"SELECT count(*) FROM (FROM {old} EXCEPT ALL FROM {new})").fetchone()
    return rows, extra, lost


@pytest.fixture(params=["indicator_series", "series"])
def warehouse(request) -> Path:
    return request.getfixturevalue(request.param)[0]


def test_views_return_the_rows_they_returned_before(warehouse) -> None:
    con = _with_reference(warehouse)
    for view in VIEWS:
        rows, extra, lost = _differ(con, view, f"reference_{view}")
        assert rows > 0 and (extra, lost) == (0, 0), (view, rows, extra, lost)
    rows, extra, lost = _differ(con, "indicator_peer_ranks", "reference_peer_ranks")
    assert rows > 0 and (extra, lost) == (0, 0), (rows, extra, lost)


def test_filtered_by_year_as_before(warehouse) -> None:
    """A filter on the year (the one that now reaches the reports first) selects the same
    rows from agency_indicators as from the reference."""
    con = _with_reference(warehouse)
    years = con.execute("SELECT DISTINCT year FROM reports WHERE year IS NOT NULL").fetchall()
    assert len(years) > 1
    for (year,) in years:
        new = f"(SELECT * FROM agency_indicators WHERE year = {year})"
        old = f"(SELECT * FROM reference_agency_indicators WHERE year = {year})"
        rows, extra, lost = _differ(con, new, old)
        assert (extra, lost) == (0, 0), (year, rows, extra, lost)


def test_indicator_examples_answer_as_before(warehouse) -> None:
    con = _with_reference(warehouse)
    examples = load_examples()
    answered = 0
    for name in ("refusal_rate_peers", "indicator_evidence"):
        sql = examples[name].sql
        old = (
            sql.replace("FROM indicator_peer_ranks", "FROM reference_peer_ranks")
            .replace("FROM indicators i", "FROM reference_indicators i")
            .replace("JOIN indicator_cells c", "JOIN reference_indicator_cells c")
        )
        assert old != sql
        got = con.execute(sql).fetchall()
        assert got == con.execute(old).fetchall(), name
        answered += len(got)
    assert answered > 0
