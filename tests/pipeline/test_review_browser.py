"""The review site in real headless Chromium, over file://, offline (issue #11 acceptance).

A warehouse is built with `nianbao parse` from committed fixtures: a PDF report with
repaired cells and failing checks (tests/fixtures/pdf/review), the real Shanghai HTML
report, a text report, a damaged HTML report, a document that is no report, and a hostile
report whose title, headings, cells and text carry scripts, event handlers, javascript:
links, remote images and CSS url(). The test browses the site as an auditor would, records
decisions, downloads them, imports them with `nianbao audit --import`, and checks that
no page ran anything or asked for anything outside the site folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from PIL import Image

from tests.browser import chromium
from tests.conftest import REAL
from tests.pipeline.test_cli import nianbao

# Slow on purpose (real processes, a browser or a whole corpus): left out of `make test-fast`.
pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PDF = FIXTURES / "pdf" / "review" / "synth-1-0007-damaged-2022-inconsistent.pdf"
HOSTILE = FIXTURES / "review" / "hostile-0013-clean-2022.html"
INPUTS = [
    PDF,
    HOSTILE,
    REAL / "shanghai-govoffice-2019.html",
    FIXTURES / "synth" / "0004-clean-2023.txt",
    FIXTURES / "synth" / "0003-damaged-2021.html",
    FIXTURES / "synth" / "0019-bad-news-page.html",
]


def _query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _page_of(db: Path, source_name: str) -> str:
    ((rid,),) = _query(
        db,
        "SELECT r.report_id FROM reports r JOIN documents d USING (doc_id) WHERE d.source LIKE ?",
        [f"%{source_name}"],
    )
    return f"report-{rid}.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("review")
    folder = root / "in"
    folder.mkdir()
    for path in INPUTS:
        shutil.copy(path, folder / path.name)
    db = root / "warehouse.duckdb"
    r = nianbao("parse", str(folder), "--db", str(db), "--jobs", "2")
    assert r.returncode == 1, r.stderr  # the news page is no report: recorded as failed
    out = root / "site"
    r = nianbao("audit", "--db", str(db), "--html", str(out))
    assert r.returncode == 0, r.stderr
    return {"root": root, "db": db, "site": out, "url": out.resolve().as_uri() + "/"}


def test_an_auditor_reviews_the_site_offline(site) -> None:
    root, db, url = site["root"], site["db"], site["url"]
    shots = root / "screenshots"
    shots.mkdir()
    with chromium(root / "profile", root / "downloads") as browser:
        page = browser.page()

        # The index lists every report of the warehouse.
        page.goto(url + "index.html")
        ((n_reports,),) = _query(db, "SELECT count(*) FROM reports")
        assert page.locator("#reports tbody tr[data-href]").count() == n_reports == len(INPUTS)
        page.fill("#q", "上海市人民政府办公厅")
        assert page.locator("#reports tbody tr[data-href]").count() == 1
        page.fill("#q", "")
        page.check("#f-repaired")
        assert page.locator("#reports tbody tr[data-href]").count() == 2  # the PDF, the damaged
        page.uncheck("#f-repaired")
        page.screenshot(path=str(shots / "index.png"), full_page=True)

        # The PDF report: repaired cells, failing checks, and each figure's box on the page.
        page.click(f'a[href="{_page_of(db, PDF.name)}"]')
        assert page.locator("td.value.repaired").count() == 15
        assert page.locator("tr.check.fail").count() == 2
        key = "requests.new_received.natural_person"
        page.click(f'td[data-k="{key}"]')
        box = page.locator(".pdfpage .selbox:visible")
        assert box.count() == 1
        _assert_box_on_figure(page, box, db, key)
        panel = page.locator("#detail").inner_text()
        assert "不通过" in panel and "差额 3" in panel  # both sides and the difference
        page.screenshot(path=str(shots / "pdf-report.png"))

        # Decisions: the figure is wrong (the source prints 863; say 860), another confirmed.
        page.fill("#reviewer", "审核员甲")
        page.click('#decide [data-decide="wrong"]')
        page.fill("#corrected", "860")
        page.fill("#comment", "与原始台账不符")
        page.click('#wrong-form button[type="submit"]')
        page.click('td[data-k="reviews.review.total"]')
        page.keyboard.press("c")
        assert "本地待导入" in page.locator("#decision-state").inner_text()

        # Keyboard: arrows move between figures, n opens the next report.
        page.click('td[data-k="requests.granted.natural_person"]')
        page.keyboard.press("ArrowRight")
        assert page.locator("td.value.sel").get_attribute("data-k") == "requests.granted.enterprise"
        page.keyboard.press("ArrowDown")
        assert (
            page.locator("td.value.sel").get_attribute("data-k")
            == "requests.partly_granted.enterprise"
        )

        # The HTML report: the figure's source cell highlighted, and back again.
        page.goto(url + _page_of(db, "shanghai-govoffice-2019.html"))
        key = "requests.denied_process.natural_person"
        page.click(f'td[data-k="{key}"]')
        ((t, r, c, raw),) = _query(
            db,
            "SELECT src_table, src_row, src_col, raw FROM facts f JOIN reports USING (report_id)"
            " JOIN documents d USING (doc_id) WHERE d.source LIKE '%shanghai%' AND "
            "table_id || '.' || row_id || '.' || col_id = ?",
            [key],
        )
        source_cell = page.locator("#viewer td.sel")
        assert source_cell.count() == 1 and source_cell.is_visible()
        assert source_cell.get_attribute("data-k") == f"{t}:{r}:{c}"
        assert source_cell.inner_text().strip() == raw
        page.screenshot(path=str(shots / "html-report.png"))
        # A source cell that became a figure selects that figure ...
        page.click(f'#viewer td[data-k="{t}:{r}:{c + 1}"]')
        assert page.locator("td.value.sel").get_attribute("data-k") == (
            "requests.denied_process.enterprise"
        )
        # ... and one that did not says so, and why.
        page.locator("#viewer td.unused", has_text="属于四类过程性信息").first.click()
        assert "不是可读的数值" in page.locator("#detail").inner_text()  # a label: why not used
        page.click('#report-decision [data-decide="confirmed"]')

        # The decisions are downloaded as one JSON file and imported into the warehouse.
        with page.expect_download() as download:
            page.click("#download")
        saved = root / "decisions.json"
        download.value.save_as(saved)
        decisions = json.loads(saved.read_text(encoding="utf-8"))["decisions"]
        assert len(decisions) == 3

        # The hostile report: shown as text, nothing runs, nothing loads.
        page.goto(url + _page_of(db, HOSTILE.name))
        assert "<script>window.__pwned='h1-text'</script>" in page.locator("h1").inner_text()
        page.click('td[data-k="requests.new_received.natural_person"]')
        page.click('td[data-k="requests.carried_over.natural_person"]')
        for cell in page.locator("#viewer td").all()[:40]:
            cell.click()
        page.screenshot(path=str(shots / "hostile-report.png"))
        assert page.evaluate("typeof window.__pwned") == "undefined"

        # Every page the auditor opened asked only for the site's own files.
        assert browser.requests, "no request was recorded"
        outside = [u for u in browser.requests if not u.startswith(url)]
        assert outside == [], outside
        assert browser.dialogs == [] and browser.errors == []
        assert not [m for m in browser.console if "Content Security Policy" in m]

    r = nianbao("audit", "--db", str(db), "--import", str(saved))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "3 read, 3 imported" in r.stdout
    rows = _query(
        db,
        "SELECT reviewer, table_id || '.' || row_id || '.' || col_id, decision, value, "
        "corrected_value, comment, document_sha256 = d.sha256 "
        "FROM reviewer_decisions JOIN reports USING (report_id) JOIN documents d USING (doc_id) "
        "ORDER BY decided_at",
    )
    assert [(x[0], x[1], x[2]) for x in rows] == [
        ("审核员甲", "requests.new_received.natural_person", "wrong"),
        ("审核员甲", "reviews.review.total", "confirmed"),
        ("审核员甲", None, "confirmed"),
    ]
    assert rows[0][3] == 863 and rows[0][4] == 860 and rows[0][5] == "与原始台账不符"
    assert all(x[6] for x in rows)  # made on the bytes the warehouse holds
    assert _query(db, "SELECT row_id, corrected_value FROM wrong_facts") == [("new_received", 860)]
    ((confirmed,),) = _query(db, "SELECT count(*) FROM confirmed_facts")
    assert confirmed == 198 + 1  # the whole Shanghai report and one cell of the PDF
    assert nianbao("audit", "--db", str(db), "--import", str(saved)).stdout.startswith(
        "decisions: 3 read, 0 imported, 3 already there"
    )

    # Written again, the site shows the imported decisions.
    r = nianbao("audit", "--db", str(db), "--html", str(site["site"]))
    assert r.returncode == 0, r.stderr
    with chromium(root / "profile-2", root / "downloads") as browser:
        page = browser.page()
        page.goto(url + _page_of(db, PDF.name))
        assert page.locator(
            'td.marked-wrong[data-k="requests.new_received.natural_person"]'
        ).count()
        page.goto(url + "index.html")
        assert page.locator("#reports td.review.wrong").count() == 1
        assert page.locator("#reports td.review.confirmed").count() == 1


def _assert_box_on_figure(page, box, db: Path, key: str) -> None:
    """The drawn box sits where the warehouse says the cell is, over the printed figure."""
    ((number, x0, top, x1, bottom),) = _query(
        db,
        "SELECT page, x0, top, x1, bottom FROM facts WHERE "
        "table_id || '.' || row_id || '.' || col_id = ? AND page IS NOT NULL",
        [key],
    )
    figure = page.locator(f'.pdfpage[data-page="{number}"]')
    assert figure.locator(".selbox:visible").count() == 1
    image = figure.locator("img").bounding_box()
    cx0, ctop, cx1, cbottom = map(float, figure.get_attribute("data-crop").split())
    scale_x = image["width"] / (cx1 - cx0)
    scale_y = image["height"] / (cbottom - ctop)
    drawn = box.bounding_box()
    expected = (
        image["x"] + (x0 - cx0) * scale_x,
        image["y"] + (top - ctop) * scale_y,
        (x1 - x0) * scale_x,
        (bottom - top) * scale_y,
    )
    got = (drawn["x"], drawn["y"], drawn["width"], drawn["height"])
    assert all(abs(a - b) <= 2.5 for a, b in zip(got, expected, strict=True)), (got, expected)
    # Where the box is, the page image (150 dpi) prints the figure: dark pixels.
    src = figure.locator("img").get_attribute("src")
    with Image.open(db.parent / "site" / src) as img:
        k = img.width / (cx1 - cx0)
        region = img.convert("L").crop(
            (
                int((x0 - cx0) * k),
                int((top - ctop) * k),
                int((x1 - cx0) * k),
                int((bottom - ctop) * k),
            )
        )
        dark = sum(1 for v in region.get_flattened_data() if v < 110)
    assert dark >= 20, dark
