"""Storing reports in any order, in small groups, and re-parsing some of them (other year,
other agency, other figures) leaves the cross-report and text-reuse rows a full recompute
gives: the loader rechecks only the reports a group can change (#10)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from decimal import Decimal

from parsers import parse
from warehouse.continuity import RULES
from warehouse.derive import rederive_all
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

CROSS = f"SELECT * EXCLUDE (severity) FROM checks WHERE rule_id IN {RULES!r}"
REUSE = "SELECT * FROM text_reuse"


def _rows(con, sql: str) -> list[tuple]:
    return sorted(con.execute(sql).fetchall(), key=repr)


def _moved(report):
    """The same report with its carried-forward figures changed."""
    return replace(
        report,
        facts=tuple(
            replace(f, value=Decimal(777), status="ok", raw="777")
            if (f.table_id, f.row_id) == ("requests", "carried_forward")
            else f
            for f in report.facts
        ),
    )


def test_any_order_and_reparses_give_what_a_full_recompute_gives(series, tmp_path) -> None:
    _, _, outputs = series
    items = [
        (DocumentRecord(hashlib.sha256(o.data).hexdigest(), o.name), parse(o.data, o.name))
        for o in outputs
    ]
    rng = random.Random(10)
    rng.shuffle(items)
    con = connect(tmp_path / "w.duckdb")
    for k in range(0, len(items), 4):
        load_reports(con, items[k : k + 4], "1")
    # Re-parse: one report moves a year, one changes agency, two change figures; each of
    # the first two was the previous report of another one.
    named = {
        o
        for (o,) in con.execute(
            f"SELECT other_report_id FROM checks WHERE rule_id IN {RULES!r}"
        ).fetchall()
    }
    sides = [(doc, r) for doc, r in items if doc.doc_id in named]
    (doc_a, a), (doc_b, b) = sides[:2]
    (doc_c, c), (doc_d, d) = [(doc, r) for doc, r in items if doc.doc_id not in named][:2]
    other = next(r for _, r in items if r.agency != b.agency)
    changed = [
        (doc_a, replace(a, year=a.year + 1)),
        (doc_b, replace(b, agency=other.agency, agency_raw=other.agency_raw)),
        (doc_c, _moved(c)),
        (doc_d, _moved(d)),
    ]
    load_reports(con, changed[:2], "2")
    load_reports(con, changed[2:], "2")
    cross, reuse = _rows(con, CROSS), _rows(con, REUSE)
    assert len(cross) > 100 and len(reuse) > 20
    assert any(r[3] == "fail" for r in cross)
    rederive_all(con)
    assert _rows(con, CROSS) == cross
    assert _rows(con, REUSE) == reuse
