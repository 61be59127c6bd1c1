"""The real reports of the shared corpus reproduce their gold exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parsers import parse
from tests.conftest import REAL, load_gold


def _parse(name: str, ext: str):
    return parse((REAL / f"{name}.{ext}").read_bytes(), f"{name}.{ext}")


def _assert_gold(report, gold: dict) -> None:
    got = {(f.table_id, f.row_id, f.col_id): f for f in report.facts}
    want = {(g["table_id"], g["row_id"], g["col_id"]): g for g in gold["facts"]}
    assert set(got) == set(want)
    for key, g in want.items():
        f = got[key]
        expected = None if g["value"] is None else Decimal(str(g["value"]))
        assert (f.value, f.status) == (expected, g["status"]), key
        if "raw" in g:
            assert f.raw == g["raw"], key
        if "unit" in g:
            assert f.unit == g["unit"], key


def test_shanghai_2019_reproduces_gold() -> None:
    report = _parse("shanghai-govoffice-2019", "html")
    gold = load_gold("shanghai-govoffice-2019")
    _assert_gold(report, gold)
    assert report.status == "parsed"
    assert (report.title, report.agency, report.year, report.format) == (
        gold["title"],
        gold["agency"],
        gold["year"],
        gold["format"],
    )
    assert report.published == "2020-01-31"
    assert report.script == "simplified"
    assert all(s.present for s in report.sections)


def test_shanghai_blank_total_is_not_evaluable_not_pass() -> None:
    checks = {(c.rule_id, c.scope): c for c in _parse("shanghai-govoffice-2019", "html").checks}
    granted = checks["requests.row_total", "granted"]
    assert granted.status == "not_evaluable"
    assert "total not printed" in granted.message and "272" in granted.message
    assert checks["requests.balance", "total"].status == "pass"
    assert checks["requests.balance", "total"].lhs == Decimal(877)
    # Blank row totals are unknown inside the column sum, not zeros that make it fail.
    assert checks["requests.results_sum", "total"].status == "not_evaluable"
    assert checks["reviews.row_total", "review"].status == "pass"
    assert not [c for c in checks.values() if c.status == "fail"]


def test_shanghai_section_two_reads_misaligned_colspans_in_order() -> None:
    report = _parse("shanghai-govoffice-2019", "html")
    fees = [report.fact("proactive", "fees", c) for c in ("prev_items", "change")]
    assert [f.status for f in fees] == ["ok", "ok"]
    amount = report.fact("proactive", "procurement", "amount")
    assert (amount.value, amount.unit, amount.raw) == (Decimal(251000), "元", "251000元")
    # provenance: the cell sits in the first data table, row 17, grid column 3
    assert (amount.where.kind, amount.where.table, amount.where.row) == ("html", 0, 17)


def test_zhengzhou_2020_every_cell_missing_nothing_invented() -> None:
    report = _parse("zhengzhou-city-2020", "txt")
    gold = load_gold("zhengzhou-city-2020")
    _assert_gold(report, gold)
    assert (report.agency, report.year, report.format) == ("郑州市人民政府", 2020, "2019")
    assert report.script == "traditional"
    assert [s.no for s in report.sections if s.present] == [1, 2, 3, 4, 5]
    assert report.sections[5].present is False
    assert report.status == "partial"
    assert all(f.value is None for f in report.facts)
    messages = " | ".join(d.message for d in report.diagnoses)
    assert "section 二 table absent" in messages and "section 四 table absent" in messages
    assert "skeleton" in messages and "0 of 161 values printed" in messages
    assert {c.status for c in report.checks} == {"not_evaluable"}


@pytest.mark.parametrize("name", ["shanghai-govoffice-2019", "zhengzhou-city-2020"])
def test_sections_keep_original_and_simplified_text(name: str) -> None:
    ext = "html" if name.startswith("shanghai") else "txt"
    s1 = _parse(name, ext).sections[0]
    assert s1.text and s1.text_simplified
    if name.startswith("zhengzhou"):
        assert "鄭州市" in s1.text and "郑州市" in s1.text_simplified


def test_hongze_2023_reproduces_gold_page_by_page() -> None:
    """WPS export: a bold vertical group label, a table split inside a group with no repeated
    header and no bottom rule, labels with characters lost, the hybrid （六） row."""
    report = _parse("hongze-district-2023", "pdf")
    gold = load_gold("hongze-district-2023")
    _assert_gold(report, gold)
    pages = {(g["table_id"], g["row_id"], g["col_id"]): g.get("page") for g in gold["facts"]}
    for f in report.facts:
        if f.status != "missing":
            assert f.where is not None and f.where.page == pages[f.table_id, f.row_id, f.col_id]
    assert report.agency in gold["agency_accept"]
    assert (report.title, report.year, report.format) == (gold["title"], gold["year"], "2021")
    # The printed inconsistency of section 四 is reported, not repaired.
    failing = {(c.rule_id, c.scope) for c in report.checks if c.status == "fail"}
    assert failing == {("reviews.row_total", "review"), ("reviews.row_total", "suit_after_review")}
    denied_by_law = report.fact("requests", "denied_by_law", "natural_person")
    assert denied_by_law.status == "ok"  # 2.其他法律行政止公开: a character lost, still its row


@pytest.mark.parametrize("year", range(2019, 2026))
def test_pingtan_series_reproduces_gold(year: int) -> None:
    name = f"pingtan/pingtan-zone-{year}"
    report = _parse(name, "html")
    gold = load_gold(name)
    _assert_gold(report, gold)
    assert report.agency in gold["agency_accept"]
    assert (report.title, report.year, report.format) == (gold["title"], year, gold["format"])


def test_pingtan_flattened_page_is_the_2021_report_with_no_guessed_split() -> None:
    """The archive's text of the 2021 page: the article on one line, labels followed by their
    digits with no separator. Recognised, every cell missing with that reason."""
    report = _parse("pingtan/pingtan-zone-2021-pagetext", "txt")
    assert (report.agency, report.year, report.format) == ("平潭综合实验区", 2021, "2021")
    assert [s.no for s in report.sections if s.present] == [1, 2, 3, 4, 5, 6]
    assert report.status == "partial"
    assert all(f.value is None and f.status == "missing" for f in report.facts)
    requests = report.fact("requests", "new_received", "total")
    assert "run together" in requests.note and "no split of the digits is certain" in requests.note
