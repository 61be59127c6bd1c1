"""requests.carry_continuity across years of one agency, as a warehouse view."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal

from parsers import parse
from tests.conftest import REAL
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

DATA = (REAL / "shanghai-govoffice-2019.html").read_bytes()
Y2019 = parse(DATA, "s.html")


def _next_year(carried_over: dict[str, int]):
    facts = tuple(
        replace(f, value=Decimal(carried_over[f.col_id]), status="ok")
        if f.row_id == "carried_over" and f.col_id in carried_over
        else f
        for f in Y2019.facts
    )
    return replace(Y2019, year=2020, facts=facts)


def test_carried_over_meets_last_years_carried_forward(db) -> None:
    con = connect(db)
    y2020 = _next_year({"natural_person": 72, "total": 70})
    docs = [DocumentRecord(hashlib.sha256(x).hexdigest(), n) for x, n in ((DATA, "a"), (b"b", "b"))]
    load_reports(con, [(docs[0], Y2019), (docs[1], y2020)], "1")
    rows = dict(
        con.execute(
            "SELECT scope, status FROM carry_continuity WHERE agency = '上海市人民政府办公厅'"
        ).fetchall()
    )
    assert rows["natural_person"] == "pass"  # 72 carried forward, 72 carried over
    assert rows["total"] == "fail"  # 72 carried forward, 70 carried over
    assert rows["enterprise"] == "pass"  # blank both years
    assert len(rows) == 7
