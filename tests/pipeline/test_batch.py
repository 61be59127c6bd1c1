"""Loading a batch: a document that cannot be stored is recorded as failed; the rest land."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from parsers.model import Fact
from pipeline.batch import BatchSettings, load_stream, parse_file
from tests.conftest import REAL
from warehouse.schema import connect


def test_an_unstorable_document_fails_alone(db) -> None:
    good = parse_file(str(REAL / "shanghai-govoffice-2019.html"))
    other = parse_file(str(REAL / "zhengzhou-city-2020.txt"))
    huge = Fact("proactive", "fees", "amount", Decimal("1e30"), "ok", "1e30")
    bad = replace(other, report=replace(other.report, facts=(*other.report.facts[1:], huge)))
    con = connect(db)
    summary = load_stream(con, [bad, good], BatchSettings(commit_every=10))
    rows = dict(con.execute("SELECT doc_id, status FROM reports").fetchall())
    assert rows[good.doc.doc_id] == "parsed"
    assert rows[bad.doc.doc_id] == "failed"
    (error,) = con.execute(
        "SELECT error FROM reports WHERE doc_id = ?", [bad.doc.doc_id]
    ).fetchone()
    assert "could not be stored" in error
    assert summary.reports["failed"] == 1
