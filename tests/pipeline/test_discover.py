"""Discovery: URL canonicalisation, decoding, and what a page is and where it leads."""

from __future__ import annotations

import pytest

from pipeline.discover import (
    analyse_page,
    attachment_extension,
    canonical_url,
    decode_html,
    link_says,
    names_report_of_year,
    script_pages,
    site_of,
)
from tests.sites import qingshi

BASE = "http://gov.example.cn/xxgk/ndbg/index.html"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("HTTP://Gov.Example.CN:80/a/./b/../c.html#top", "http://gov.example.cn/a/c.html"),
        ("https://gov.example.cn:443/", "https://gov.example.cn/"),
        ("https://gov.example.cn:8443/x", "https://gov.example.cn:8443/x"),
        ("http://gov.example.cn", "http://gov.example.cn/"),
        ("./202401/t1.html#content", "http://gov.example.cn/xxgk/ndbg/202401/t1.html"),
        ("../../a.html", "http://gov.example.cn/a.html"),
        (
            "t1.html?utm_source=wx&utm_medium=x&id=3&spm=a.b&from=timeline",
            "http://gov.example.cn/xxgk/ndbg/t1.html?id=3",
        ),
        ("/a?b=%e4%b8%ad&c=1", "http://gov.example.cn/a?b=%E4%B8%AD&c=1"),
        (
            "/附件/报告 2023.pdf",
            "http://gov.example.cn/%E9%99%84%E4%BB%B6/%E6%8A%A5%E5%91%8A%202023.pdf",
        ),
        ("  /a.html\n", "http://gov.example.cn/a.html"),
        ("javascript:void(0)", None),
        ("mailto:gk@example.cn", None),
        ("ftp://gov.example.cn/a.pdf", None),
        ("#", "http://gov.example.cn/xxgk/ndbg/index.html"),
    ],
)
def test_canonical_url(href: str, expected: str | None) -> None:
    assert canonical_url(href, BASE) == expected


def test_canonical_url_is_idempotent_and_merges_variants() -> None:
    variants = [
        "http://gov.example.cn/xxgk/ndbg/202401/t1.html",
        "HTTP://GOV.example.cn:80/xxgk/ndbg/202401/t1.html#p2",
        "http://gov.example.cn/xxgk/ndbg/./202401/../202401/t1.html?utm_campaign=a",
        "http://gov.example.cn/xxgk/ndbg/202401/t1.html?spm=1.2.3&from=groupmessage",
    ]
    canonical = {canonical_url(v) for v in variants}
    assert len(canonical) == 1
    (url,) = canonical
    assert canonical_url(url) == url


def test_site_of() -> None:
    assert site_of("http://127.0.0.1:8000/a/b?c") == "http://127.0.0.1:8000"
    assert site_of("https://gov.example.cn/") == "https://gov.example.cn"


def test_attachment_extension() -> None:
    assert attachment_extension("http://x.cn/a/P0201.PDF") == ".pdf"
    assert attachment_extension("http://x.cn/a/W0201.docx") == ".docx"
    assert attachment_extension("http://x.cn/a/W0201.wps") == ".wps"
    assert attachment_extension("http://x.cn/a/t1.html") is None
    assert attachment_extension("http://x.cn/download?file=a.pdf") is None


def test_names_report_of_year() -> None:
    assert names_report_of_year("青石市2023年政府信息公开工作年度报告")
    assert names_report_of_year("2021年政府信息公开年报")
    assert names_report_of_year("关于2022年度政府信息公开工作年度报...")
    assert not names_report_of_year("政府信息公开工作年度报告")  # a column, no year
    assert not names_report_of_year("2023年政府工作报告要点")


# ---------------------------------------------------------------- decoding


def test_decode_html_uses_header_charset() -> None:
    text, encoding = decode_html("<p>年度报告</p>".encode("gbk"), "text/html; charset=GBK")
    assert text == "<p>年度报告</p>"
    assert encoding == "gb18030"


def test_decode_html_uses_meta_charset_without_header() -> None:
    body = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>年报</p>'
    text, encoding = decode_html(body.encode("gbk"))
    assert "年报" in text
    assert encoding == "gb18030"


def test_decode_html_detects_gbk_without_any_declaration() -> None:
    body = "<html><body><a href=x>青石市2016年政府信息公开工作年度报告</a></body></html>"
    text, _ = decode_html(body.encode("gbk"))
    assert "青石市2016年政府信息公开工作年度报告" in text


def test_decode_html_header_charset_that_lies_falls_back() -> None:
    body = "<p>青石市人民政府</p>".encode("gb18030")
    text, _ = decode_html(body, "text/html; charset=utf-8")
    assert "青石市人民政府" in text


