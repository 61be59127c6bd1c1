"""Year-over-year text reuse per agency and section, ranked."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from parsers import parse
from tests.conftest import REAL
from warehouse.load import DocumentRecord, load_reports
from warehouse.reuse import hashed_keys, sentence_keys
from warehouse.schema import connect


def test_sentences_compare_without_numbers_spaces_and_punctuation() -> None:
    assert sentence_keys("2023年，共收到公开申请 12 件。无。") == ["年共收到公开申请件"]
    this_year = "2024年，共收到政府信息公开申请15件。全年召开新闻发布会三场，回应社会关切。"
    last_year = "2023年,共收到政府信息公开申请12件。"
    keys = hashed_keys(this_year)
    assert len(keys) == 2 and keys[0] in hashed_keys(last_year) and keys[1] not in keys[:1]


def test_a_report_that_copies_last_year_ranks_first(db) -> None:
    data = (REAL / "shanghai-govoffice-2019.html").read_bytes()
    r2019 = parse(data, "s.html")
    docs = [DocumentRecord(hashlib.sha256(x).hexdigest(), n) for x, n in ((data, "a"), (b"b", "b"))]
    con = connect(db)
    load_reports(con, [(docs[0], r2019), (docs[1], replace(r2019, year=2020))], "1")
    rows = con.execute(
        "SELECT year, previous_year, share, copy_rank, sentences FROM text_reuse_ranking"
    ).fetchall()
    assert rows == [(2020, 2019, 1.0, 1, rows[0][4])] and rows[0][4] > 10


def test_series_reuse_is_a_share(series) -> None:
    con = connect(series[0], read_only=True)
    n, low, high = con.execute("SELECT count(*), min(share), max(share) FROM text_reuse").fetchone()
    assert n > 50 and 0 <= low <= high <= 1
    # One row per report, section and previous report; previous is the year before.
    assert con.execute(
        "SELECT count(*) FROM text_reuse t JOIN reports p ON p.report_id = t.previous_report_id "
        "WHERE p.year <> t.year - 1"
    ).fetchone() == (0,)
