"""The PDF reader: the real Huaian report reproduces its gold; broken PDFs fail with a reason."""

from __future__ import annotations

import random
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from parsers import parse
from parsers.document import Document, Table
from parsers.errors import SourceError
from parsers.readers.pdf.lines import (
    Glyph,
    Line,
    Margins,
    clean_spaces,
    dedupe,
    find_furniture,
    paragraph_continues,
)
from parsers.readers.pdf.read import read_pdf
from parsers.readers.pdf.settings import LayerSettings, OcrSettings, PdfSettings, TextSettings
from tests.conftest import REAL, load_gold

HUAIAN = "huaian-city-2024"
BROKEN = Path(__file__).resolve().parent.parent / "fixtures" / "pdf" / "broken"


@cache
def _huaian_bytes() -> bytes:
    return (REAL / f"{HUAIAN}.pdf").read_bytes()


@cache
def _huaian_report():
    return parse(_huaian_bytes(), f"{HUAIAN}.pdf")


@cache
def _huaian_doc() -> Document:
    return read_pdf(_huaian_bytes())


def _tables(doc: Document) -> list[Table]:
    return [b.table for b in doc.blocks if b.table is not None]


def _cell(table: Table, text: str):
    return next(c for r in table.rows for c in r if c.text == text)


def test_huaian_reproduces_gold_cells_and_pages() -> None:
    report, gold = _huaian_report(), load_gold(HUAIAN)
    got = {(f.table_id, f.row_id, f.col_id): f for f in report.facts}
    assert set(got) == {(g["table_id"], g["row_id"], g["col_id"]) for g in gold["facts"]}
    for g in gold["facts"]:
        f = got[g["table_id"], g["row_id"], g["col_id"]]
        value = None if g["value"] is None else Decimal(str(g["value"]))
        assert (f.value, f.status) == (value, g["status"]), g
        assert f.where is not None and f.where.kind == "pdf" and f.where.page == g["page"], g
        for key in ("raw", "unit"):
            if key in g:
                assert getattr(f, key) == g[key], g


def test_huaian_metadata_and_checks_as_gold() -> None:
    report, gold = _huaian_report(), load_gold(HUAIAN)
    assert report.status == "parsed", report.error
    assert (report.title, report.agency, report.year, report.format) == (
        gold["title"],
        gold["agency"],
        gold["year"],
        gold["format"],
    )
    got = {(c.rule_id, c.scope): c for c in report.checks}
    assert set(got) == {(c["rule_id"], c["scope"]) for c in gold["checks"]}
    for c in gold["checks"]:
        check = got[c["rule_id"], c["scope"]]
        assert check.status == c["status"]
        assert (check.lhs, check.rhs, check.diff) == tuple(
            Decimal(str(c[k])) for k in ("lhs", "rhs", "diff")
        )
    assert [s.no for s in report.sections if s.present] == [1, 2, 3, 4, 5, 6]


def test_huaian_text_blocks_clean() -> None:
    texts = [b.text for b in _huaian_doc().blocks if b.text]
    # The two-line title, spaces between digits and CJK removed.
    assert texts[:2] == ["淮安市人民政府", "2024年政府信息公开工作年度报告"]
    assert not [t for t in texts if re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff\d]", t)]
    # Page numbers ('- 4 -') are furniture, not text.
    assert not [t for t in texts if re.fullmatch(r"-\s*\d+\s*-", t)]
    # Paragraphs run over lines and pages: section 一 (二) reads as one sentence.
    assert any("全市共受理政府信息公开申请3119件，答复3050件" in t for t in texts)
    # White text-line rectangles are no tables; table text is not repeated as text.
    joined = "\n".join(texts)
    for inside in ("本年新收政府信息公开申请数量", "未经复议直接起诉", "行政事业性收费", "法提供"):
        assert inside not in joined
    blocks = _huaian_doc().blocks
    assert all(b.where is not None and b.where.kind == "pdf" and b.where.page for b in blocks)


def test_huaian_tables_are_html_like_grids() -> None:
    proactive, requests, reviews = _tables(_huaian_doc())
    # Stitched over pages 3-4 and 4-5, with the page footer between the parts.
    assert {c.where.page for r in proactive.rows for c in r} == {3, 4}
    assert {c.where.page for r in requests.rows for c in r} == {4, 5}
    assert {c.where.page for r in reviews.rows for c in r} == {5}
    # A group label cut by the page break is one cell spanning both parts.
    group = _cell(requests, "（四）无法提供")
    assert (group.rowspan, group.where.page) == (3, 4)
    # One character a line is one label; wrapped header cells are whole words.
    results = _cell(requests, "三、本年度办理结果")
    assert results.rowspan == 22 and results.col == 0
    for word in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "（五）不予处理"):
        _cell(requests, word)
    assert sum(c.text == "结果维持" for r in reviews.rows for c in r) == 3
    assert [c.text for c in reviews.rows[-1]][:5] == ["72", "64", "178", "37", "351"]
    for table in (proactive, requests, reviews):
        _assert_grid(table)


