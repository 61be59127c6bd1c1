"""Two documents whose sha256 share the first 16 hex digits stay two documents (issue #12,
case 8). Before: the second was taken for the first, its report silently merged away.

No two real files are known to collide on 64 bits, so the second document's digest is
written by hand: the warehouse only ever compares digests, which is what is tested.
"""

from __future__ import annotations

import hashlib

import duckdb

from parsers import parse
from tests.conftest import REAL
from tests.sites.warehouse import open_warehouse
from warehouse.doc_ids import assign_doc_ids, doc_id_for
from warehouse.load import DocumentRecord, load_reports
from warehouse.schema import connect

SHANGHAI = (REAL / "shanghai-govoffice-2019.html").read_bytes()
ZHENGZHOU = (REAL / "zhengzhou-city-2020.txt").read_bytes()
FIRST = hashlib.sha256(SHANGHAI).hexdigest()
TWIN = FIRST[:16] + hashlib.sha256(ZHENGZHOU).hexdigest()[16:]  # same 16 digits, other bytes


def test_doc_id_for_extends_only_a_taken_id() -> None:
    assert doc_id_for(FIRST, {}) == FIRST[:16]
    assert doc_id_for(FIRST, {FIRST[:16]: FIRST}) == FIRST[:16]
    assert doc_id_for(TWIN, {FIRST[:16]: FIRST}) == TWIN


def test_colliding_documents_are_loaded_apart(db) -> None:
    con = connect(db)
    first = DocumentRecord(FIRST, "shanghai.html", "text/html", len(SHANGHAI))
    twin = DocumentRecord(TWIN, "zhengzhou.txt", "text/plain", len(ZHENGZHOU))
    shanghai, zhengzhou = parse(SHANGHAI, "s.html"), parse(ZHENGZHOU, "z.txt")
    assert load_reports(con, [(first, shanghai)], "1") == ["inserted"]
    assert load_reports(con, [(twin, zhengzhou)], "1") == ["inserted"]
    rows = con.execute(
        "SELECT d.doc_id, d.sha256, r.agency FROM documents d JOIN reports r USING (doc_id) "
        "ORDER BY length(d.doc_id)"
    ).fetchall()
    assert rows == [(FIRST[:16], FIRST, shanghai.agency), (TWIN, TWIN, zhengzhou.agency)]
    # loading either again changes nothing, and each keeps its own id
    assert load_reports(con, [(twin, zhengzhou), (first, shanghai)], "1") == [
        "unchanged",
        "unchanged",
    ]
    (facts,) = con.execute("SELECT count(DISTINCT report_id) FROM facts").fetchone()
    assert facts == 2
    con.close()


def test_twins_in_one_batch_get_different_ids(db) -> None:
    con = connect(db)
    assert assign_doc_ids(con, [FIRST, TWIN, FIRST]) == {FIRST: FIRST[:16], TWIN: TWIN}
    con.close()


def test_a_crawled_document_keeps_its_id_when_parsed(db) -> None:
    con = open_warehouse(db)
    con.execute(
        "INSERT INTO documents (doc_id, source, sha256, kind) VALUES (?, 'http://x/a', ?, "
        "'report_page')",
        [TWIN, TWIN],
    )
    assert assign_doc_ids(con, [TWIN, FIRST]) == {TWIN: TWIN, FIRST: FIRST[:16]}
    con.close()
    assert duckdb.connect(str(db), read_only=True).execute(
        "SELECT count(*) FROM documents"
    ).fetchone() == (1,)
