"""The dashboard: every page written, self-contained, escaped, NULLs shown as gaps."""

from __future__ import annotations

import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.dashboard.markup import CSP, agency_file
from pipeline.dashboard.site import DashboardSettings, build_dashboard
from synth.indicator_series import NAMES
from warehouse.indicator_specs import load_indicators
from warehouse.schema import connect


class Links(HTMLParser):
    """Every src/href of a page, and its CSP meta."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.csp: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        self.links += [v for k, v in attrs if k in ("src", "href") and v]
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp.append(a.get("content", ""))
        self.scripts += tag == "script"


@pytest.fixture(scope="module")
def site(indicator_series, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dashboard") / "site"
    con = connect(indicator_series[0], read_only=True)
    build_dashboard(con, out, DashboardSettings(jobs=2, chunk=3))
    return out


def test_every_page_is_written_and_self_contained(site) -> None:
    book = load_indicators()
    expected = {"index.html", "outliers.html", "indicators/index.html", "agencies/index.html"}
    expected |= {f"indicators/{i.id}.html" for i in book.indicators}
    expected |= {f"indicators/{i.id}-{y}.html" for i in book.indicators for y in range(2020, 2024)}
    keys = {"江苏省" + n for n in NAMES}  # every name is completed with its province
    expected |= {f"agencies/{agency_file(k)}" for k in keys}
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert pages == expected
    for path in site.rglob("*.html"):
        parser = Links()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.csp == [CSP], path
        assert parser.scripts == 0
        for link in parser.links:
            assert not re.match(r"^[a-z]+:", link) and not link.startswith("/"), (path, link)
            target = (path.parent / link).resolve()
            assert target.is_relative_to(site.resolve()) and target.exists(), (path, link)
    svgs = list(site.rglob("*.svg"))
    assert len(svgs) == 4 + len(book.indicators) + len(keys)  # 3 coverage, trend axes
    assert all("http://" not in s.read_text() or "www.w3.org" in s.read_text() for s in svgs)


def test_null_values_are_gaps_with_their_reasons(site, indicator_series) -> None:
    page = (site / "agencies" / agency_file("江苏省" + NAMES[0])).read_text(encoding="utf-8")
    assert "— missing" in page
    reason = "numerator: requests.granted.total missing (two figures in one cell &#x27;1 2&#x27;)"
    assert reason in page
    # The failing check of 盱眙县 2023 is a gap on its page and in the ranking.
    page = (site / "agencies" / agency_file("江苏省" + NAMES[3])).read_text(encoding="utf-8")
    assert "— failed_check" in page and "requests.results_sum fails in total" in page
    ranking = (site / "indicators" / "refusal_rate-2023.html").read_text(encoding="utf-8")
    assert "— failed_check" in ranking
    # Never a zero where the value is NULL: the gap cell holds no number.
    for cell in re.findall(r'<td class="gap">(.*?)</td>', page):
        assert not re.match(r"^\s*[\d.]+%?", cell)


def test_pages_show_definitions_tables_and_evidence(site) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "charts/status.svg" in index and "<td>8</td>" in index
    page = (site / "indicators" / "substantive_disclosure_rate.html").read_text(encoding="utf-8")
    assert "实质公开率" in page and "requests.granted.total + requests.partly_granted.total" in page
    assert "../charts/substantive_disclosure_rate.svg" in page
    assert "Why values are NULL" in page and "two figures in one cell" in page
    agency = (site / "agencies" / agency_file("江苏省" + NAMES[1])).read_text(encoding="utf-8")
    assert "Evidence: the cells behind every value" in agency
    assert "requests.results_total.total" in agency and "html table" in agency
    assert "derived" in agency  # the blank results_total of 2022


def test_values_from_the_warehouse_are_escaped(indicator_series, tmp_path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(indicator_series[0], db)
    con = connect(db)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    con.execute("UPDATE report_agency SET agency_key = agency_key || ?", [evil])
    con.execute("UPDATE reports SET agency = agency || ?", [evil])
    con.execute(
        "UPDATE facts SET note = note || ? WHERE status = 'missing'", [evil]
    )  # reasons quote notes
    con.execute("UPDATE documents SET source = source || ?", [evil])
    con.close()
    out = tmp_path / "site"
    build_dashboard(connect(db, read_only=True), out, DashboardSettings())
    seen = 0
    for path in out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "<img src=x" not in text, path
        seen += "&lt;script&gt;" in text
    assert seen > 10
    # File names of agencies are hashes, never the name.
    assert all(re.fullmatch(r"a-[0-9a-f]{16}\.html", p.name)
               for p in (out / "agencies").glob("a-*.html"))  # fmt: skip


def test_cli_writes_the_dashboard_and_refuses_an_old_warehouse(indicator_series, tmp_path) -> None:
    runner = CliRunner()
    out = tmp_path / "site"
    result = runner.invoke(
        main, ["dashboard", "--db", str(indicator_series[0]), "--out", str(out), "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    assert f"dashboard: {out / 'index.html'}" in result.output
    old = tmp_path / "old.duckdb"
    shutil.copy(indicator_series[0], old)
    con = connect(old)
    con.execute("DROP VIEW indicator_changes")
    con.close()
    result = runner.invoke(main, ["dashboard", "--db", str(old), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "predates the indicators" in result.output


def test_agency_file_names_are_stable() -> None:
    key = "江苏省淮安市洪泽区人民政府"
    assert agency_file(key) == "a-" + hashlib.sha1(key.encode()).hexdigest()[:16] + ".html"


def test_sql_fragments_escape_and_format_as_the_python_helpers() -> None:
    import duckdb

    from pipeline.dashboard.fragments import define_macros
    from pipeline.dashboard.markup import esc, number, plain

    con = duckdb.connect()
    define_macros(con)
    texts = ['<script>alert("x")</script>', "a & b's <c>", "平潭综合实验区", "", None, "&amp;"]
    for text in texts:
        (got,) = con.execute("SELECT h(?)", [text]).fetchone()
        assert got == esc(text), text
    for value in (0.0, 1.0, 1234567.0, 0.12345, 0.5, 2.5, 24252.311082, -5.0, None, 1.005):
        for unit in ("share", "件", "万元"):
            (got,) = con.execute("SELECT num(?::DOUBLE, ?)", [value, unit]).fetchone()
            assert got == number(value, unit), (value, unit)
        (got,) = con.execute("SELECT plain(?::DOUBLE)", [value]).fetchone()
        assert got == plain(value), value
    key = "江苏省淮安市洪泽区人民政府"
    assert con.execute("SELECT afile(?)", [key]).fetchone()[0] == agency_file(key)