def _assert_grid(table: Table) -> None:
    """Each cell sits in its origin row, and every grid slot has at most one cell."""
    seen: set[tuple[int, int]] = set()
    for i, row in enumerate(table.rows):
        assert [c.col for c in row] == sorted(c.col for c in row)
        for c in row:
            assert c.row == i and c.rowspan >= 1 and c.colspan >= 1
            assert c.where is not None and c.where.table == table.index and c.where.bbox
            slots = {
                (r, k) for r in range(i, i + c.rowspan) for k in range(c.col, c.col + c.colspan)
            }
            assert not slots & seen, (c, slots & seen)
            seen |= slots


def test_cjk_spacing() -> None:
    assert clean_spaces("2024 年政府信息公开") == "2024年政府信息公开"
    assert clean_spaces("结 果  维持") == "结果维持"
    assert clean_spaces("（国令第 711 号）") == "（国令第711号）"
    assert clean_spaces("WPS 文字 and PDF files") == "WPS 文字 and PDF files"


def test_fake_bold_duplicates_removed() -> None:
    g = Glyph("报", 10.0, 20.0, 22.0, 32.0, 12.0, "SimSun")
    shifted = g._replace(x0=10.3, x1=22.3, top=20.2)
    other = g._replace(x0=22.0, x1=34.0, text="告")
    assert dedupe([g, shifted, other], TextSettings().dedupe_tolerance) == [g, other]


@pytest.mark.parametrize("footer", ["- 4 -", "— 4 —", "第4页", "第 4 页 共 6 页", "4/6", "4"])
def test_page_numbers_are_furniture(footer: str) -> None:
    body = Line(1, 70.0, 400.0, 520.0, 416.0, 16.0, "正文 4")
    foot = Line(1, 280.0, 800.0, 320.0, 812.0, 10.0, footer)
    found = find_furniture([[body, foot]], [842.0], TextSettings())
    assert found == {(1, 800.0)}


def test_running_header_is_furniture_only_when_repeated() -> None:
    pages = [[Line(n, 200.0, 30.0, 400.0, 42.0, 10.0, "淮安市人民政府办公室")] for n in (1, 2, 3)]
    assert len(find_furniture(pages, [842.0] * 3, TextSettings())) == 3
    assert find_furniture(pages[:1], [842.0], TextSettings()) == set()


def _reason(data: bytes, settings: PdfSettings | None = None) -> str:
    with pytest.raises(SourceError) as err:
        read_pdf(data, settings or PdfSettings())
    return err.value.reason


def test_no_prose_runs_on_from_a_line_of_figures() -> None:
    # Section 四's figures printed as a line, the next heading right under it.
    margins, settings = Margins(90.0, 500.0), TextSettings()
    figures = Line(1, 90.0, 100.0, 500.0, 112.0, 12.0, "7 0 2 0 9 0 0 0 0 0 0 0 0 0 0")
    heading = Line(1, 90.0, 116.0, 300.0, 128.0, 12.0, "五、存在的主要问题及改进情况")
    prose = Line(1, 90.0, 100.0, 500.0, 112.0, 12.0, "全年共收到申请 12 件，办结 10 件，")
    assert not paragraph_continues(figures, heading, margins, settings)
    assert paragraph_continues(prose, heading, margins, settings)


def test_a_paragraph_running_onto_a_scanned_page_is_marked_as_read_by_ocr() -> None:
    from parsers.readers.pdf.read import _blocks

    first = Line(1, 90.0, 700.0, 500.0, 712.0, 12.0, "全年共收到政府信息公开申请")
    second = Line(2, 90.0, 80.0, 300.0, 92.0, 12.0, "197件，办结193件。")
    (block,) = _blocks([first, second], PdfSettings(), frozenset({2}))
    assert block.where.kind == "ocr" and block.where.page == 1
    (block,) = _blocks([first, second], PdfSettings(), frozenset())
    assert block.where.kind == "pdf"


