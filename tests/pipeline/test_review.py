"""The review site's pages: official layout, escaping and policy, source evidence (no browser).

The browser walk-through is `test_review_browser.py`; here the written files are read.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import lxml.html
import pytest

from parsers.templates import FORMATS, load_format
from pipeline.review.layout import printed_tables
from pipeline.review.site import CSP, SiteSettings, write_site
from tests.conftest import REAL
from tests.pipeline.test_cli import _corpus, nianbao

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HOSTILE = FIXTURES / "review" / "hostile-0013-clean-2022.html"


def _data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert m, "page data block"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("site")
    folder = _corpus(root)
    shutil.copy(HOSTILE, folder / HOSTILE.name)
    db = root / "warehouse.duckdb"
    assert nianbao("parse", str(folder), "--db", str(db), "--jobs", "1").returncode == 0
    site = root / "site"
    r = nianbao("audit", "--db", str(db), "--html", str(site))
    assert r.returncode == 0, r.stderr
    pages = sorted(site.glob("report-*.html"))
    return {"root": root, "db": db, "site": site, "pages": pages, "stderr": r.stderr}


def _page(built: dict, text: str) -> str:
    return next(p.read_text("utf-8") for p in built["pages"] if text in p.read_text("utf-8"))


def test_an_index_and_a_page_per_report(built) -> None:
    index = (built["site"] / "index.html").read_text(encoding="utf-8")
    entries = json.loads(
        re.search(r'id="index-data">(.*?)</script>', index, re.S).group(1)  # type: ignore[union-attr]
    )
    assert len(entries) == len(built["pages"]) == 3
    # The partial reports come first: they need a look.
    assert [e["status"] for e in entries] == ["partial", "partial", "parsed"]
    assert "shanghai" in entries[2]["source"]
    assert {e["file"] for e in entries} == {p.name for p in built["pages"]}
    assert "review site:" in built["stderr"] and "3 report pages" in built["stderr"]


def test_the_tables_carry_the_official_labels_and_codes_on_hover(built) -> None:
    html = _page(built, "上海市人民政府办公厅")
    doc = lxml.html.fromstring(html)
    heads = [t.text_content() for t in doc.xpath("//main//h2")]
    assert "三、收到和处理政府信息公开申请情况" in heads
    labels = doc.xpath("//table[@data-table='requests']//td[@class='label']")
    assert "（三）不予公开" in [x.text_content() for x in labels]
    assert doc.xpath("//table[@data-table='requests']//th[text()='法人或其他组织']")
    cell = doc.xpath("//td[@data-k='proactive.procurement.amount']")[0]
    assert cell.get("title") == "proactive.procurement.amount"
    assert cell.get("class") == "value ok" and cell.text_content() == "251000"
    # Blank totals whose parts are printed are shown as computed, not as printed figures.
    derived = doc.xpath("//td[contains(@class, 'derived')]")
    assert derived and all(d.text_content().startswith("(") for d in derived)
    data = _data(html)
    cell = data["cells"]["proactive.procurement.amount"]
    assert cell["raw"] == "251000元" and cell["unit"] == "元" and cell["src"]
    assert data["source"]["available"] and data["source"]["mismatches"] == 0


@pytest.mark.parametrize("format_id", FORMATS)
def test_every_canonical_cell_is_printed_once(format_id: str) -> None:
    fmt = load_format(format_id)
    expected = sorted(f"{t}.{r}.{c}" for t, spec in fmt.tables.items() for r, c in spec.cells())
    assert sorted(k for t in printed_tables(format_id) for k in t.keys()) == expected
    if format_id == "2021":  # the hybrid layout prints （六） as one row instead of three
        keys = [
            k for t in printed_tables(format_id, frozenset({"other_handling"})) for k in t.keys()
        ]
        assert "requests.other_handling.total" in keys
        assert "requests.other_misc.total" not in keys


def test_every_page_is_escaped_and_has_a_policy(built) -> None:
    site = built["site"]
    for path in [site / "index.html", *built["pages"]]:
        html = path.read_text(encoding="utf-8")
        doc = lxml.html.fromstring(html)
        (meta,) = doc.xpath("//meta[@http-equiv='Content-Security-Policy']")
        assert meta.get("content") == CSP and "default-src 'none'" in CSP
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            assert not [a for a in el.attrib if a.startswith("on")], (path.name, el.tag)
            assert "style" not in el.attrib, (path.name, el.tag)
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None:
                    assert re.match(r"^(assets/|img/|index\.html$|report-[0-9a-f]+\.html$)", value)
        scripts = doc.xpath("//script")
        assert {s.get("src") or s.get("type") for s in scripts} <= {
            "assets/review.js",
            "assets/index.js",
            "assets/report.js",
            "application/json",
        }
        assert [x.get("href") for x in doc.xpath("//link")] == ["assets/site.css"]
        assert not doc.xpath("//img[not(starts-with(@src, 'img/'))]")
        assert not doc.xpath("//iframe|//object|//embed|//base|//form[@action]|//svg")


def test_hostile_text_is_shown_never_run(built) -> None:
    html = _page(built, "hostile-0013")
    # Title, agency, headings, cells and narrative arrive as escaped text.
    assert "&lt;script&gt;window.__pwned=&#39;h1-text&#39;&lt;/script&gt;" in html
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//h1")[0].text_content().endswith("</script>")
    # In the JSON the scripts read, '<' never appears raw: no </script> can close the block.
    block = re.search(r'id="page-data">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    assert "<" not in block
    texts = [t.text_content() for t in doc.xpath("//table[@class='src']//td")]
    assert any("onerror=window.__pwned='value'" in t for t in texts)


def test_a_moved_source_is_shown_unavailable_with_the_reason(tmp_path, db) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REAL / "shanghai-govoffice-2019.html", folder / "a.html")
    shutil.copy(REAL / "zhengzhou-city-2020.txt", folder / "b.txt")
    assert nianbao("parse", str(folder), "--db", str(db), "--jobs", "1").returncode == 0
    (folder / "a.html").unlink()
    (folder / "b.txt").write_text("changed since", encoding="utf-8")
    con = duckdb.connect(str(db), read_only=True)
    summary = write_site(con, tmp_path / "site", SiteSettings(jobs=1, cwd=Path.cwd()))
    assert summary.evidence_unavailable == 2
    reasons = {}
    for page in (tmp_path / "site").glob("report-*.html"):
        source = _data(page.read_text("utf-8"))["source"]
        assert source["available"] is False
        reasons[page.name] = source["reason"]
    text = " | ".join(reasons.values())
    assert "a.html: No such file or directory" in text
    assert "b.txt: the file changed since it was parsed (sha256 differs)" in text


def test_crawled_documents_are_read_from_the_raw_store(tmp_path, db) -> None:
    from pipeline.store import RawStore, default_raw_root

    data = (REAL / "shanghai-govoffice-2019.html").read_bytes()
    path = tmp_path / "page.html"
    path.write_bytes(data)
    assert nianbao("parse", str(path), "--db", str(db), "--jobs", "1").returncode == 0
    RawStore(default_raw_root(db)).put(data)
    path.unlink()  # only the raw store has the bytes now
    con = duckdb.connect(str(db), read_only=True)
    settings = SiteSettings(raw_root=default_raw_root(db), jobs=1)
    assert write_site(con, tmp_path / "site", settings).evidence_unavailable == 0
    (page,) = (tmp_path / "site").glob("report-*.html")
    assert _data(page.read_text("utf-8"))["source"]["place"].startswith(str(default_raw_root(db)))


def test_the_review_fixture_pdf_reproduces_its_gold() -> None:
    """tests/fixtures/pdf/review: repaired cells and two failing checks, as its gold says."""
    from decimal import Decimal

    from parsers import parse

    base = FIXTURES / "pdf" / "review" / "synth-1-0007-damaged-2022-inconsistent"
    report = parse(base.with_suffix(".pdf").read_bytes(), base.name + ".pdf")
    gold = json.loads(base.with_suffix(".gold.json").read_text(encoding="utf-8"))
    got = {(f.table_id, f.row_id, f.col_id): f for f in report.facts}
    for g in gold["facts"]:
        f = got[g["table_id"], g["row_id"], g["col_id"]]
        value = None if g["value"] is None else Decimal(str(g["value"]))
        assert (f.value, f.status) == (value, g["status"]), g
    assert sum(f.status == "repaired" for f in report.facts) == 15
    assert sorted((c.rule_id, c.scope) for c in report.checks if c.status == "fail") == [
        ("requests.balance", "natural_person"),
        ("requests.row_total", "new_received"),
    ]


def test_written_again_the_site_reuses_what_it_read(tmp_path, db, monkeypatch) -> None:
    import pipeline.review.evidence as evidence

    pdf = FIXTURES / "pdf" / "review" / "synth-1-0007-damaged-2022-inconsistent.pdf"
    path = tmp_path / pdf.name
    shutil.copy(pdf, path)
    assert nianbao("parse", str(path), "--db", str(db), "--jobs", "1").returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    settings = SiteSettings(jobs=1, cwd=Path.cwd())
    first = write_site(con, tmp_path / "site", settings)
    assert first.images == 3 and first.evidence_unavailable == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "site" / "img").iterdir()}

    def refuse(*_args):
        raise AssertionError("the document was read again")

    monkeypatch.setattr(evidence, "read", refuse)
    again = write_site(con, tmp_path / "site", settings)
    assert again.images == 3 and again.evidence_unavailable == 0
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "site" / "img").iterdir()} == stamps
    # What was read is not shown once the bytes are gone: the source is unavailable.
    path.unlink()
    assert write_site(con, tmp_path / "site", settings).evidence_unavailable == 1


def test_a_document_that_takes_too_long_gets_its_page_without_evidence(tmp_path, db) -> None:
    pdf = FIXTURES / "pdf" / "review" / "synth-1-0007-damaged-2022-inconsistent.pdf"
    assert nianbao("parse", str(pdf), "--db", str(db), "--jobs", "1").returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    settings = SiteSettings(jobs=2, timeout_s=0.01, cwd=Path.cwd())
    summary = write_site(con, tmp_path / "site", settings)
    assert summary.reports == 1 and summary.evidence_unavailable == 1
    (page,) = (tmp_path / "site").glob("report-*.html")
    html = page.read_text("utf-8")
    assert "reading the source failed: timed out after 0.01 s" in _data(html)["source"]["reason"]
    assert 'data-k="requests.new_received.natural_person"' in html  # the figures are all there


def test_status_and_format_are_escaped_too(tmp_path, db) -> None:
    """Issue #12 item 8: status, format and year went into the old site unescaped."""
    assert (
        nianbao("parse", str(REAL / "shanghai-govoffice-2019.html"), "--db", str(db)).returncode
        == 0
    )
    con = duckdb.connect(str(db))
    con.execute(
        "UPDATE reports SET status = '\"><img src=x onerror=alert(1)>', "
        "format = '<script>alert(2)</script>', error = 'x'"
    )
    con.close()
    con = duckdb.connect(str(db), read_only=True)
    write_site(con, tmp_path / "site", SiteSettings(jobs=1, cwd=Path.cwd()))
    for path in (tmp_path / "site").glob("*.html"):
        html = path.read_text("utf-8")
        doc = lxml.html.fromstring(html)
        assert not doc.xpath("//img[@onerror]") and len(doc.xpath("//script")) == len(
            doc.xpath("//script[@src or @type='application/json']")
        )
        assert "<script>alert(2)" not in html and "<img src=x" not in html
    report = next((tmp_path / "site").glob("report-*.html")).read_text("utf-8")
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in report