def test_decode_html_utf8_bom() -> None:
    text, encoding = decode_html(b"\xef\xbb\xbf<p>\xe5\xb9\xb4</p>")
    assert text == "<p>年</p>"
    assert encoding == "utf-8"


# ---------------------------------------------------------------- pages


def roles(page):
    return {link.url: link.role for link in page.links}


def test_list_page_is_navigation_with_reports_pagination_and_no_chrome() -> None:
    body = qingshi.routes("http://127.0.0.1:9")[qingshi.LIST].body
    url = "http://127.0.0.1:8000/xxgk/ndbg/"
    page = analyse_page(body, url)
    assert page.kind == "navigation"
    found = roles(page)
    base = "http://127.0.0.1:8000"
    assert found[base + qingshi.REPORT_2023] == "report"
    assert found[base + qingshi.PAGE_2] == "pagination"
    assert found[base + qingshi.PAGE_3] == "pagination"
    assert found[base + "/xxgk/ndbg/index.html"] == "pagination"  # from createPageHTML
    assert found[base + qingshi.BROKEN_PDF] == "attachment"  # report-named file
    # the three spellings of the 2023 report are one link
    assert sum(1 for u in found if "t20240115_1" in u) == 1
    # site chrome (首页, 新闻动态) is not followed
    assert base + "/" not in found
    assert base + qingshi.NEWS not in found
    # off-site links are reported; keeping to the site is the crawler's job
    assert found["http://127.0.0.1:9/gov/2023.html"] == "report"


def test_report_page_named_by_article_title_not_by_title() -> None:
    body = qingshi.routes("http://127.0.0.1:9")[qingshi.REPORT_2023].body
    page = analyse_page(body, "http://127.0.0.1:8000" + qingshi.REPORT_2023)
    assert page.kind == "report_page"
    assert page.year == 2023
    assert "年度报告" in page.title
    assert page.attachments == ()


def test_report_page_named_only_by_the_link_that_led_there() -> None:
    body = b"<html><head><title>Home</title></head><body><p>" + "正文".encode() * 400 + b"</p>"
    url = "http://x.cn/a/t1.html"
    assert analyse_page(body, url).kind == "navigation"
    page = analyse_page(body, url, hint="青石市2023年政府信息公开工作年度报告")
    assert page.kind == "report_page"
    assert page.year == 2023


def test_pointer_page_and_its_attachment() -> None:
    body = qingshi.routes("http://127.0.0.1:9")[qingshi.POINTER_2022].body
    page = analyse_page(body, "http://127.0.0.1:8000" + qingshi.POINTER_2022)
    assert page.kind == "pointer"
    assert [link.url for link in page.attachments] == [
        "http://127.0.0.1:8000" + qingshi.POINTER_PDF
    ]


def test_full_report_with_attachment_is_not_a_pointer() -> None:
    body = qingshi.routes("http://127.0.0.1:9")[qingshi.GBK_REPORT].body
    page = analyse_page(body, "http://127.0.0.1:8000" + qingshi.GBK_REPORT)
    assert page.kind == "report_page"
    assert page.encoding == "gb18030"
    assert [link.url for link in page.attachments] == ["http://127.0.0.1:8000" + qingshi.GBK_DOCX]


def test_gbk_list_page_without_declaration_yields_its_report_link() -> None:
    body = qingshi.routes("http://127.0.0.1:9")[qingshi.PAGE_3].body
    page = analyse_page(body, "http://127.0.0.1:8000" + qingshi.PAGE_3)
    assert page.kind == "navigation"
    assert roles(page)["http://127.0.0.1:8000" + qingshi.ETAG_ONLY] == "report"


def test_pointer_with_pdf_in_iframe() -> None:
    body = (
        "<html><head><title>青石市2020年政府信息公开工作年度报告</title></head><body>"
        '<iframe src="/pdfjs/P1.pdf"></iframe></body></html>'
    ).encode()
    page = analyse_page(body, "http://x.cn/a/t1.html")
    assert page.kind == "pointer"
    assert page.attachments[0].url == "http://x.cn/pdfjs/P1.pdf"


def test_titled_page_listing_many_reports_is_a_list() -> None:
    items = "".join(
        f'<li><a href="t{y}.html">青石市{y}年政府信息公开工作年度报告</a></li>'
        for y in range(2015, 2024)
    )
    body = f"<html><head><title>2023年度报告专栏</title></head><body><ul>{items}</ul>".encode()
    page = analyse_page(body, "http://x.cn/ndbg/index.html")
    assert page.kind == "navigation"
    assert sum(1 for link in page.links if link.role == "report") == 9


