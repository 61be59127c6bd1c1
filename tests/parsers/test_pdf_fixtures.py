"""Committed PDF fixtures (typeset by LibreOffice from HTML reports) reproduce their gold.

The PDFs and gold files are made by `python -m synth.pdfrender --out tests/fixtures/pdf`;
a fixture derived from the Shanghai report has the Shanghai report's figures.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from parsers import parse
from parsers.readers.pdf.read import read_pdf
from tests.conftest import REAL

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.pdf"))


@cache
def _parse(name: str):
    return parse((FIXTURES / f"{name}.pdf").read_bytes(), f"{name}.pdf")


def _gold(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.gold.json").read_text(encoding="utf-8"))


def test_fixtures_present() -> None:
    assert len(NAMES) >= 10
    assert sum(p.stat().st_size for p in FIXTURES.rglob("*") if p.is_file()) < 3_000_000


@pytest.mark.parametrize("name", NAMES)
def test_fixture_reproduces_gold(name: str) -> None:
    report, gold = _parse(name), _gold(name)
    assert report.status == "parsed", report.error
    got = {(f.table_id, f.row_id, f.col_id): f for f in report.facts}
    assert set(got) == {(g["table_id"], g["row_id"], g["col_id"]) for g in gold["facts"]}
    wrong = []
    for g in gold["facts"]:
        f = got[g["table_id"], g["row_id"], g["col_id"]]
        value = None if g["value"] is None else Decimal(str(g["value"]))
        if (f.value, f.status) != (value, g["status"]) or ("unit" in g and f.unit != g["unit"]):
            wrong.append((g, f))
        if f.status != "missing":
            assert f.where is not None and f.where.kind == "pdf" and f.where.page, f
    assert not wrong, wrong[:3]
    assert (report.title, report.agency, report.year, report.format) == (
        gold["title"],
        gold["agency"],
        gold["year"],
        gold["format"],
    )


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("shanghai-")])
def test_shanghai_renditions_check_as_the_html(name: str) -> None:
    html = parse((REAL / "shanghai-govoffice-2019.html").read_bytes(), "s.html")
    want = {(c.rule_id, c.scope): (c.status, c.lhs, c.rhs) for c in html.checks}
    got = {(c.rule_id, c.scope): (c.status, c.lhs, c.rhs) for c in _parse(name).checks}
    assert got == want


def test_page_furniture_and_repeated_header_dropped() -> None:
    doc = read_pdf((FIXTURES / "shanghai-govoffice-2019-furniture.pdf").read_bytes())
    texts = [b.text for b in doc.blocks if b.text]
    assert "上海市人民政府办公厅" not in texts
    assert not [t for t in texts if re.fullmatch(r"-\s*\d+\s*-", t)]
    requests = [b.table for b in doc.blocks if b.table is not None][1]
    header = [c for r in requests.rows for c in r if c.text == "申请人情况"]
    assert len(header) == 1  # printed again on the next page, read once
    assert {c.where.page for r in requests.rows for c in r} == {3, 4}
    group = next(c for r in requests.rows for c in r if c.text == "三、本年度办理结果")
    assert group.rowspan == 20


@pytest.mark.parametrize(
    "name", ["shanghai-govoffice-2019-borderless", "shanghai-govoffice-2019-borderless-empty"]
)
def test_borderless_tables_keep_blank_cells(name: str) -> None:
    doc = read_pdf((FIXTURES / f"{name}.pdf").read_bytes())
    reviews = [b.table for b in doc.blocks if b.table is not None][2]
    values = reviews.rows[-1]
    assert len(values) == 15
    assert [c.text for c in values][:5] == ["5", "", "", "2", "7"]
