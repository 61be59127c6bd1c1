"""A re-parse by a newer parser leaves a compact trace of every figure it moved."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal

from parsers import parse
from tests.conftest import REAL
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

DATA = (REAL / "shanghai-govoffice-2019.html").read_bytes()


def test_fact_history_keeps_only_the_cells_that_changed(db) -> None:
    con = connect(db)
    doc = DocumentRecord(hashlib.sha256(DATA).hexdigest(), "s.html")
    old = parse(DATA, "s.html")
    load_reports(con, [(doc, old)], "1")
    assert con.execute("SELECT count(*) FROM fact_history").fetchone() == (0,)
    moved = {("requests", "granted", "total"), ("reviews", "review", "total")}
    new = replace(
        old,
        facts=tuple(
            replace(f, value=Decimal(999), status="ok", raw="999")
            if (f.table_id, f.row_id, f.col_id) in moved
            else f
            for f in old.facts
        ),
    )
    assert load_reports(con, [(doc, new)], "2") == ["replaced"]
    rows = con.execute(
        "SELECT table_id, row_id, col_id, new_value, new_status, old_parser_version, "
        "new_parser_version FROM fact_history ORDER BY 1, 2"
    ).fetchall()
    assert {(t, r, c) for t, r, c, *_ in rows} == moved
    assert all(v == 999 and s == "ok" and ov == "1" and nv == "2" for *_, v, s, ov, nv in rows)
    assert con.execute("SELECT count(*) FROM last_reparse_changes").fetchone() == (2,)
    # The same parser again: nothing to do, no new history.
    assert load_reports(con, [(doc, new)], "2") == ["unchanged"]
    assert con.execute("SELECT count(*) FROM fact_history").fetchone() == (2,)
    # A third parse moves one back: the last re-parse lists only that one.
    load_reports(con, [(doc, old)], "3")
    assert con.execute(
        "SELECT count(*), min(new_parser_version) FROM last_reparse_changes"
    ).fetchone() == (2, "3")