def test_truncated_and_non_pdf_fail_as_malformed() -> None:
    data = _huaian_bytes()
    for cut in (0.9, 0.5, 0.05):
        assert _reason(data[: int(len(data) * cut)]).startswith("malformed PDF: ")
    assert _reason(b"<html>not a pdf</html>").startswith("malformed PDF: ")
    assert _reason(b"%PDF-1.7\n% nothing else\n").startswith("malformed PDF: ")
    report = parse(data[: len(data) // 2], "cut.pdf")
    assert report.status == "failed" and report.error.startswith("malformed PDF")


def test_encrypted_pdf_needs_its_password() -> None:
    reason = _reason((BROKEN / "encrypted-user-password.pdf").read_bytes())
    assert reason == "encrypted PDF: a password is needed to open it"
    # Restrictions without a user password do not stop reading.
    doc = read_pdf((BROKEN / "encrypted-owner-only.pdf").read_bytes())
    assert doc.blocks[0].text == "某市人民政府2024年政府信息公开工作年度报告"


def test_scanned_pdf_without_ocr_has_no_text_layer() -> None:
    off = PdfSettings(ocr=OcrSettings(enabled=False))
    with pytest.raises(SourceError) as err:
        read_pdf((BROKEN / "scanned.pdf").read_bytes(), off)
    assert err.value.reason == "no text layer: the PDF is scanned images and OCR is turned off"


def test_scan_too_coarse_to_read_fails_with_reason() -> None:
    # A 40 dpi scan: OCR runs, reads nothing a report is made of.
    report = parse((BROKEN / "scanned.pdf").read_bytes(), "scanned.pdf")
    assert report.status == "failed" and report.error.startswith("not a report")


def test_garbled_text_layers() -> None:
    off = PdfSettings(ocr=OcrSettings(enabled=False))
    cid = _reason((BROKEN / "cid-glyphs.pdf").read_bytes(), off)
    assert re.fullmatch(r"garbled text layer: \d+% of characters are \(cid:N\) glyphs .*", cid)
    moji = _reason((BROKEN / "mojibake.pdf").read_bytes(), off)
    assert moji.startswith("garbled text layer: ") and "neither Chinese" in moji
    # The threshold is a setting.
    lax = PdfSettings(layer=LayerSettings(garbled_share=1.0))
    doc = read_pdf((BROKEN / "cid-glyphs.pdf").read_bytes(), lax)
    assert any("(cid:" in b.text for b in doc.blocks)
    assert any("garbled" in n for n in doc.notes)


def test_garbled_text_layer_is_read_by_ocr_instead() -> None:
    # The fixture is one page of a report whose fonts lost their Unicode maps: OCR reads
    # the page as printed (its title and first section), which is no whole report.
    doc = read_pdf((BROKEN / "cid-glyphs.pdf").read_bytes())
    assert doc.notes[0].startswith("garbled text layer") and "read by OCR instead" in doc.notes[0]
    assert doc.blocks[0].text == "某市人民政府2024年政府信息公开工作年度报告"
    assert doc.blocks[1].text == "一、总体情况"


def test_settings_reject_bad_values() -> None:
    with pytest.raises(ValueError, match="garbled_share"):
        LayerSettings(garbled_share=1.5)
    with pytest.raises(ValueError, match="space_gap"):
        TextSettings(space_gap=-1)
    # A figure's gap wider than the line's would turn the line's own cuts off.
    with pytest.raises(ValueError, match="figure_line_gap"):
        OcrSettings(figure_line_gap=0.9)
    with pytest.raises(ValueError, match="aligned_dash_width"):
        OcrSettings(aligned_dash_width=-1)
    with pytest.raises(ValueError, match="aligned_dash_width"):
        OcrSettings(aligned_dash_width=0.3)
    with pytest.raises(ValueError, match="aligned_dash_votes"):
        OcrSettings(aligned_dash_votes=0)
    with pytest.raises(ValueError, match="pale_dash_max_width"):
        OcrSettings(pale_dash_max_width=0.1)


def test_damaged_bytes_fail_only_as_source_errors() -> None:
    """Arbitrary damage either still reads or raises SourceError, never anything else."""
    rng = random.Random(20240)
    original = (BROKEN / "encrypted-owner-only.pdf").read_bytes()
    for _ in range(25):
        data = bytearray(original)
        for _ in range(rng.choice([1, 8, 64])):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            start = rng.randrange(len(data))
            del data[start : start + rng.randrange(4000)]
        try:
            read_pdf(bytes(data))
        except SourceError as err:
            assert err.reason
