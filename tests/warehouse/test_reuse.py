"""Year-over-year text reuse per agency and section, ranked."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import pyarrow as pa

from parsers import parse
from tests.conftest import REAL
from warehouse.load import DocumentRecord, load_reports
from warehouse.reuse import hashed_keys, keys_rows, sentence_keys, sentence_keys_of
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


def test_keys_of_a_group_are_each_texts_own() -> None:
    """The group's characters are judged at once; each section still gets its own keys, and a
    key's hash is the one warehouses already hold (full-width digits dropped, characters
    beyond the Basic Multilingual Plane kept or dropped as any other)."""
    texts = [
        "２０２３年，全年共收到政府信息公开申请１２件😀。𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈。",
        None,
        "无。",
        "加强与申请人的沟通，依法依规做好答复工作。\x00snake_case_words_here!",
        "一二三四五六七八九十①②③④⑤。",
        "加强与申请人的沟通，依法依规做好答复工作。",
    ]
    present = [True, True, True, True, True, False]
    sections = pa.table(
        {
            "report_id": ["r"] * len(texts),
            "section_no": pa.array(range(len(texts)), pa.int32()),
            "present": present,
            "text_simplified": texts,
        }
    )
    got = keys_rows(sections).column("keys").to_pylist()
    assert got == [hashed_keys(t) if p else [] for t, p in zip(texts, present, strict=True)]
    assert got[0] == [-675902052053435745, -4420556926245771513]
    assert sentence_keys(texts[0]) == ["年全年共收到政府信息公开申请件", "𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈"]
    assert len(got[3]) == 2 and got[5] == []


def test_every_character_is_judged_as_the_pattern_says() -> None:
    """Each character, in a text of its neighbours, is split at, dropped or kept as the
    pattern of the module's docstring says (split, then drop, as the keys were first made)."""
    split, drop = re.compile(r"[。！？；;!?\n]+"), re.compile(r"[\W\d_]+")
    codes = [*range(0x10000), *range(0x10000, 0x110000, 97)]
    texts = [f"甲乙丙丁戊己庚辛{chr(c)}壬癸子丑寅卯辰巳" for c in codes]
    want = [[k for k in (drop.sub("", s) for s in split.split(t)) if len(k) >= 8] for t in texts]
    assert sentence_keys_of(texts) == want
