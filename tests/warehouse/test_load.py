"""The warehouse on real DuckDB files: schema, idempotent loads, atomic replacement."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal

import duckdb
import pytest

from parsers import parse
from parsers.model import Fact
from tests.conftest import REAL
from warehouse.load import DocumentRecord, load_report, load_reports
from warehouse.schema import SCHEMA_VERSION, connect, describe, schema_version

DATA = (REAL / "shanghai-govoffice-2019.html").read_bytes()
REPORT = parse(DATA, "s.html")
DOC = DocumentRecord(hashlib.sha256(DATA).hexdigest(), "s.html", "text/html", len(DATA))

CONTRACT = {
    "documents": {"doc_id", "source", "sha256", "media_type"},
    "reports": {"report_id", "doc_id", "title", "agency", "year", "format", "status", "error"},
    "facts": {
        "report_id",
        "table_id",
        "row_id",
        "col_id",
        "value",
        "status",
        "raw",
        "src_table",
        "src_row",
        "src_col",
        "page",
        "x0",
        "top",
        "x1",
        "bottom",
    },
    "checks": {"report_id", "rule_id", "scope", "status", "lhs", "rhs", "diff", "message"},
}


def _counts(con) -> dict:
    return {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("documents", "reports", "facts", "checks", "sections", "diagnoses")
    }


def test_schema_has_the_contract_columns_and_a_version(db) -> None:
    con = connect(db)
    tables = {t: {c for c, _ in cols} for t, cols in describe(con).items()}
    for table, columns in CONTRACT.items():
        assert columns <= tables[table], table
    assert schema_version(con) == SCHEMA_VERSION
    con.close()
    # Reopening migrates nothing twice.
    assert schema_version(connect(db)) == SCHEMA_VERSION


def test_load_twice_changes_nothing(db) -> None:
    con = connect(db)
    assert load_report(con, DOC, REPORT, "1") == "inserted"
    before = _counts(con)
    assert load_report(con, DOC, REPORT, "1") == "unchanged"
    assert _counts(con) == before
    assert before["facts"] == 198 and before["reports"] == 1


def test_values_come_back_exactly(db) -> None:
    con = connect(db)
    fee = Fact("proactive", "fees", "amount", Decimal("59237.2449"), "ok", "59237.2449", "万元")
    report = replace(REPORT, facts=(*REPORT.facts, fee))
    load_report(con, DOC, report, "1")
    got = con.execute(
        "SELECT value, unit FROM facts WHERE row_id = 'fees' AND col_id = 'amount'"
    ).fetchone()
    assert got == (Decimal("59237.2449"), "万元")
    assert con.execute(
        "SELECT value FROM facts WHERE row_id = 'new_received' AND col_id = 'total'"
    ).fetchone() == (Decimal(859),)


def test_newer_parser_replaces_the_report_rows(db) -> None:
    con = connect(db)
    load_report(con, DOC, REPORT, "1")
    changed = replace(REPORT, facts=REPORT.facts[:10], title="changed")
    assert load_report(con, DOC, changed, "2") == "replaced"
    assert con.execute("SELECT title, parser_version FROM reports").fetchall() == [("changed", "2")]
    assert _counts(con)["facts"] == 10


def test_a_crash_midway_leaves_the_warehouse_as_it_was(db) -> None:
    con = connect(db)
    load_report(con, DOC, REPORT, "1")
    before = _counts(con)
    # A value too wide for the warehouse's DECIMAL fails after the old rows were deleted.
    huge = Fact("proactive", "fees", "amount", Decimal("1e30"), "ok", "1e30")
    broken = replace(REPORT, facts=(*REPORT.facts, huge))
    other = DocumentRecord("f" * 64, "other.html", "text/html", 1)
    with pytest.raises((duckdb.Error, ArithmeticError, ValueError)):
        load_reports(con, [(other, REPORT), (DOC, broken)], "2")
    assert _counts(con) == before
    assert con.execute("SELECT parser_version FROM reports").fetchall() == [("1",)]


def test_a_report_holds_each_cell_once() -> None:
    with pytest.raises(ValueError, match="once"):
        replace(REPORT, facts=(*REPORT.facts, REPORT.facts[0]))


def test_group_commit_reports_each_outcome(db) -> None:
    con = connect(db)
    docs = [
        DocumentRecord(hashlib.sha256(DATA + bytes([i])).hexdigest(), f"{i}.html") for i in range(3)
    ]
    assert load_reports(con, [(d, REPORT) for d in docs], "1") == ["inserted"] * 3
    assert load_reports(con, [(d, REPORT) for d in docs], "1") == ["unchanged"] * 3
    assert _counts(con)["facts"] == 3 * 198
