"""Word reports: committed .docx fixtures reproduce their gold; merges, tracked changes, limits.

The fixtures are made by `python -m synth.wordcorpus --out DIR --n 30 --seed 1 --legacy`
(python-docx from the generator's report model; .doc/.wps saved by LibreOffice).
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from parsers import parse
from parsers.errors import SourceError
from parsers.readers import sniff
from parsers.readers.docx import read_docx

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "word"


def gold_of(path: Path) -> dict:
    return json.loads(path.with_name(path.name.split(".")[0] + ".gold.json").read_text("utf-8"))


def assert_reproduces(report, gold: dict, kind: str) -> None:
    """Every canonical cell as the gold has it, with its source position."""
    assert report.status == "parsed", report.error
    got = {(f.table_id, f.row_id, f.col_id): f for f in report.facts}
    assert set(got) == {(g["table_id"], g["row_id"], g["col_id"]) for g in gold["facts"]}
    wrong = []
    for g in gold["facts"]:
        f = got[g["table_id"], g["row_id"], g["col_id"]]
        value = None if g["value"] is None else Decimal(str(g["value"]))
        if (f.value, f.status) != (value, g["status"]):
            wrong.append((g, f))
        if f.status != "missing" and f.where is not None and f.where.table is not None:
            assert f.where.kind == kind and f.where.row is not None and f.where.col is not None
    assert not wrong, wrong[:3]
    assert (report.agency, report.year, report.format) == (
        gold["agency"],
        gold["year"],
        gold["format"],
    )


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.docx")), ids=lambda p: p.name)
def test_docx_fixture_reproduces_gold(path: Path) -> None:
    assert_reproduces(parse(path.read_bytes(), path.name), gold_of(path), "docx")


def test_docx_is_sniffed_by_its_bytes_whatever_its_name() -> None:
    data = next(FIXTURES.glob("*.docx")).read_bytes()
    assert sniff(data, "report.docx") == "docx"
    assert sniff(data, "download.aspx?id=3") == "docx"


def test_legacy_word_without_conversion_fails_with_the_reason() -> None:
    path = next(FIXTURES.glob("*.doc"))
    report = parse(path.read_bytes(), path.name)
    assert report.status == "failed"
    assert "convert" in report.error and "LibreOffice" in report.error


def _merged_table() -> bytes:
    """A 3x4 table: a label spanning two rows, a header spanning two columns."""
    d = docx.Document()
    d.add_paragraph("一、总体情况")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "类别"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "申请人"
    t.cell(0, 3).text = "总计"
    for c, text in zip((1, 2, 3), ("自然人", "法人", ""), strict=True):
        t.cell(1, c).text = text
    for c, text in enumerate(("收到", "1", "2", "3")):
        t.cell(2, c).text = text
    d.add_paragraph("二、其他")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_merges_become_spans_kept_once_at_their_origin() -> None:
    doc = read_docx(_merged_table())
    assert [b.text for b in doc.blocks if b.text] == ["一、总体情况", "二、其他"]
    (table,) = [b.table for b in doc.blocks if b.table is not None]
    first = [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.rows[0]]
    assert first == [("类别", 0, 0, 2, 1), ("申请人", 0, 1, 1, 2), ("总计", 0, 3, 1, 1)]
    # Row 1 does not repeat the merged label; it sees it through `covering`.
    assert [c.col for c in table.rows[1]] == [1, 2, 3]
    assert [c.text for c in table.covering(1)] == ["类别"]
    assert [c.text for c in table.rows[2]] == ["收到", "1", "2", "3"]
    cell = table.rows[2][1]
    assert (cell.where.kind, cell.where.table, cell.where.row, cell.where.col) == ("docx", 0, 2, 1)
    assert table.width == 4


def test_tracked_changes_read_as_accepted_and_comments_not_read() -> None:
    d = docx.Document()
    p = d.add_paragraph()
    p._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>18</w:delText>'
            "</w:r></w:del>"
        )
    )
    p._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>13</w:t></w:r></w:ins>')
    )
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:commentReference w:id="0"/></w:r>'))
    out = io.BytesIO()
    d.save(out)
    doc = read_docx(out.getvalue())
    assert [b.text for b in doc.blocks] == ["13"]
    assert any("tracked changes read as accepted" in n for n in doc.notes)
    assert any("1 comment(s) not read" in n for n in doc.notes)


def test_broken_word_file_fails_with_reason() -> None:
    with pytest.raises(SourceError, match="malformed Word file"):
        read_docx(b"PK\x03\x04 not really a zip")
    report = parse(b"PK\x03\x04 truncated", "report.docx")
    assert report.status == "failed" and "malformed Word file" in report.error