def test_navigation_page_ignores_unrelated_attachments() -> None:
    body = (
        "<html><body>"
        '<a href="/a/plan.pdf">十四五规划.pdf</a>'
        '<a href="/a/P02023.pdf">2023年政府信息公开工作年度报告</a>'
        '<a href="/a/2022年年度报告.pdf">下载</a>'
        '<a href="/ndbg/">政府信息公开年度报告</a>'
        "</body></html>"
    ).encode()
    found = roles(analyse_page(body, "http://x.cn/index.html"))
    assert "http://x.cn/a/plan.pdf" not in found
    assert found["http://x.cn/a/P02023.pdf"] == "attachment"
    assert found["http://x.cn/a/2022%E5%B9%B4%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.pdf"] == (
        "attachment"
    )
    assert found["http://x.cn/ndbg/"] == "listing"


@pytest.mark.parametrize(
    ("href", "text"),
    [
        ("index_3.html", "3"),
        ("index_1.html", "下一页"),
        ("index_9.html", "尾页"),
        ("list.html?page=2", ""),
        ("list.html?pageNo=2&size=20", ""),
        ("index_4.html", ""),
    ],
)
def test_pagination_links(href: str, text: str) -> None:
    page_url = "http://x.cn/ndbg/list.html" if "list" in href else "http://x.cn/ndbg/index.html"
    body = f'<html><body><a href="{href}">{text}</a></body></html>'.encode()
    page = analyse_page(body, page_url)
    assert [link.role for link in page.links] == ["pagination"]


def test_first_page_link_elsewhere_is_not_pagination() -> None:
    body = '<html><body><a href="/">首页</a><a href="/other/index_2.html">2</a></body></html>'
    assert analyse_page(body.encode(), "http://x.cn/ndbg/index.html").links == ()


def test_script_pages_with_literals_and_variables() -> None:
    literal = 'createPageHTML(4, 0, "index", "shtml");'
    assert script_pages(literal, "http://x.cn/ndbg/") == [
        "http://x.cn/ndbg/index.shtml",
        "http://x.cn/ndbg/index_1.shtml",
        "http://x.cn/ndbg/index_2.shtml",
        "http://x.cn/ndbg/index_3.shtml",
    ]
    variables = (
        "var countPage = 3//共多少页\nvar currentPage = 1;\n"
        "createPageHTML('page_div', countPage, currentPage, 'list', 'html', 60);"
    )
    assert script_pages(variables, "http://x.cn/ndbg/list_1.html") == [
        "http://x.cn/ndbg/list.html",
        "http://x.cn/ndbg/list_2.html",
    ]
    assert script_pages('createPageHTML(99999, 0, "index", "html")', "http://x.cn/") == []


def test_base_href_is_honoured() -> None:
    body = (
        '<html><head><base href="http://x.cn/ndbg/"></head><body>'
        '<a href="t1.html">青石市2023年政府信息公开工作年度报告</a></body></html>'
    ).encode()
    page = analyse_page(body, "http://x.cn/elsewhere/page.html")
    assert page.links[0].url == "http://x.cn/ndbg/t1.html"


@pytest.mark.parametrize("body", [b"", b"   ", b"\x00\xff\xfe garbage", b"<?xml version='1.0'?>"])
def test_junk_is_navigation_without_links(body: bytes) -> None:
    page = analyse_page(body, "http://x.cn/a.html")
    assert page.kind == "navigation"
    assert page.links == ()


@pytest.mark.parametrize(
    ("text", "title", "url", "says"),
    [
        (
            "青石市2023年政府信息公开工作…",
            "青石市2023年政府信息公开工作年度报告",
            "/c/1.html",
            "report",
        ),
        ("查看", "2022年政府信息公开工作年度报告", "/c/2.html", "report"),
        ("查看", "", "/zfxxgkndbg/2021/t1.html", "report"),
        ("查看", "", "/xxgk/%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A/2020.html", "report"),
        ("青石市2020年政府信息公开工作...", "", "/c/3.html", "report"),
        ("政府信息公开年报", "", "/xxgk/ndbg/", "listing"),
        ("查看", "", "/news/2023/t9.html", None),
        ("青石市2023年新闻发布…", "", "/c/4.html", None),
        ("2023年政府信息公开工作", "", "/c/5.html", None),  # not cut: names no report
        ("年报", "", "/c/t20230512_1.html", "listing"),  # a date in the path is no year
    ],
)
def test_link_text_title_and_url_together_say_what_a_link_is(
    text: str, title: str, url: str, says: str | None
) -> None:
    assert link_says(text, title, "http://gov.example.cn" + url) == says
