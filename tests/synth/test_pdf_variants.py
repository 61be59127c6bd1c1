"""Issue #9 PDF fixtures (tests/fixtures/pdf/issue-9): the hazards are in the PDFs, the gold
is complete, and the parser reproduces the gold, ruled or not.

Made by `PYTHONPATH=tools python -m synth.pdfrender --out tests/fixtures/pdf/issue-9 --issue-9`
(`synth/pdfhazards.py`)
(needs LibreOffice); the tests need only pdfplumber.
"""

from __future__ import annotations

import itertools
import json
import re
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from parsers import parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf" / "issue-9"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.pdf"))
OTHER_SUB_ROWS = ("other_no_correction", "other_unpaid_fee", "other_misc")


def _gold(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.gold.json").read_text(encoding="utf-8"))


def _pages(name: str) -> list[str]:
    with pdfplumber.open(FIXTURES / f"{name}.pdf") as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def test_fixtures_present_and_small() -> None:
    assert len(NAMES) >= 3
    assert sum(p.stat().st_size for p in FIXTURES.iterdir()) < 600_000


@pytest.mark.parametrize("name", NAMES)
def test_gold_is_a_hybrid_2021_report(name: str) -> None:
    """207 facts: （六）其他处理 printed as one row, the three 2021 rows missing."""
    gold = _gold(name)
    assert gold["format"] == "2021" and len(gold["facts"]) == 207
    other = [f for f in gold["facts"] if f["row_id"] == "other_handling"]
    assert len(other) == 7 and all(f["status"] != "missing" for f in other)
    sub = [f for f in gold["facts"] if f["row_id"] in OTHER_SUB_ROWS]
    assert {f["status"] for f in sub} == {"missing"}


@pytest.mark.parametrize("name", NAMES)
def test_pdf_shows_the_hazards(name: str) -> None:
    """The group label one bold character a line; figures before their label in text order."""
    text = "\n".join(_pages(name))
    lines = text.splitlines()
    vertical = [x.split()[0] for x in lines if x.split() and len(x.split()[0]) == 1]
    assert sum(ch in vertical for ch in "本年度办理结果") >= 6, vertical
    figures_then_label = [
        (a, b)
        for a, b in itertools.pairwise(lines)
        if re.fullmatch(r"[\d\s/]+", a) and re.match(r"^\d\.", b)
    ]
    assert len(figures_then_label) >= 5, figures_then_label
    assert "（六）其他处理" in text.replace(" ", "")


@pytest.mark.parametrize("name", [n for n in NAMES if "break-in-group" in n])
def test_table_breaks_inside_a_group_without_repeated_header(name: str) -> None:
    pages = [re.sub(r"\s+", "", p) for p in _pages(name)]
    first = next(i for i, p in enumerate(pages) if "本机关不掌握" in p)
    second = next(i for i, p in enumerate(pages) if "补正后申请" in p)
    assert second == first + 1
    head = pages[second].split("补正后申请")[0]
    assert "自然人" not in head and "申请人情况" not in head


@pytest.mark.parametrize("name", NAMES)
def test_parser_reproduces_gold(name: str) -> None:
    report = parse((FIXTURES / f"{name}.pdf").read_bytes(), f"{name}.pdf")
    got = {(f.table_id, f.row_id, f.col_id): f for f in report.facts}
    wrong = []
    for g in _gold(name)["facts"]:
        f = got.get((g["table_id"], g["row_id"], g["col_id"]))
        value = None if g["value"] is None else Decimal(str(g["value"]))
        if f is None or (f.value, f.status) != (value, g["status"]):
            wrong.append((g, f))
    assert not wrong, wrong[:3]
