"""Renditions of a real report that must not change a single figure, and bad input."""

from __future__ import annotations

import re

import opencc
import pytest

from parsers import parse
from tests.conftest import REAL

SHANGHAI = (REAL / "shanghai-govoffice-2019.html").read_text(encoding="utf-8")
ARTICLE = SHANGHAI[SHANGHAI.index('<div class="article">') : SHANGHAI.index("</body>")]

CHROME_TOP = """<div class="header"><a href="/">首页</a><a href="/zwgk">政务公开</a>
<a href="/ndbg">政府信息公开年报</a></div>
<div class="crumbs">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>"""
CHROME_BOTTOM = """<div class="related"><h3>相关文章</h3><ul>
<li><a href="/a">一、总体情况说明</a></li><li><a href="/b">2018年政府信息公开工作年度报告</a></li>
</ul></div><div class="footer">主办单位：上海市人民政府办公厅 网站标识码：3100000001
沪ICP备05003721号</div>"""


def _facts(report) -> dict:
    return {(f.table_id, f.row_id, f.col_id): (f.value, f.status) for f in report.facts}


BASELINE = parse(SHANGHAI.encode(), "s.html")


def _page(body: str, head: str = '<meta charset="utf-8">') -> str:
    head = f"<head>{head}<title>年度报告_上海</title></head>"
    return f"<!DOCTYPE html><html>{head}<body>{body}</body></html>"


def test_page_chrome_does_not_leak() -> None:
    r = parse(_page(CHROME_TOP + ARTICLE + CHROME_BOTTOM).encode(), "p.html")
    assert _facts(r) == _facts(BASELINE)
    assert r.status == "parsed"
    assert "网站标识码" not in r.sections[5].text and "相关文章" not in r.sections[5].text
    assert r.title == BASELINE.title


def test_report_inside_layout_table() -> None:
    layout = (
        '<table width="100%"><tr><td class="side"><a href="/x">栏目导航</a></td><td>'
        + ARTICLE
        + "</td></tr></table>"
    )
    r = parse(_page(layout).encode(), "l.html")
    assert _facts(r) == _facts(BASELINE)


def test_unlabelled_gbk_page() -> None:
    r = parse(_page(ARTICLE, head="").encode("gb18030"), "g.html")
    assert _facts(r) == _facts(BASELINE)


def test_traditional_script_reads_the_same_figures() -> None:
    trad = opencc.OpenCC("s2twp").convert(SHANGHAI)
    r = parse(trad.encode("utf-8"), "t.html")
    assert r.script == "traditional"
    assert _facts(r) == _facts(BASELINE)
    assert r.agency == "上海市人民政府办公厅"
    assert r.agency_raw != r.agency


def test_requests_table_split_in_two() -> None:
    split = SHANGHAI.replace(
        '<tr><td nowrap="nowrap" rowspan="20">',
        '</tbody></table><p>（续表）</p><table border="1"><tbody>'
        '<tr><td nowrap="nowrap" rowspan="20">',
    )
    assert split != SHANGHAI
    assert _facts(parse(split.encode(), "x.html")) == _facts(BASELINE)


def test_headings_in_strong_and_h3() -> None:
    html = re.sub(r"<p>([一二三四五六]、[^<]{2,30})</p>", r"<h3><strong>\1</strong></h3>", SHANGHAI)
    r = parse(html.encode(), "h.html")
    assert [s.present for s in r.sections] == [True] * 6
    assert _facts(r) == _facts(BASELINE)


def test_two_reports_in_one_document_fail() -> None:
    twice = _page(ARTICLE + ARTICLE)
    r = parse(twice.encode(), "2.html")
    assert r.status == "failed" and "two reports" in r.error


def test_tables_as_images_are_partial_with_reason() -> None:
    html = re.sub(r"<table.*?</table>", '<p><img src="t.png"></p>', SHANGHAI, flags=re.S)
    r = parse(html.encode(), "i.html")
    assert r.status == "partial" and "images" in r.error
    assert all(f.status == "missing" for f in r.facts)


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "e.html", "empty"),
        (bytes(range(256)) * 50, "b.html", "binary"),
        (
            _page(
                "<h1>我市召开政务公开工作会议</h1><p>会议要求，各部门要切实做好政务公开工作。</p>"
            ).encode(),
            "news.html",
            "not a report",
        ),
        (
            _page(
                '<ul><li><a href="/1">2019年政府信息公开工作年度报告</a></li>'
                '<li><a href="/2">2018年政府信息公开工作年度报告</a></li></ul>'
            ).encode(),
            "index.html",
            "not a report",
        ),
    ],
)
def test_not_a_report_fails_with_reason(data: bytes, name: str, reason: str) -> None:
    r = parse(data, name)
    assert r.status == "failed" and reason in r.error
    assert not r.facts


def test_a_50_mb_page_with_inline_images_is_read() -> None:
    image = '<img src="data:image/png;base64,' + "QUJD" * 12_500_000 + '">'
    r = parse(SHANGHAI.replace("</body>", image + "</body>").encode(), "big.html")
    assert len(image) > 50_000_000
    assert r.status == "parsed" and _facts(r) == _facts(BASELINE)


def test_a_page_of_endless_paragraphs_fails_fast_with_reason() -> None:
    flood = "<p>参考资料</p>" * 30_000
    r = parse(SHANGHAI.replace("</body>", flood + "</body>").encode(), "flood.html")
    assert r.status == "failed" and "not a single report" in r.error
